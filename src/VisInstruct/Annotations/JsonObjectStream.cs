using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Annotations;

/// <summary>
/// Reads one element of a top-level array. The reader is on the element's first token; the handler reads to the
/// element's last token and returns true, or returns false as soon as a read comes back short (the element is not
/// all in the buffer yet): it is then called again on the same element with more bytes, so it must not act on the
/// element before it has read all of it.
/// </summary>
internal delegate bool JsonElementHandler(ref Utf8JsonReader reader, long index);

/// <summary>
/// Streams a file whose top level is one big JSON object (COCO's <c>captions_*.json</c>, <c>instances_*.json</c>):
/// hands the elements of chosen top-level arrays to handlers and skips everything else, holding only a window of the
/// file (as large as the largest element).
/// </summary>
internal sealed class JsonObjectStream : IDisposable
{
    private const int InitialBufferSize = 1 << 20;
    private readonly FileStream _stream;
    private readonly ByteWindow _window;

    public JsonObjectStream(string path)
    {
        File = path;
        _stream = JsonRecordReader.OpenFile(path);
        Length = _stream.Length;
        _window = new ByteWindow(_stream, InitialBufferSize);
    }

    public string File { get; }

    public long Length { get; }

    /// <summary>Elements handed to handlers.</summary>
    public long Elements { get; private set; }

    /// <summary>
    /// Reads the file; <paramref name="handlerFor"/> names the handler for a top-level property whose value must be an
    /// array of elements, or null to skip the property.
    /// </summary>
    public void Run(Func<string, JsonElementHandler?> handlerFor, CancellationToken cancellationToken)
    {
        _window.Ensure(3);
        if (_window.Available.StartsWith("\uFEFF"u8))
        {
            _window.Advance(3);
            _window.ResetLineStart();
        }

        var state = default(JsonReaderState);
        var phase = Phase.BeforeObject;
        JsonElementHandler? handler = null;
        string property = "";
        long index = 0;
        while (true)
        {
            var reader = new Utf8JsonReader(_window.Available, _window.IsFinal, state);
            int committed = 0;
            var committedState = state;
            try
            {
                while (phase != Phase.Done)
                {
                    if (!reader.Read())
                    {
                        break;
                    }

                    if (phase == Phase.BeforeObject)
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw At(reader.TokenStartIndex, null, $"expected a JSON object ('{{') at the top of the file, found {JsonValues.Describe(ref reader)}");
                        }

                        phase = Phase.InObject;
                    }
                    else if (phase == Phase.InObject)
                    {
                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            phase = Phase.Done;
                        }
                        else
                        {
                            string name = reader.GetString() ?? "";
                            if (!reader.Read())
                            {
                                break;
                            }

                            handler = handlerFor(name);
                            if (handler is null)
                            {
                                if (!reader.TrySkip())
                                {
                                    break;
                                }
                            }
                            else if (reader.TokenType != JsonTokenType.StartArray)
                            {
                                throw At(reader.TokenStartIndex, JsonLocator.Property("", name), $"expected an array, found {JsonValues.Describe(ref reader)}");
                            }
                            else
                            {
                                property = name;
                                index = 0;
                                phase = Phase.InArray;
                            }
                        }
                    }
                    else
                    {
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            phase = Phase.InObject;
                        }
                        else
                        {
                            if (!handler!(ref reader, index))
                            {
                                break;
                            }

                            index++;
                            Elements++;
                            if ((index & 0xFFF) == 0)
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                            }
                        }
                    }

                    committed = (int)reader.BytesConsumed;
                    committedState = reader.CurrentState;
                }
            }
            catch (JsonException ex)
            {
                throw InvalidJson(ex);
            }
            catch (InvalidOperationException ex)
            {
                // GetString on invalid UTF-8.
                throw new InputFormatException(File, $"invalid UTF-8 in {(phase == Phase.InArray ? JsonLocator.Index(property, index) : "a property name")}: {ex.Message}",
                    _window.PositionAt(committed), innerException: ex);
            }

            if (phase == Phase.Done)
            {
                return;
            }

            _window.Advance(committed);
            state = committedState;
            if (!_window.Fill())
            {
                throw new InputFormatException(File, "invalid JSON: unexpected end of file: the JSON is truncated",
                    _window.PositionAt(_window.Available.Length));
            }
        }
    }

    /// <summary>An error at a token of the current reader (its start index relative to the reader's first byte).</summary>
    public InputFormatException At(long tokenStart, string? field, string message, long? recordIndex = null) =>
        new(File, message, _window.PositionAt((int)Math.Min(tokenStart, _window.Available.Length)), field, recordIndex);

    public void Dispose() => _stream.Dispose();

    private InputFormatException InvalidJson(JsonException ex)
    {
        long line = ex.LineNumber ?? 0;
        long column = ex.BytePositionInLine ?? 0;
        var start = _window.PositionAt(0);
        SourcePosition position = line == 0
            ? new SourcePosition(start.Line, start.Column + column, start.ByteOffset + column)
            : _window.PositionOfLine(start.Line + line, column + 1);
        string reason = ex.Message;
        int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        reason = (cut >= 0 ? reason[..cut] : reason).TrimEnd(' ', '.', '|');
        if (_window.IsFinal && position.ByteOffset >= _window.Offset + _window.Available.TrimEnd(" \t\r\n"u8).Length)
        {
            reason = "unexpected end of file: the JSON is truncated";
        }

        return new InputFormatException(File, $"invalid JSON: {reason}", position, innerException: ex);
    }

    private enum Phase
    {
        BeforeObject,
        InObject,
        InArray,
        Done,
    }
}

/// <summary>Small helpers for reading values off a <see cref="Utf8JsonReader"/> and describing what was found.</summary>
internal static class JsonValues
{
    /// <summary>Names the current token for a message: <c>a string ("12")</c>, <c>a number (5)</c>, <c>an array</c>.</summary>
    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"a string ({Abbreviate(ref reader)})",
        JsonTokenType.Number => $"a number ({Abbreviate(ref reader)})",
        JsonTokenType.True or JsonTokenType.False => $"a boolean ({Encoding.UTF8.GetString(reader.ValueSpan)})",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => "nothing",
    };

    public static bool TryNumber(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
    }

    public static bool TryInt64(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
    }

    public static bool TryInt32(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }

    public static string Path(string parent, string child) => JsonLocator.Property(parent, child);

    public static string Path(string parent, long index) => JsonLocator.Index(parent, index);

    public static string Path(string array, long index, string child) =>
        string.Create(CultureInfo.InvariantCulture, $"{array}[{index}].{child}");

    private static string Abbreviate(ref Utf8JsonReader reader)
    {
        string text = reader.TokenType == JsonTokenType.String
            ? "\"" + (reader.ValueIsEscaped ? reader.GetString() : Encoding.UTF8.GetString(reader.ValueSpan)) + "\""
            : Encoding.UTF8.GetString(reader.ValueSpan);
        return text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
    }
}
