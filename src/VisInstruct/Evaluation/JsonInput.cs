using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Evaluation;

/// <summary>Reading the benchmarks' JSON and JSON Lines files record by record, with errors that say where.</summary>
public static class JsonInput
{
    /// <summary>Every record of a JSON Lines file (or JSON array), parsed, with its context for errors.</summary>
    public static IEnumerable<(JsonElement Record, RecordContext Context)> Records(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = JsonRecordReader.Open(path);
        while (reader.TryRead(out var raw))
        {
            var context = new RecordContext(reader.File, raw);
            JsonElement record;
            using (var document = JsonDocument.Parse(raw.Utf8, JsonRecordReader.DocumentOptions))
            {
                record = document.RootElement.Clone();
            }

            if (record.ValueKind != JsonValueKind.Object)
            {
                throw context.Error("", $"expected an object, found {JsonRecords.Describe(record)}");
            }

            yield return (record, context);
        }
    }

    /// <summary>A whole JSON document (for files that are one object, such as ScienceQA's problems.json).</summary>
    public static JsonDocument Document(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        using (var stream = JsonRecordReader.OpenFile(path))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        try
        {
            return JsonDocument.Parse(bytes, JsonRecordReader.DocumentOptions);
        }
        catch (JsonException ex)
        {
            SourcePosition? position = null;
            if (ex.LineNumber is { } line)
            {
                long offset = 0;
                for (long seen = 0; seen < line && offset < bytes.Length; offset++)
                {
                    seen += bytes[offset] == '\n' ? 1 : 0;
                }

                long column = ex.BytePositionInLine ?? 0;
                position = new SourcePosition(line + 1, column + 1, offset + column);
            }

            throw new InputFormatException(path, "not valid JSON: " + ex.Message.Split(" Path:")[0], position, innerException: ex);
        }
    }

    /// <summary>A required property of an object, or an error naming <paramref name="where"/> and the field.</summary>
    public static JsonElement Required(JsonElement element, string name, string where)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            throw new InputFormatException(where, $"no {name}", field: name);
        }

        return value;
    }

    /// <summary>A string as a JSON literal (Python's <c>json.dumps</c> of it), for fingerprints built by hand.</summary>
    public static string Quote(string text) => PythonJsonWriter.Quote(text);

    /// <summary>An id (string or integer) as text, the way answers are joined.</summary>
    public static string Id(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
