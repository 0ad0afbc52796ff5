using System.Text.Json;

namespace VisInstruct.Json;

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
