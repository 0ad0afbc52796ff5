using System.Runtime.CompilerServices;
using System.Text.Json;

namespace VisInstruct.Json;

/// <summary>
/// The records of the arrays under chosen keys of one top-level JSON object (see
/// <see cref="JsonRecordReader.OpenObject"/>): the values of the other keys are skipped, holding only a window of the
/// file as large as the largest record (or skipped value).
/// </summary>
internal sealed class JsonObjectRecordReader(Stream stream, string file, bool ownsStream, ByteWindow window, bool hadBom, Func<string,
    bool> arrays)
    : TokenRecordReader(stream, file, ownsStream, window, hadBom)
{
    private enum Phase
    {
        BeforeObject,
        InObject,
        InArray,
        AfterObject,
    }

    private Phase _phase;
    private long _index;

    public override JsonRecordLayout Layout => JsonRecordLayout.Object;

    /// <summary>The key of the array the last record came from.</summary>
    public string Property { get; private set; } = "";

    private protected override long? NextRecordIndex => _phase == Phase.InArray ? _index : null;

    private protected override bool AfterTopLevel => _phase == Phase.AfterObject;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected override Step OnToken(ref Utf8JsonReader reader, long index, out long element)
    {
        element = _index;
        switch (_phase)
        {
            case Phase.BeforeObject:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new InputFormatException(File,
                        $"expected a JSON object ('{{') at the top of the file, found {JsonValues.Describe(ref reader)}",
                        Window.PositionAt((int)reader.TokenStartIndex));
                }

                Commit(ref reader);
                _phase = Phase.InObject;
                return Step.Next;

            case Phase.InObject when reader.TokenType == JsonTokenType.EndObject:
                Commit(ref reader);
                _phase = Phase.AfterObject;
                return Step.Next;

            case Phase.InObject:
                return TryEnterProperty(ref reader) ? Step.Next : Step.Short;

            case Phase.InArray when reader.TokenType == JsonTokenType.EndArray:
                Commit(ref reader);
                _phase = Phase.InObject;
                return Step.Next;

            case Phase.InArray:
                return Step.Element;

            default:
                // A second value after the object: Utf8JsonReader throws on it before we get here.
                throw new InputFormatException(File, "invalid JSON: unexpected content after the end of the JSON object",
                    Window.PositionAt((int)reader.TokenStartIndex));
        }
    }

    private protected override void ElementTaken() => _index++;

    /// <summary>
    /// On a key of the object: enters its array when the key is chosen, else skips its value. False when the value is
    /// not all in the window yet (nothing is committed: the key is read again with more bytes).
    /// </summary>
    private bool TryEnterProperty(ref Utf8JsonReader reader)
    {
        int nameStart = (int)reader.TokenStartIndex;
        string name;
        try
        {
            name = reader.GetString() ?? "";
        }
        catch (InvalidOperationException ex)
        {
            throw new InputFormatException(File, $"invalid UTF-8 in a property name: {ex.Message}", Window.PositionAt(nameStart),
                innerException: ex);
        }

        if (!reader.Read())
        {
            return false;
        }

        if (!arrays(name))
        {
            if (!reader.TrySkip())
            {
                return false;
            }

            Commit(ref reader);
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InputFormatException(File, $"expected an array, found {JsonValues.Describe(ref reader)}",
                Window.PositionAt((int)reader.TokenStartIndex), JsonLocator.Property("", name));
        }

        Commit(ref reader);
        Property = name;
        _index = 0;
        _phase = Phase.InArray;
        return true;
    }
}
