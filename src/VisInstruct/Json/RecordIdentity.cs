using System.Text.Json;

namespace VisInstruct.Json;

/// <summary>
/// Reads a record's identity (<c>id</c>, <c>image_id</c> or <c>question_id</c>) for messages, without trusting the record.
/// </summary>
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
                    return reader.TokenType == JsonTokenType.String ? reader.GetString()
                        : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
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
