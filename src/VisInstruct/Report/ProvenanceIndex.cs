using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Report;

/// <summary>
/// Where each image's record is in a <c>provenance.jsonl</c> (the image's prompt, backend, model, seed and size),
/// kept as a file offset per image path so that a million images cost a few tens of megabytes, not their prompts;
/// a record is read back when the sample browser's chunk that shows the image is written.
/// </summary>
public sealed class ProvenanceIndex : IDisposable
{
    private readonly Dictionary<string, (long Offset, int Length)> _records = new(StringComparer.Ordinal);
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle? _handle;

    private ProvenanceIndex(string? path)
    {
        Path = path;
        if (path is not null)
        {
            _handle = File.OpenHandle(path);
        }
    }

    public string? Path { get; }

    public int Count => _records.Count;

    /// <summary>Indexes <paramref name="path"/> (null: an empty index). The first record of an image path wins.</summary>
    public static ProvenanceIndex Open(string? path, CancellationToken cancellationToken)
    {
        var index = new ProvenanceIndex(path);
        if (path is null)
        {
            return index;
        }

        foreach (var (record, entry) in ReadAll(path, cancellationToken))
        {
            index._records.TryAdd(entry.File, (record.Start.ByteOffset, record.Utf8.Length));
        }

        return index;
    }

    /// <summary>Every record of the file in order, with its raw position (a render folder's images are listed from it).</summary>
    public static IEnumerable<(RawJsonRecord Record, ProvenanceEntry Entry)> ReadAll(string path, CancellationToken cancellationToken)
    {
        using var reader = JsonRecordReader.Open(path);
        while (reader.TryRead(out var raw))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ProvenanceEntry.Parse(raw.Utf8.Span) is { } entry)
            {
                yield return (raw, entry);
            }
        }
    }

    /// <summary>The record of the image the sample names as <paramref name="imagePath"/>, or null.</summary>
    public ProvenanceEntry? Find(string imagePath)
    {
        if (_handle is null || !_records.TryGetValue(imagePath, out var at))
        {
            return null;
        }

        var buffer = new byte[at.Length];
        int read = RandomAccess.Read(_handle, buffer, at.Offset);
        return read == buffer.Length ? ProvenanceEntry.Parse(buffer) : null;
    }

    public void Dispose() => _handle?.Dispose();
}

/// <summary>An image's provenance as the browser shows it (generate writes it under <c>image</c>, render at the top level).</summary>
public sealed record ProvenanceEntry(string File, string? Sample, string? Prompt, string? NegativePrompt, string? Backend, string? Model,
    string? Seed, int? Width, int? Height)
{
    /// <summary>Reads one provenance line; null when it names no image file.</summary>
    public static ProvenanceEntry? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, JsonRecordReader.ReaderOptions);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? sample = Text(root, "sample");
            var image = root.TryGetProperty("image", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : root;
            return Text(image, "file") is { } file
                ? new ProvenanceEntry(file, sample, Text(image, "prompt"), Text(image, "negative_prompt"), Text(image, "backend"),
                    Text(image, "model"), Text(image, "seed"), Int(image, "width"), Int(image, "height"))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    } : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : null;
}
