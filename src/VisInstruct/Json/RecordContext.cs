namespace VisInstruct.Json;

/// <summary>
/// Where a record came from, while its bytes are still at hand: lets a check raise an error that points at the
/// exact field of the exact record.
/// </summary>
public readonly struct RecordContext(string file, RawJsonRecord raw)
{
    public string File { get; } = file;

    public long Index => Raw.Index;

    public RawJsonRecord Raw { get; } = raw;

    /// <summary>An error about <paramref name="field"/> (a path such as <c>conversations[2].from</c>), positioned at its value.</summary>
    public InputFormatException Error(string field, string message)
    {
        ReadOnlySpan<byte> span = Raw.Utf8.Span;
        int offset = field.Length == 0 ? 0 : JsonLocator.OffsetOf(span, field) ?? 0;
        return new InputFormatException(File, message, Raw.PositionOf(offset), field.Length == 0 ? null : field, Index,
            RecordIdentity.Find(span));
    }
}
