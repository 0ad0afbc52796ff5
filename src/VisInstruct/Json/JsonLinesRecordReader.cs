using System.Text.Json;

namespace VisInstruct.Json;

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
            string reason = TrimReaderMessage(ex.Message);
            throw IsTooDeep(ex)
                ? TooDeep(File, record.PositionOf(0, ex.BytePositionInLine ?? 0), record.Index, ex)
                : new InputFormatException(File, $"invalid JSON: {reason}",
                    record.PositionOf(0, ex.BytePositionInLine ?? 0), recordIndex: record.Index, innerException: ex);
        }
    }
}
