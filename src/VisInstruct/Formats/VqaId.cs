using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

/// <summary>A question id as written: an integer (<c>0</c>) or a string (<c>"code_reasoning/0020.png"</c>).</summary>
[JsonConverter(typeof(VqaIdJsonConverter))]
public readonly record struct VqaId(string Value, bool IsNumber)
{
    public static VqaId Number(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), true);

    public static VqaId Text(string value) => new(value, false);

    public override string ToString() => Value;
}
