using System.Globalization;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace VisInstruct.Json;

/// <summary>How the records of a file are laid out.</summary>
public enum JsonRecordLayout
{
    /// <summary>One JSON array whose elements are the records.</summary>
    Array,

    /// <summary>JSON Lines: one record per line.</summary>
    Lines,
}

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
        window.Ensure(3);
        bool hadBom = window.Available.StartsWith("\uFEFF"u8);
        if (hadBom)
        {
            window.Advance(3);
            window.ResetLineStart();
        }

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
            var position = PositionOfReaderError(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
            string reason = TrimReaderMessage(ex.Message);
            if (IsTooDeep(ex))
            {
                throw TooDeep(File, position, _nextIndex, ex);
            }

            if (Window.IsFinal && position.ByteOffset >= Window.Offset + Window.Available.TrimEnd(" \t\r\n"u8).Length)
            {
                reason = "unexpected end of file: the JSON is truncated";
            }

            throw new InputFormatException(File, $"invalid JSON: {reason}", position, recordIndex: _nextIndex, innerException: ex);
        }

        _nextIndex++;
        ValidateUtf8(record);
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

    private protected abstract bool TryReadCore(long index, out RawJsonRecord record);

    /// <summary>Where a Utf8JsonReader error (0-based line and byte-in-line from where reading began) is in the file.</summary>
    private protected virtual SourcePosition PositionOfReaderError(long line, long bytePositionInLine) =>
        Window.PositionAt(0);

    private protected InputFormatException Truncated(long index) =>
        new(File, "invalid JSON: unexpected end of file: the JSON is truncated",
            Window.PositionAt(Window.Available.Length), recordIndex: index);

    private protected static bool IsTooDeep(JsonException ex) => ex.Message.Contains("maximum configured depth", StringComparison.Ordinal);

    /// <summary>The error for JSON that is valid but nested deeper than <see cref="MaxDepth"/>.</summary>
    public static InputFormatException TooDeep(string file, SourcePosition position, long? recordIndex, Exception? innerException = null) =>
        new(file, string.Create(CultureInfo.InvariantCulture,
                $"nested deeper than {MaxDepth} levels at line {position.Line}, column {position.Column}; the JSON may be valid, but VisInstruct reads at most {MaxDepth} levels"),
            position, recordIndex: recordIndex, innerException: innerException);

    private static string TrimReaderMessage(string message)
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
    private void ValidateUtf8(in RawJsonRecord record)
    {
        ReadOnlySpan<byte> span = record.Utf8.Span;
        if (Utf8.IsValid(span))
        {
            return;
        }

        int offset = 0;
        while (offset < span.Length && Rune.DecodeFromUtf8(span[offset..], out _, out int consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        string field = JsonLocator.PathAt(span, offset);
        throw new InputFormatException(File,
            $"invalid UTF-8: byte 0x{span[offset]:X2} does not start a valid UTF-8 sequence (the file must be UTF-8)",
            record.PositionOf(offset), field.Length == 0 ? null : field, record.Index);
    }
}

/// <summary>The records of one top-level JSON array.</summary>
internal sealed class JsonArrayRecordReader(Stream stream, string file, bool ownsStream, ByteWindow window, bool hadBom)
    : JsonRecordReader(stream, file, ownsStream, window, hadBom)
{
    private enum Phase
    {
        BeforeArray,
        InArray,
        AfterArray,
        Done,
    }

    private readonly SourcePosition _origin = window.PositionAt(0);
    private Phase _phase;
    private JsonReaderState _state = new(ReaderOptions);

    public override JsonRecordLayout Layout => JsonRecordLayout.Array;

    private protected override bool TryReadCore(long index, out RawJsonRecord record)
    {
        while (true)
        {
            if (_phase == Phase.Done)
            {
                record = default;
                return false;
            }

            var reader = new Utf8JsonReader(Window.Available, Window.IsFinal, _state);
            if (!reader.Read())
            {
                if (Window.Fill())
                {
                    continue;
                }

                if (_phase == Phase.AfterArray)
                {
                    _phase = Phase.Done;
                    continue;
                }

                throw Truncated(index);
            }

            switch (_phase)
            {
                case Phase.BeforeArray:
                    Commit(ref reader);
                    _phase = Phase.InArray;
                    continue;

                case Phase.InArray:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        Commit(ref reader);
                        _phase = Phase.AfterArray;
                        continue;
                    }

                    int start = (int)reader.TokenStartIndex;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                    {
                        if (Window.Fill())
                        {
                            continue;
                        }

                        throw Truncated(index);
                    }

                    int end = (int)reader.BytesConsumed;
                    record = new RawJsonRecord(index, Window.Slice(start, end - start), Window.PositionAt(start));
                    Commit(ref reader);
                    return true;

                default:
                    // A second value after the array: Utf8JsonReader throws on it before we get here.
                    throw new InputFormatException(File, "invalid JSON: unexpected content after the end of the JSON array",
                        Window.PositionAt((int)reader.TokenStartIndex));
            }
        }
    }

    private protected override SourcePosition PositionOfReaderError(long line, long bytePositionInLine) => line == 0
        ? new SourcePosition(_origin.Line, _origin.Column + bytePositionInLine, _origin.ByteOffset + bytePositionInLine)
        : Window.PositionOfLine(_origin.Line + line, bytePositionInLine + 1);

    private void Commit(ref Utf8JsonReader reader)
    {
        _state = reader.CurrentState;
        Window.Advance((int)reader.BytesConsumed);
    }
}

/// <summary>The records of a JSON Lines file: one JSON value per non-blank line.</summary>
internal sealed class JsonLinesRecordReader(Stream stream, string file, bool ownsStream, ByteWindow window, bool hadBom)
    : JsonRecordReader(stream, file, ownsStream, window, hadBom)
{
    public override JsonRecordLayout Layout => JsonRecordLayout.Lines;

    private protected override bool TryReadCore(long index, out RawJsonRecord record)
    {
        while (true)
        {
            ReadOnlySpan<byte> span = Window.Available;
            int newline = span.IndexOf((byte)'\n');
            if (newline < 0 && !Window.IsFinal)
            {
                Window.Fill();
                continue;
            }

            if (span.IsEmpty)
            {
                record = default;
                return false;
            }

            int lineLength = newline < 0 ? span.Length : newline;
            ReadOnlySpan<byte> line = span[..lineLength];
            int contentStart = line.IndexOfAnyExcept(" \t\r"u8);
            if (contentStart < 0)
            {
                Window.Advance(newline < 0 ? lineLength : lineLength + 1);
                continue;
            }

            int contentLength = line.TrimEnd(" \t\r"u8).Length - contentStart;
            record = new RawJsonRecord(index, Window.Slice(contentStart, contentLength), Window.PositionAt(contentStart));
            CheckOneValue(record);
            Window.Advance(newline < 0 ? lineLength : lineLength + 1);
            return true;
        }
    }

    private void CheckOneValue(in RawJsonRecord record)
    {
        var reader = new Utf8JsonReader(record.Utf8.Span, isFinalBlock: true, state: new JsonReaderState(ReaderOptions));
        try
        {
            reader.Read();
            reader.Skip();
            if (reader.Read())
            {
                throw new InputFormatException(File, "invalid JSON Lines: more than one JSON value on this line",
                    record.PositionOf((int)reader.TokenStartIndex), recordIndex: record.Index);
            }
        }
        catch (JsonException ex)
        {
            string message = ex.Message;
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            string reason = (cut >= 0 ? message[..cut] : message).TrimEnd(' ', '.', '|');
            throw IsTooDeep(ex)
                ? TooDeep(File, record.PositionOf(0, ex.BytePositionInLine ?? 0), record.Index, ex)
                : new InputFormatException(File, $"invalid JSON: {reason}",
                    record.PositionOf(0, ex.BytePositionInLine ?? 0), recordIndex: record.Index, innerException: ex);
        }
    }
}
