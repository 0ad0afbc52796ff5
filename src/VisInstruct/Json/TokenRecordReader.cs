using System.Text.Json;

namespace VisInstruct.Json;

/// <summary>
/// The layouts read token by token (one array; the arrays of one object): one reader state carried across refills of
/// the window, reader errors placed from where reading began, and each element taken whole as a record.
/// </summary>
internal abstract class TokenRecordReader(Stream stream, string file, bool ownsStream, ByteWindow window, bool hadBom)
    : JsonRecordReader(stream, file, ownsStream, window, hadBom)
{
    private readonly SourcePosition _origin = window.PositionAt(0);
    private JsonReaderState _state = new(ReaderOptions);

    /// <summary>A reader over the window from the last committed token.</summary>
    private protected Utf8JsonReader ReaderFromCommitted() => new(Window.Available, Window.IsFinal, _state);

    /// <summary>Consumes what the reader has read.</summary>
    private protected void Commit(ref Utf8JsonReader reader)
    {
        _state = reader.CurrentState;
        Window.Advance((int)reader.BytesConsumed);
    }

    /// <summary>
    /// Takes the element the reader is on as record <paramref name="index"/> and commits it; false when the element is
    /// not all in the window yet (nothing is committed: fill the window and read it again).
    /// </summary>
    private protected bool TryTakeElement(ref Utf8JsonReader reader, long index, out RawJsonRecord record)
    {
        int start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
        {
            record = default;
            return false;
        }

        int end = (int)reader.BytesConsumed;
        record = new RawJsonRecord(index, Window.Slice(start, end - start), Window.PositionAt(start));
        Commit(ref reader);
        return true;
    }

    private protected override SourcePosition PositionOfReaderError(long line, long bytePositionInLine) => line == 0
        ? new SourcePosition(_origin.Line, _origin.Column + bytePositionInLine, _origin.ByteOffset + bytePositionInLine)
        : Window.PositionOfLine(_origin.Line + line, bytePositionInLine + 1);
}
