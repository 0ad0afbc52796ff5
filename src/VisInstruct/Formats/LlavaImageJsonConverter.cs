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
