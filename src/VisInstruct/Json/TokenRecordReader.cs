using System.Runtime.CompilerServices;
using System.Text.Json;

namespace VisInstruct.Json;

/// <summary>
/// The layouts read token by token (one array; the arrays of one object): one reader state carried across refills of
/// the window, reader errors placed from where reading began, and each element taken whole as a record, or parsed in
/// place.
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
        /// <summary>The token starts an element: a record (<see cref="OnToken"/>'s <c>element</c> is its index).</summary>
        Element,

        /// <summary>The token was consumed (or the state changed): read on.</summary>
        Next,

        /// <summary>What the token starts is not all in the window yet: nothing was consumed.</summary>
        Short,
    }

    /// <summary>True once the top-level value has ended (only the end of the file may follow).</summary>
    private protected abstract bool AfterTopLevel { get; }

    /// <summary>
    /// Acts on the token the reader is on (the next one after the last commit). On <see cref="Step.Element"/> nothing
    /// is consumed: the caller takes or parses the element and then calls <see cref="ElementTaken"/>.
    /// </summary>
    private protected abstract Step OnToken(ref Utf8JsonReader reader, long index, out long element);

    /// <summary>Called once the element <see cref="OnToken"/> pointed at was taken (committed).</summary>
    private protected virtual void ElementTaken()
    {
    }

    private protected sealed override bool TryReadCore(long index, out RawJsonRecord record)
    {
        record = default;
        while (!_done)
        {
            var reader = new Utf8JsonReader(Window.Available, Window.IsFinal, _state);
            long element = 0;
            var step = reader.Read() ? OnToken(ref reader, index, out element) : Step.Short;
            if (step == Step.Element)
            {
                if (TryTakeElement(ref reader, element, out record))
                {
                    ElementTaken();
                    return true;
                }

                step = Step.Short;
            }

            RefillIfShort(step);
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private protected sealed override bool TryParseCore<T>(long index, JsonRecordParser<T> parse, out RawJsonRecord record, out T value)
    {
        record = default;
        value = default!;
        while (!_done)
        {
            var reader = new Utf8JsonReader(Window.Available, Window.IsFinal, _state);
            long element = 0;
            var step = reader.Read() ? OnToken(ref reader, index, out element) : Step.Short;
            if (step == Step.Element)
            {
                if (TryParseElement(ref reader, element, parse, out record, out value))
                {
                    ElementTaken();
                    return true;
                }

                step = Step.Short;
            }

            RefillIfShort(step);
        }

        return false;
    }

    /// <summary>Consumes what the reader has read.</summary>
    private protected void Commit(ref Utf8JsonReader reader)
    {
        _state = reader.CurrentState;
        Window.Advance((int)reader.BytesConsumed);
    }

    private protected override SourcePosition PositionOfReaderError(long line, long bytePositionInLine) => line == 0
        ? new SourcePosition(_origin.Line, _origin.Column + bytePositionInLine, _origin.ByteOffset + bytePositionInLine)
        : Window.PositionOfLine(_origin.Line + line, bytePositionInLine + 1);

    /// <summary>
    /// True when the parser's reader has read to the last token of the element that began at <paramref name="start"/>
    /// at <paramref name="depth"/> (reading on to it if the parser stopped early); false when the window ends first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryFinish(ref Utf8JsonReader reader, long start, int depth)
    {
        if (reader.TokenStartIndex == start)
        {
            // Still on the first token: a scalar (whole: the reader returned it), or a container left unread.
            return reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.TrySkip();
        }

        while (reader.CurrentDepth != depth || reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
        {
            if (reader.CurrentDepth <= depth)
            {
                throw new InvalidOperationException("a record parser read past the end of its record");
            }

            if (!reader.Read())
            {
                return false;
            }
        }

        return true;
    }

    private void RefillIfShort(Step step)
    {
        if (step == Step.Short && !Window.Fill())
        {
            _done = AfterTopLevel ? true : throw Truncated(NextRecordIndex);
        }
    }

    /// <summary>
    /// Takes the element the reader is on as record <paramref name="index"/> and commits it; false when the element is
    /// not all in the window yet (nothing is committed: fill the window and read it again).
    /// </summary>
    private bool TryTakeElement(ref Utf8JsonReader reader, long index, out RawJsonRecord record)
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

    /// <summary>
    /// Parses the element the reader is on as record <paramref name="index"/>, in place: the parser reads the window
    /// itself, so the element is tokenized once, and the reader that read it is committed. Where that does not give
    /// a value (the window ends inside the element, or the element has an error of any kind), the element is taken
    /// whole, checked and parsed from its own bytes, so that its errors are found in the same order as by
    /// <see cref="JsonRecordReader.TryRead(out RawJsonRecord)"/> and a parse. False when the element is not all in
    /// the window yet (nothing is committed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryParseElement<T>(ref Utf8JsonReader reader, long index, JsonRecordParser<T> parse, out RawJsonRecord record,
        out T value)
    {
        long start = reader.TokenStartIndex;
        int depth = reader.CurrentDepth;
        bool whole;
        try
        {
            value = parse(ref reader, new RawJsonRecord(index, Window.Slice(0, Window.Available.Length), Window.PositionAt(0)));
            whole = TryFinish(ref reader, start, depth);
        }
        catch (Exception ex) when (ex is JsonException or InputFormatException or InvalidOperationException or FormatException)
        {
            // Placed and ordered by the second pass below (or not an error at all once the element is whole).
            value = default!;
            whole = false;
        }

        if (whole)
        {
            int end = (int)reader.BytesConsumed;
            record = new RawJsonRecord(index, Window.Slice((int)start, end - (int)start), Window.PositionAt((int)start));
            ValidateUtf8(record);
            Commit(ref reader);
            return true;
        }

        var again = new Utf8JsonReader(Window.Available, Window.IsFinal, _state);
        again.Read();
        if (!TryTakeElement(ref again, index, out record))
        {
            return false;
        }

        ValidateUtf8(record);
        value = Parse(parse, record);
        return true;
    }
}
