using System.Text.Json;
using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

/// <summary>Reads any JSON value into a <see cref="JsonBlob"/>.</summary>
internal sealed class JsonBlobJsonConverter : JsonConverter<JsonBlob>
{
    public override JsonBlob Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return JsonBlob.From(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, JsonBlob value, JsonSerializerOptions options) => writer.WriteRawValue(value.Json);
}
