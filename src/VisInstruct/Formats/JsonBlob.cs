using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using VisInstruct.Json;

namespace VisInstruct.Formats;

/// <summary>An opaque JSON value kept as its canonical text (Python compact style), compared by that text.</summary>
[JsonConverter(typeof(JsonBlobJsonConverter))]
public sealed record JsonBlob
{
    private JsonBlob(string json) => Json = json;

    /// <summary>The value in Python's compact layout.</summary>
    public string Json { get; }

    public static JsonBlob EmptyObject { get; } = new("{}");

    public static JsonBlob From(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteValue(element);
        }

        return new JsonBlob(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public static JsonBlob Parse(string json)
    {
        using var document = JsonDocument.Parse(json, VisInstruct.Json.JsonRecordReader.DocumentOptions);
        return From(document.RootElement);
    }

    /// <summary>Writes the value through a writer, in the writer's style.</summary>
    public void WriteTo(PythonJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var document = JsonDocument.Parse(Json, VisInstruct.Json.JsonRecordReader.DocumentOptions);
        writer.WriteValue(document.RootElement);
    }
}
