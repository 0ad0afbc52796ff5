using System.Text.Json;

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
        return new InputFormatException(File, message, Raw.PositionOf(offset), field.Length == 0 ? null : field, Index, RecordIdentity.Find(span));
    }
}

/// <summary>Reads a record's identity (<c>id</c>, <c>image_id</c> or <c>question_id</c>) for messages, without trusting the record.</summary>
public static class RecordIdentity
{
    private static readonly string[] IdKeys = ["id", "image_id", "question_id"];

    public static string? Find(ReadOnlySpan<byte> record)
    {
        var reader = new Utf8JsonReader(record);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString() ?? "";
                reader.Read();
                if (IdKeys.Contains(name) && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                }

                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A broken record has no readable id; the message goes without it.
        }

        return null;
    }
}
