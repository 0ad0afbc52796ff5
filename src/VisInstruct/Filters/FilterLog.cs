using System.Globalization;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Filters;

/// <summary>
/// One line of <c>filters.jsonl</c>: a filter's verdict on a sample, where the sample is (its key in the run, its
/// group), whether this filter's flag removed the sample (it is dropped when any of its lines says so), and for
/// flagged samples the image files they use (absolute, in the source dataset: the report shows their thumbnails
/// although the images are not copied to the output).
/// </summary>
public sealed record FilterLine(string Key, string Group, FilterVerdict Verdict, bool Dropped, IReadOnlyList<string> Images);

/// <summary>
/// <c>filters.jsonl</c>: one <see cref="FilterLine"/> per sample and filter, in key order. The keys are, in this order,
/// <c>key, id, group, filter, flagged, dropped, reason, score, checked, hits, detail, images</c>; the last five are left
/// out when null or empty.
/// </summary>
public static class FilterLog
{
    public const string FileName = "filters.jsonl";

    public static void Write(PythonJsonWriter writer, FilterLine line)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(line);
        var v = line.Verdict;
        writer.WriteStartObject();
        writer.WriteString("key", line.Key);
        writer.WriteString("id", v.SampleId);
        writer.WriteString("group", line.Group);
        writer.WriteString("filter", v.Filter);
        writer.WritePropertyName("flagged");
        writer.WriteBooleanValue(v.Flagged);
        writer.WritePropertyName("dropped");
        writer.WriteBooleanValue(line.Dropped);
        writer.WritePropertyName("reason");
        if (v.Reason is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(v.Reason);
        }

        if (v.Score is { } score)
        {
            writer.WriteNumber("score", score);
        }

        if (v.Checked is { } checkedParts)
        {
            writer.WriteNumber("checked", checkedParts);
        }

        if (v.Hits is { } hits)
        {
            writer.WriteNumber("hits", hits);
        }

        if (v.Detail is { } detail)
        {
            writer.WriteString("detail", detail);
        }

        if (line.Images.Count > 0)
        {
            writer.WritePropertyName("images");
            writer.WriteStartArray();
            foreach (string image in line.Images)
            {
                writer.WriteStringValue(image);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Every line of a <c>filters.jsonl</c>, streamed. A malformed line throws <see cref="InputFormatException"/>.</summary>
    public static IEnumerable<FilterLine> Read(string path)
    {
        using var reader = JsonRecordReader.Open(path);
        while (reader.TryRead(out var raw))
        {
            yield return Parse(path, raw);
        }
    }

    private static FilterLine Parse(string path, RawJsonRecord raw)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw.Utf8, JsonRecordReader.DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new InputFormatException(path, "not JSON: " + ex.Message, raw.Start, recordIndex: raw.Index, innerException: ex);
        }

        using (document)
        {
            var root = document.RootElement;
            string Text(string name) =>
                root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String
                    ? e.GetString()!
                    : throw new InputFormatException(path, $"a filters.jsonl line needs a string \"{name}\"", raw.Start, name, raw.Index);
            bool Flag(string name) => root.TryGetProperty(name, out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? e.GetBoolean()
                : throw new InputFormatException(path, $"a filters.jsonl line needs a boolean \"{name}\"", raw.Start, name, raw.Index);
            string? Optional(string name) =>
                root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            double? Number(string name) =>
                root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
            var images = root.TryGetProperty("images", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToList()
                : [];
            var verdict = new FilterVerdict(Text("id"), Text("filter"), Number("score"), Flag("flagged"), Optional("reason"))
            {
                Checked = Number("checked") is { } c ? (int)c : null,
                Hits = Number("hits") is { } h ? (int)h : null,
                Detail = Optional("detail"),
            };
            return new FilterLine(Text("key"), Text("group"), verdict, Flag("dropped"), images);
        }
    }

    /// <summary>A verdict's score as the card prints it.</summary>
    public static string Format(double score) => score.ToString("0.###", CultureInfo.InvariantCulture);
}
