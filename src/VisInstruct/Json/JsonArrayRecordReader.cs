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
    }

    private Phase _phase;

    public override JsonRecordLayout Layout => JsonRecordLayout.Array;

    private protected override bool AfterTopLevel => _phase == Phase.AfterArray;

    private protected override Step OnToken(ref Utf8JsonReader reader, long index, out long element)
    {
        element = index;
        switch (_phase)
        {
            case Phase.BeforeArray:
                Commit(ref reader);
                _phase = Phase.InArray;
                return Step.Next;

            case Phase.InArray when reader.TokenType == JsonTokenType.EndArray:
                Commit(ref reader);
                _phase = Phase.AfterArray;
                return Step.Next;

            case Phase.InArray:
                return Step.Element;

            default:
                // A second value after the array: Utf8JsonReader throws on it before we get here.
                throw new InputFormatException(File, "invalid JSON: unexpected content after the end of the JSON array",
                    Window.PositionAt((int)reader.TokenStartIndex));
        }
    }
}
