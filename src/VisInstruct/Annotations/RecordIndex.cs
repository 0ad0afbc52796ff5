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
                    throw new RecordContext(path, raw).Error("",
                        $"duplicate image id {id}: an earlier record of this file has the same id");
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

            var raw = new RawJsonRecord(span.Index, buffer.AsMemory(0, span.Length),
                new SourcePosition(span.Line, span.Column, span.Offset));
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
    /// The record's image id: its top-level <c>image_id</c>, else its top-level <c>id</c>. Two shortcuts read it without
    /// parsing the record again: a leading <c>{"image_id": N</c> (objects, attributes) and a trailing
    /// <c>"id": N}</c> or <c>"image_id": N}</c> (region_descriptions; a record that had both keys would get the trailing
    /// one). Otherwise it reads the top-level properties and skips their values.
    /// </summary>
    internal static long FindImageId(string file, in RawJsonRecord raw)
    {
        if (TryLeadingImageId(raw.Utf8.Span, out long fast) || TryTrailingId(raw.Utf8.Span, out fast))
        {
            return fast;
        }

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

        return id
            ?? throw new RecordContext(file, raw).Error("",
            "missing field \"image_id\" (or \"id\" in older releases and region_descriptions.json)");
    }

    /// <summary>
    /// The shape of objects.json and attributes.json: the record opens with <c>{"image_id": 123,</c>. The first key of
    /// an object starts right after its brace, and a digit before the closing quote rules out an escaped quote.
    /// </summary>
    private static bool TryLeadingImageId(ReadOnlySpan<byte> record, out long id)
    {
        id = 0;
        int pos = SkipSpace(record, 1);
        if (!record[pos..].StartsWith("\"image_id\""u8))
        {
            return false;
        }

        pos = SkipSpace(record, pos + 10);
        if (pos >= record.Length || record[pos] != (byte)':')
        {
            return false;
        }

        pos = SkipSpace(record, pos + 1);
        int digits = record[pos..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits <= 0 || digits > 18)
        {
            return false;
        }

        int after = SkipSpace(record, pos + digits);
        if (after >= record.Length || record[after] is not ((byte)',' or (byte)'}'))
        {
            return false;
        }

        id = ParseDigits(record.Slice(pos, digits));
        return true;
    }

    /// <summary>
    /// The shape of region_descriptions.json: the record ends with <c>"id": 123}</c>. The record is valid JSON (the
    /// reader checked it), so a number right before the closing brace is the value of a top-level member, and a
    /// quote preceded by a comma or a brace is an opening quote, so the key is exactly <c>id</c> (or <c>image_id</c>).
    /// </summary>
    private static bool TryTrailingId(ReadOnlySpan<byte> record, out long id)
    {
        id = 0;
        int end = record.Length - 1;
        if (end < 0 || record[end] != (byte)'}')
        {
            return false;
        }

        int last = SkipSpaceBack(record, end - 1);
        int first = last;
        while (first >= 0 && record[first] is >= (byte)'0' and <= (byte)'9')
        {
            first--;
        }

        int digits = last - first;
        if (digits <= 0 || digits > 18)
        {
            return false;
        }

        int colon = SkipSpaceBack(record, first);
        if (colon < 0 || record[colon] != (byte)':')
        {
            return false;
        }

        int quote = SkipSpaceBack(record, colon - 1);
        ReadOnlySpan<byte> before = record[..(quote + 1)];
        int keyStart;
        if (before.EndsWith("\"id\""u8))
        {
            keyStart = quote - 3;
        }
        else if (before.EndsWith("\"image_id\""u8))
        {
            keyStart = quote - 9;
        }
        else
        {
            return false;
        }

        int separator = SkipSpaceBack(record, keyStart - 1);
        if (separator < 0 || record[separator] is not ((byte)',' or (byte)'{'))
        {
            return false;
        }

        id = ParseDigits(record.Slice(first + 1, digits));
        return true;
    }

    private static int SkipSpace(ReadOnlySpan<byte> span, int pos)
    {
        while (pos < span.Length && span[pos] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            pos++;
        }

        return pos;
    }

    private static int SkipSpaceBack(ReadOnlySpan<byte> span, int pos)
    {
        while (pos >= 0 && span[pos] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            pos--;
        }

        return pos;
    }

    private static long ParseDigits(ReadOnlySpan<byte> digits)
    {
        long value = 0;
        foreach (byte b in digits)
        {
            value = (value * 10) + (b - '0');
        }

        return value;
    }

    private readonly record struct RecordSpan(long Offset, int Length, long Index, long Line, long Column);
}

/// <summary>Parses one record read back from an indexed file.</summary>
internal delegate T RecordParser<out T>(in RawJsonRecord raw);
