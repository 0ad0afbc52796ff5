using System.Text.Json;
using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

/// <summary>Reads <c>image</c> as a string or a list of strings.</summary>
internal sealed class LlavaImageJsonConverter : JsonConverter<LlavaImage>
{
    public override LlavaImage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return LlavaImage.Single(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected a string or a list of strings");
        }

        var paths = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("expected a string or a list of strings");
            }

            paths.Add(reader.GetString()!);
        }

        return LlavaImage.List(paths);
    }

    public override void Write(Utf8JsonWriter writer, LlavaImage value, JsonSerializerOptions options)
    {
        if (!value.IsList)
        {
            writer.WriteStringValue(value.Paths[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (string path in value.Paths)
        {
            writer.WriteStringValue(path);
        }

        writer.WriteEndArray();
    }
}

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
