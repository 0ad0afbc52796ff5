using System.Text.Json;
using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

/// <summary>Reads a question id that is an integer or a string, keeping which.</summary>
internal sealed class VqaIdJsonConverter : JsonConverter<VqaId>
{
    public override VqaId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => VqaId.Text(reader.GetString()!),
        JsonTokenType.Number when reader.TryGetInt64(out long value) => VqaId.Number(value),
        _ => throw new JsonException("expected an integer or a string"),
    };

    public override void Write(Utf8JsonWriter writer, VqaId value, JsonSerializerOptions options)
    {
        if (value.IsNumber)
        {
            writer.WriteRawValue(value.Value);
        }
        else
        {
            writer.WriteStringValue(value.Value);
        }
    }
}
