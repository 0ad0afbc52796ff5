namespace VisInstruct.Json;

/// <summary>
/// One top-level record of a JSON array or JSONL file, as raw UTF-8 with its place in the file. The bytes belong to
/// the reader and are valid until the next read; copy them to keep them.
/// </summary>
public readonly record struct RawJsonRecord(long Index, ReadOnlyMemory<byte> Utf8, SourcePosition Start)
{
    /// <summary>The position of a byte inside this record, from the record's start position.</summary>
    public SourcePosition PositionOf(int offsetInRecord)
    {
        ReadOnlySpan<byte> before = Utf8.Span[..Math.Clamp(offsetInRecord, 0, Utf8.Length)];
        int newlines = before.Count((byte)'\n');
        if (newlines == 0)
        {
            return new SourcePosition(Start.Line, Start.Column + offsetInRecord, Start.ByteOffset + offsetInRecord);
        }

        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        return new SourcePosition(Start.Line + newlines, offsetInRecord - lineStart + 1, Start.ByteOffset + offsetInRecord);
    }

    /// <summary>The position of a reader-reported (0-based line, byte-in-line) place inside this record.</summary>
    public SourcePosition PositionOf(long lineInRecord, long bytePositionInLine)
    {
        if (lineInRecord <= 0)
        {
            return new SourcePosition(Start.Line, Start.Column + bytePositionInLine, Start.ByteOffset + bytePositionInLine);
        }

        ReadOnlySpan<byte> span = Utf8.Span;
        int offset = 0;
        for (long line = 0; line < lineInRecord; line++)
        {
            int next = span[offset..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            offset += next + 1;
        }

        return new SourcePosition(Start.Line + lineInRecord, bytePositionInLine + 1, Start.ByteOffset + offset + bytePositionInLine);
    }
}
