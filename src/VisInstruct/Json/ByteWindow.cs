namespace VisInstruct.Json;

/// <summary>
/// A sliding window over a stream: the bytes not yet consumed, refilled on demand, with line tracking so that any byte
/// in the window can be given its line, column and absolute offset.
/// </summary>
internal sealed class ByteWindow
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _startOffset;
    private long _line = 1;
    private long _lineStartOffset;

    public ByteWindow(Stream stream, int initialSize)
    {
        _stream = stream;
        _buffer = new byte[initialSize];
    }

    /// <summary>True once the stream has no more bytes; what is in the window is all there is.</summary>
    public bool IsFinal { get; private set; }

    public ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    public ReadOnlyMemory<byte> Slice(int start, int length) => _buffer.AsMemory(_start + start, length);

    /// <summary>Absolute offset of the first available byte.</summary>
    public long Offset => _startOffset;

    /// <summary>Reads more of the stream. False when nothing changed (the stream was already exhausted).</summary>
    public bool Fill()
    {
        if (IsFinal)
        {
            return false;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, checked(_buffer.Length * 2));
        }

        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            IsFinal = true;
        }

        _end += read;
        return true;
    }

    /// <summary>Makes sure at least <paramref name="count"/> bytes are available, unless the stream ends first.</summary>
    public void Ensure(int count)
    {
        while (_end - _start < count && Fill())
        {
        }
    }

    /// <summary>Consumes <paramref name="count"/> bytes, keeping the line count.</summary>
    public void Advance(int count)
    {
        ReadOnlySpan<byte> consumed = _buffer.AsSpan(_start, count);
        int newlines = consumed.Count((byte)'\n');
        if (newlines > 0)
        {
            _line += newlines;
            _lineStartOffset = _startOffset + consumed.LastIndexOf((byte)'\n') + 1;
        }

        _start += count;
        _startOffset += count;
    }

    /// <summary>Treats the bytes consumed so far as not starting a line (a skipped byte order mark).</summary>
    public void ResetLineStart() => _lineStartOffset = _startOffset;

    /// <summary>The position of an available byte.</summary>
    public SourcePosition PositionAt(int relative)
    {
        ReadOnlySpan<byte> before = _buffer.AsSpan(_start, relative);
        int newlines = before.Count((byte)'\n');
        long absolute = _startOffset + relative;
        if (newlines == 0)
        {
            return new SourcePosition(_line, absolute - _lineStartOffset + 1, absolute);
        }

        long lineStart = _startOffset + before.LastIndexOf((byte)'\n') + 1;
        return new SourcePosition(_line + newlines, absolute - lineStart + 1, absolute);
    }

    /// <summary>
    /// The position of a place given by its 1-based line and column, where the line is the current line or one inside the window.
    /// </summary>
    public SourcePosition PositionOfLine(long line, long column)
    {
        long lineStart = _lineStartOffset;
        if (line > _line)
        {
            ReadOnlySpan<byte> span = Available;
            long current = _line;
            int offset = 0;
            while (current < line)
            {
                int next = span[offset..].IndexOf((byte)'\n');
                if (next < 0)
                {
                    break;
                }

                offset += next + 1;
                current++;
            }

            lineStart = _startOffset + offset;
        }

        return new SourcePosition(line, column, lineStart + column - 1);
    }
}
