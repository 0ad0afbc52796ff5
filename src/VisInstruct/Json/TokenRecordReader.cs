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
    private bool _done;

    /// <summary>What a token led to.</summary>
    private protected enum Step
    {
        /// <summary>A record was taken.</summary>
        Record,

        /// <summary>The token was consumed (or the state changed): read on.</summary>
        Next,

        /// <summary>What the token starts is not all in the window yet: nothing was consumed.</summary>
        Short,
    }

    /// <summary>True once the top-level value has ended (only the end of the file may follow).</summary>
    private protected abstract bool AfterTopLevel { get; }

    /// <summary>Acts on the token the reader is on (the next one after the last commit).</summary>
    private protected abstract Step OnToken(ref Utf8JsonReader reader, long index, out RawJsonRecord record);

    private protected sealed override bool TryReadCore(long index, out RawJsonRecord record)
    {
        record = default;
        while (!_done)
        {
            var reader = new Utf8JsonReader(Window.Available, Window.IsFinal, _state);
            var step = reader.Read() ? OnToken(ref reader, index, out record) : Step.Short;
            if (step == Step.Record)
            {
                return true;
            }

            if (step == Step.Short && !Window.Fill())
            {
                _done = AfterTopLevel ? true : throw Truncated(NextRecordIndex);
            }
        }

        return false;
    }

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
