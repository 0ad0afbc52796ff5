using System.Buffers;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using VisInstruct.Json;

namespace VisInstruct.Annotations;

/// <summary>
/// A per-image record file (Visual Genome <c>objects.json</c>, <c>region_descriptions.json</c>,
/// <c>attributes.json</c>: a JSON array with one record per image) indexed by image id: for each wanted image, where
/// its record lies, so that it can be read back alone.
/// </summary>
internal sealed class RecordIndex : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly Dictionary<long, RecordSpan> _spans;

    private RecordIndex(string key, string path, SafeFileHandle handle, Dictionary<long, RecordSpan> spans, long records, long bytes)
    {
        Key = key;
        File = path;
        _handle = handle;
        _spans = spans;
        Records = records;
        Bytes = bytes;
    }

    /// <summary>The configuration key the file came from (<c>annotations.vg_objects</c>).</summary>
    public string Key { get; }

    public string File { get; }

    /// <summary>Records in the file.</summary>
    public long Records { get; }

    public long Bytes { get; }

    /// <summary>Records kept (their image is wanted).</summary>
    public int Indexed => _spans.Count;

    /// <summary>Records whose image was not wanted (filtered out, or not in the image list).</summary>
    public long Skipped => Records - _spans.Count;

    /// <summary>
    /// Streams the file once and keeps the place of each record whose image id <paramref name="wanted"/> accepts.
    /// The id is the record's top-level <c>image_id</c>, or <c>id</c> (older releases, and region_descriptions).
    /// </summary>
    public static RecordIndex Build(string key, string path, Func<long, bool> wanted, CancellationToken cancellationToken)
    {
        var spans = new Dictionary<long, RecordSpan>();
        var seen = new HashSet<long>();
        long records = 0;
        long bytes;
        using (var reader = JsonRecordReader.OpenArray(path))
        {
            while (reader.TryRead(out var raw))
            {
                if ((records++ & 0x3FF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                long id = FindImageId(path, raw);
                if (!seen.Add(id))
                {
                    throw new RecordContext(path, raw).Error("", $"duplicate image id {id}: an earlier record of this file has the same id");
                }

                if (wanted(id))
                {
                    spans.Add(id, new RecordSpan(raw.Start.ByteOffset, raw.Utf8.Length, raw.Index, raw.Start.Line, raw.Start.Column));
                }
            }

            bytes = reader.BytesRead;
        }

        var handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        return new RecordIndex(key, path, handle, spans, records, Math.Max(bytes, RandomAccess.GetLength(handle)));
    }

    public bool Contains(long imageId) => _spans.ContainsKey(imageId);

    /// <summary>
    /// Reads an image's record and hands it to <paramref name="parse"/>; false when the file has no record for the image.
    /// Safe to call from several threads at once.
    /// </summary>
    public bool TryParse<T>(long imageId, RecordParser<T> parse, out T result)
    {
        if (!_spans.TryGetValue(imageId, out var span))
        {
            result = default!;
            return false;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(span.Length);
        try
        {
            int read = 0;
            while (read < span.Length)
            {
                int n = RandomAccess.Read(_handle, buffer.AsSpan(read, span.Length - read), span.Offset + read);
                if (n == 0)
                {
                    throw new InputFormatException(File, "the file is shorter than when it was indexed (did it change?)",
                        new SourcePosition(span.Line, span.Column, span.Offset), recordIndex: span.Index);
                }

                read += n;
            }

            var raw = new RawJsonRecord(span.Index, buffer.AsMemory(0, span.Length), new SourcePosition(span.Line, span.Column, span.Offset));
            try
            {
                result = parse(raw);
            }
            catch (JsonException ex)
            {
                throw new InputFormatException(File, "invalid JSON (did the file change since it was indexed?)",
                    raw.PositionOf(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0), recordIndex: span.Index, innerException: ex);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// The record's image id: its top-level <c>image_id</c>, else its top-level <c>id</c>. Reads the top-level
    /// properties only and skips their values, so an id after a big array (region_descriptions) is still found.
    /// </summary>
    internal static long FindImageId(string file, in RawJsonRecord raw)
    {
        var reader = new Utf8JsonReader(raw.Utf8.Span, isFinalBlock: true, state: default);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RecordContext(file, raw).Error("", $"expected an object, found {JsonValues.Describe(ref reader)}");
        }

        long? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isImageId = reader.ValueTextEquals("image_id"u8);
            bool isId = !isImageId && reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isImageId || isId)
            {
                if (!JsonValues.TryInt64(ref reader, out long value))
                {
                    throw new InputFormatException(file, $"expected an image id (an integer), found {JsonValues.Describe(ref reader)}",
                        raw.PositionOf((int)reader.TokenStartIndex), isImageId ? "image_id" : "id", raw.Index);
                }

                if (isImageId)
                {
                    return value;
                }

                id = value;
                continue;
            }

            reader.Skip();
        }

        return id ?? throw new RecordContext(file, raw).Error("", "missing field \"image_id\" (or \"id\" in older releases and region_descriptions.json)");
    }

    private readonly record struct RecordSpan(long Offset, int Length, long Index, long Line, long Column);
}

/// <summary>Parses one record read back from an indexed file.</summary>
internal delegate T RecordParser<out T>(in RawJsonRecord raw);
