using System.Text.Json;

namespace VisInstruct.Json;

/// <summary>The records of one top-level JSON array.</summary>
internal sealed class JsonArrayRecordReader(Stream stream, string file, bool ownsStream, ByteWindow window, bool hadBom)
    : TokenRecordReader(stream, file, ownsStream, window, hadBom)
{
    private enum Phase
    {
        BeforeArray,
        InArray,
        AfterArray,
        Done,
    }

    private Phase _phase;

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

            var reader = ReaderFromCommitted();
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

                    if (!TryTakeElement(ref reader, index, out record))
                    {
                        if (Window.Fill())
                        {
                            continue;
                        }

                        throw Truncated(index);
                    }

                    return true;

                default:
                    // A second value after the array: Utf8JsonReader throws on it before we get here.
                    throw new InputFormatException(File, "invalid JSON: unexpected content after the end of the JSON array",
                        Window.PositionAt((int)reader.TokenStartIndex));
            }
        }
    }
}
