using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VisInstruct.Json;

/// <summary>Small helpers for reading values off a <see cref="Utf8JsonReader"/> and describing what was found.</summary>
internal static class JsonValues
{
    /// <summary>Names the current token for a message: <c>a string ("12")</c>, <c>a number (5)</c>, <c>an array</c>.</summary>
    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"a string ({Abbreviate(ref reader)})",
        JsonTokenType.Number => $"a number ({Abbreviate(ref reader)})",
        JsonTokenType.True or JsonTokenType.False => $"a boolean ({Encoding.UTF8.GetString(reader.ValueSpan)})",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => "nothing",
    };

    public static bool TryNumber(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
    }

    public static bool TryInt64(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
    }

    public static bool TryInt32(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }

    /// <summary>The path of a property of an array's element: <c>annotations[3].caption</c>.</summary>
    public static string Path(string array, long index, string child) =>
        string.Create(CultureInfo.InvariantCulture, $"{array}[{index}].{child}");

    private static string Abbreviate(ref Utf8JsonReader reader)
    {
        string text = reader.TokenType == JsonTokenType.String
            ? "\"" + (reader.ValueIsEscaped ? reader.GetString() : Encoding.UTF8.GetString(reader.ValueSpan)) + "\""
            : Encoding.UTF8.GetString(reader.ValueSpan);
        return text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
    }
}
