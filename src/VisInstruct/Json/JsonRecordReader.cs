using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace VisInstruct.Json;

/// <summary>
/// Streams the records of a JSON array or JSONL file without holding the file: each record is handed out as raw,
/// syntax-checked, UTF-8-validated bytes with its exact position, so that any later error can name the place.
/// </summary>
public abstract class JsonRecordReader : IDisposable
{
    /// <summary>
    /// The deepest nesting read (Python's json module reads about as deep before its recursion limit); beyond it a
    /// file is refused with the place where it goes deeper.
    /// </summary>
    public const int MaxDepth = 1000;

    /// <summary>The reader options every record reader uses.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>The document options for parsing a record that was read (the same depth).</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    private const int InitialBufferSize = 1 << 20;
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private long _nextIndex;
    private bool _disposed;

    private protected JsonRecordReader(Stream stream, string file, bool ownsStream, ByteWindow window, bool hadBom)
    {
        _stream = stream;
        File = file;
        _ownsStream = ownsStream;
        Window = window;
        HadByteOrderMark = hadBom;
    }

    /// <summary>The file name used in messages.</summary>
    public string File { get; }

    public abstract JsonRecordLayout Layout { get; }

    /// <summary>True when the file began with a UTF-8 byte order mark (skipped).</summary>
    public bool HadByteOrderMark { get; }

    /// <summary>How many records have been read so far.</summary>
    public long RecordsRead => _nextIndex;

    /// <summary>Bytes of the file consumed so far.</summary>
    public long BytesRead => Window.Offset;

    private protected ByteWindow Window { get; }

    /// <summary>
    /// Opens a file and picks the layout from its first significant byte: <c>[</c> is a JSON array, <c>{</c> is JSON
    /// Lines. Anything else is bad input.
    /// </summary>
    public static JsonRecordReader Open(string path, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = OpenFile(path, displayName);
        try
        {
            return Open(stream, displayName ?? path, ownsStream: true);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Like <see cref="Open(string, string?)"/>, over a stream.</summary>
    public static JsonRecordReader Open(Stream stream, string file, bool ownsStream = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var window = new ByteWindow(stream, InitialBufferSize);
        bool hadBom = SkipByteOrderMark(window);
        int first;
        while (true)
        {
            ReadOnlySpan<byte> span = window.Available;
            first = span.IndexOfAnyExcept(" \t\r\n"u8);
            if (first >= 0)
            {
                break;
            }

            window.Advance(span.Length);
            if (!window.Fill() || (window.IsFinal && window.Available.IsEmpty))
            {
                throw new InputFormatException(file, "the file is empty: no JSON array and no JSON Lines records", window.PositionAt(0));
            }
        }

        window.Advance(first);
        byte b = window.Available[0];
        return b switch
        {
            (byte)'[' => new JsonArrayRecordReader(stream, file, ownsStream, window, hadBom),
            (byte)'{' => new JsonLinesRecordReader(stream, file, ownsStream, window, hadBom),
            _ => throw new InputFormatException(file,
                $"expected a JSON array ('[') or JSON Lines (an object '{{' on each line), found {DescribeByte(b)}",
                window.PositionAt(0)),
        };
    }

    /// <summary>Opens a file that must be one JSON array (the layout Python's <c>json.load</c> reads).</summary>
    public static JsonRecordReader OpenArray(string path, string? displayName = null)
    {
        var reader = Open(path, displayName);
        if (reader.Layout != JsonRecordLayout.Array)
        {
            reader.Dispose();
            throw new InputFormatException(displayName ?? path,
                "expected a JSON array ('['); this file starts with '{', like JSON Lines", new SourcePosition(1, 1, 0));
        }

        return reader;
    }

    /// <summary>
    /// Opens a file whose top level is one JSON object (COCO's <c>captions_*.json</c>, <c>instances_*.json</c>): its
    /// records are the elements of the arrays under the keys <paramref name="arrays"/> accepts, in file order; the
    /// values of other keys are skipped unread. A record's index counts within its array.
    /// </summary>
    internal static JsonObjectRecordReader OpenObject(string path, Func<string, bool> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var stream = OpenFile(path);
        try
        {
            var window = new ByteWindow(stream, InitialBufferSize);
            bool hadBom = SkipByteOrderMark(window);
            return new JsonObjectRecordReader(stream, path, ownsStream: true, window, hadBom, arrays);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a file for reading with a clear error when it is missing or unreadable.</summary>
    public static FileStream OpenFile(string path, string? displayName = null)
    {
        if (Directory.Exists(path))
        {
            throw new InputFormatException(displayName ?? path, "this is a folder; a file is needed here");
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(displayName ?? path, "file not found", innerException: ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new InputFormatException(displayName ?? path, $"cannot read the file: {ex.Message}", innerException: ex);
        }
    }

    /// <summary>Reads the next record; false at the end of the file.</summary>
    public bool TryRead(out RawJsonRecord record)
    {
        try
        {
            if (!TryReadCore(_nextIndex, out record))
            {
                return false;
            }
        }
        catch (JsonException ex)
        {
            throw ReaderError(ex);
        }

        _nextIndex++;
        ValidateUtf8(record);
        return true;
    }

    /// <summary>
    /// Reads the next record and parses it with <paramref name="parse"/>, in place where the layout allows (the array
    /// and object layouts: the record is tokenized once, by the parse, instead of once to delimit it and once more to
    /// parse it). The record is syntax-checked and UTF-8-validated as by <see cref="TryRead(out RawJsonRecord)"/>,
    /// and its errors come first: a parse error is reported only for a record that is otherwise valid. False at the
    /// end of the file.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool TryRead<T>(JsonRecordParser<T> parse, out RawJsonRecord record, out T value)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            if (!TryParseCore(_nextIndex, parse, out record, out value))
            {
                return false;
            }
        }
        catch (JsonException ex)
        {
            throw ReaderError(ex);
        }

        _nextIndex++;
        return true;
    }

    /// <summary>All records, in file order. Each record's bytes are valid only until the enumerator moves on.</summary>
    public IEnumerable<RawJsonRecord> ReadAll()
    {
        while (TryRead(out var record))
        {
            yield return record;
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing && _ownsStream)
        {
            _stream.Dispose();
        }
    }

    /// <summary>The index the next record will have, for errors met while looking for it (null outside records).</summary>
    private protected virtual long? NextRecordIndex => _nextIndex;

    private protected abstract bool TryReadCore(long index, out RawJsonRecord record);

    /// <summary>
    /// Reads, checks and parses the next record (the record reader's checks first); by default the record is read
    /// whole and parsed from its own bytes.
    /// </summary>
    private protected virtual bool TryParseCore<T>(long index, JsonRecordParser<T> parse, out RawJsonRecord record, out T value)
    {
        if (!TryReadCore(index, out record))
        {
            value = default!;
            return false;
        }

        ValidateUtf8(record);
        value = Parse(parse, record);
        return true;
    }

    /// <summary>Parses a checked record from its own bytes (a reader on its first token, the record's end final).</summary>
    private protected static T Parse<T>(JsonRecordParser<T> parse, in RawJsonRecord record)
    {
        var reader = new Utf8JsonReader(record.Utf8.Span, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        reader.Read();
        return parse(ref reader, record);
    }

    /// <summary>A reader error met while reading records, placed in the file.</summary>
    private InputFormatException ReaderError(JsonException ex)
    {
        var position = PositionOfReaderError(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
        string reason = TrimReaderMessage(ex.Message);
        if (IsTooDeep(ex))
        {
            return TooDeep(File, position, NextRecordIndex, ex);
        }

        if (Window.IsFinal && position.ByteOffset >= Window.Offset + Window.Available.TrimEnd(" \t\r\n"u8).Length)
        {
            reason = "unexpected end of file: the JSON is truncated";
        }

        return new InputFormatException(File, $"invalid JSON: {reason}", position, recordIndex: NextRecordIndex, innerException: ex);
    }

    private static bool SkipByteOrderMark(ByteWindow window)
    {
        window.Ensure(3);
        if (!window.Available.StartsWith("\uFEFF"u8))
        {
            return false;
        }

        window.Advance(3);
        window.ResetLineStart();
        return true;
    }

    /// <summary>Where a Utf8JsonReader error (0-based line and byte-in-line from where reading began) is in the file.</summary>
    private protected virtual SourcePosition PositionOfReaderError(long line, long bytePositionInLine) =>
        Window.PositionAt(0);

    private protected InputFormatException Truncated(long? index) =>
        new(File, "invalid JSON: unexpected end of file: the JSON is truncated",
            Window.PositionAt(Window.Available.Length), recordIndex: index);

    private protected static bool IsTooDeep(JsonException ex) => ex.Message.Contains("maximum configured depth", StringComparison.Ordinal);

    /// <summary>The error for JSON that is valid but nested deeper than <see cref="MaxDepth"/>.</summary>
    public static InputFormatException TooDeep(string file, SourcePosition position, long? recordIndex, Exception? innerException = null) =>
        new(file, string.Create(CultureInfo.InvariantCulture,
                $"nested deeper than {MaxDepth} levels at line {position.Line}, column {position.Column}; the JSON may be valid, but " +
                    $"VisInstruct reads at most {MaxDepth} levels"),
            position, recordIndex: recordIndex, innerException: innerException);

    private protected static string TrimReaderMessage(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        string text = cut >= 0 ? message[..cut] : message;
        return text.TrimEnd(' ', '.', '|');
    }

    private static string DescribeByte(byte b) => b switch
    {
        >= 0x20 and < 0x7F => $"'{(char)b}'",
        _ => $"byte 0x{b:X2}",
    };

    /// <summary>Checks that a record is valid UTF-8 and throws naming the first bad byte and the field it is in.</summary>
    private protected void ValidateUtf8(in RawJsonRecord record)
    {
        if (!Utf8.IsValid(record.Utf8.Span))
        {
            throw InvalidUtf8(record);
        }
    }

    private InputFormatException InvalidUtf8(in RawJsonRecord record)
    {
        ReadOnlySpan<byte> span = record.Utf8.Span;
        int offset = 0;
        while (offset < span.Length && Rune.DecodeFromUtf8(span[offset..], out _, out int consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        string field = JsonLocator.PathAt(span, offset);
        return new InputFormatException(File,
            $"invalid UTF-8: byte 0x{span[offset]:X2} does not start a valid UTF-8 sequence (the file must be UTF-8)",
            record.PositionOf(offset), field.Length == 0 ? null : field, record.Index);
    }
}
