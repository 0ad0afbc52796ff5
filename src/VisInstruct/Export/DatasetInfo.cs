using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using VisInstruct.Json;

namespace VisInstruct.Export;

/// <summary>
/// LLaMA-Factory's <c>dataset_info.json</c>: one entry per dataset name. An export adds or replaces its own entry
/// and keeps every other one as it was.
/// </summary>
public static class DatasetInfo
{
    public const string FileName = "dataset_info.json";

    /// <summary>The entries of <paramref name="path"/> (empty when there is no such file); bad JSON is bad input naming the file.</summary>
    public static JsonObject Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) as JsonObject
                ?? throw new InputFormatException(path, "dataset_info.json must be a JSON object of dataset entries");
        }
        catch (JsonException ex)
        {
            throw new InputFormatException(path, "not valid JSON (LLaMA-Factory could not read it either): " + ex.Message,
                innerException: ex);
        }
    }

    /// <summary>The entry for a multimodal ShareGPT file: <c>messages</c> of <c>{role, content}</c>, an <c>images</c> list.</summary>
    public static JsonObject Entry(string fileName) => new()
    {
        ["file_name"] = fileName,
        ["formatting"] = "sharegpt",
        ["columns"] = new JsonObject { ["messages"] = "messages", ["images"] = "images" },
        ["tags"] = new JsonObject
        {
            ["role_tag"] = "role", ["content_tag"] = "content", ["user_tag"] = "user", ["assistant_tag"] = "assistant",
        },
    };

    /// <summary>Writes <paramref name="entries"/> with <paramref name="name"/>'s entry set to <see cref="Entry"/>, indented by 2.</summary>
    public static void Write(Stream stream, JsonObject entries, string name, string fileName)
    {
        ArgumentNullException.ThrowIfNull(entries);
        entries[name] = Entry(fileName);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        entries.WriteTo(writer);
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }
}
