// Size: one streaming writer. The token-order checks, the output buffer and Python's string escapes share its
// fields on every token; split, each part would reach into the others' state (see BENCHMARKS.md for its speed).
using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using VisInstruct.Python;

namespace VisInstruct.Json;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps</c> does for the same <see cref="JsonStyle"/>: separators,
/// indentation, string escapes (lower-case <c>\u00xx</c>, <c>ensure_ascii</c>) and float repr (<c>1.0</c>,
/// <c>1e-05</c>). Streaming: memory does not grow with the document.
/// </summary>
/// <remarks>
/// Like <see cref="Utf8JsonWriter"/>, it checks the order of tokens and throws <see cref="InvalidOperationException"/>
/// before writing anything that would make the document invalid: a value without a name inside an object, a name
/// outside an object or right after another name, the end of a container that is not the one open (or with a name
/// waiting for its value), a second top-level value not separated by <see cref="WriteNewLine"/>. The state is a depth
/// and one bit per open container, so the check costs a few comparisons per token.
/// </remarks>
public sealed class PythonJsonWriter : IDisposable
{
    private const int FlushThreshold = 1 << 16;

    private static readonly SearchValues<char> EscapeUtf8 = SearchValues.Create(BuildSet(ascii: false));
    private static readonly SearchValues<char> EscapeAscii = SearchValues.Create(BuildSet(ascii: true));

    private static readonly SearchValues<byte> EscapeUtf8Bytes = SearchValues.Create(BuildByteSet(ascii: false));
    private static readonly SearchValues<byte> EscapeAsciiBytes = SearchValues.Create(BuildByteSet(ascii: true));

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly JsonStyle _style;
    private readonly SearchValues<char> _escape;
    private readonly byte[] _itemSeparator;
    // Per open container (index = depth - 1): whether it is an array, and how many items it has so far.
    private bool[] _isArray = new bool[16];
    private int[] _counts = new int[16];
    private int _depth;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1024);
    private int _length;
    private bool _afterPropertyName;
    private bool _topLevelWritten;
    private long _flushed;

    public PythonJsonWriter(Stream stream, JsonStyle style, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(style);
        _stream = stream;
        _style = style;
        _leaveOpen = leaveOpen;
        _escape = style.EnsureAscii ? EscapeAscii : EscapeUtf8;
        _itemSeparator = style.Indent is null ? ", "u8.ToArray() : ","u8.ToArray();
    }

    /// <summary>Bytes produced so far, flushed or not.</summary>
    public long BytesWritten => _flushed + _length;

    public JsonStyle Style => _style;

    /// <summary>A string as a JSON literal (Python's <c>json.dumps</c> of it), for fingerprints built by hand.</summary>
    public static string Quote(string text)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStringValue(text);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void WriteStartArray() => Open(array: true);

    public void WriteEndArray() => Close((byte)']');

    public void WriteStartObject() => Open(array: false);

    public void WriteEndObject() => Close((byte)'}');

    public void WritePropertyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_depth == 0 || _isArray[_depth - 1])
        {
            throw new InvalidOperationException(_depth == 0
                ? $"cannot write the property name \"{name}\" outside an object"
                : $"cannot write the property name \"{name}\" inside an array");
        }

        if (_afterPropertyName)
        {
            throw new InvalidOperationException($"cannot write the property name \"{name}\": the previous property name has no value yet");
        }

        BeforeItem();
        WriteQuoted(name);
        Append(": "u8);
        _afterPropertyName = true;
    }

    /// <summary>A parsed property's name, from its UTF-8 bytes when it has no escapes.</summary>
    public void WritePropertyName(JsonProperty property)
    {
        ReadOnlySpan<byte> raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            WritePropertyName(property.Name);
            return;
        }

        if (_depth == 0 || _isArray[_depth - 1] || _afterPropertyName)
        {
            // The same checks and messages as the string overload.
            WritePropertyName(property.Name);
            return;
        }

        BeforeItem();
        WriteQuotedUtf8(raw);
        Append(": "u8);
        _afterPropertyName = true;
    }

    public void WriteString(string name, string value)
    {
        WritePropertyName(name);
        WriteStringValue(value);
    }

    /// <summary>A property whose value is UTF-8 text (see <see cref="WriteStringValue(ReadOnlySpan{byte})"/>).</summary>
    public void WriteString(string name, ReadOnlySpan<byte> utf8Value)
    {
        WritePropertyName(name);
        WriteStringValue(utf8Value);
    }

    public void WriteNumber(string name, long value)
    {
        WritePropertyName(name);
        WriteNumberValue(value);
    }

    public void WriteNumber(string name, double value)
    {
        WritePropertyName(name);
        WriteNumberValue(value);
    }

    public void WriteStringValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        BeforeValue();
        WriteQuoted(value);
        AfterValue();
    }

    /// <summary>
    /// A string given as UTF-8 text (unescaped, valid UTF-8: what <see cref="Utf8JsonReader.CopyString(Span{byte})"/>
    /// gives), escaped exactly as <see cref="WriteStringValue(string)"/> escapes the same text, without a trip through
    /// UTF-16: runs that need no escape are copied as they are.
    /// </summary>
    public void WriteStringValue(ReadOnlySpan<byte> utf8Value)
    {
        BeforeValue();
        WriteQuotedUtf8(utf8Value);
        AfterValue();
    }

    public void WriteNumberValue(long value)
    {
        BeforeValue();
        Reserve(24);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out int written);
        _length += written;
        AfterValue();
    }

    /// <summary>A float as Python writes it: repr, and <c>NaN</c> / <c>Infinity</c> for the non-finite values.</summary>
    public void WriteNumberValue(double value)
    {
        BeforeValue();
        if (double.IsNaN(value))
        {
            Append("NaN"u8);
        }
        else if (double.IsInfinity(value))
        {
            Append(value > 0 ? "Infinity"u8 : "-Infinity"u8);
        }
        else
        {
            Span<char> chars = stackalloc char[32];
            int count = PythonFloat.FormatRepr(value, chars);
            Reserve(count);
            for (int i = 0; i < count; i++)
            {
                _buffer[_length++] = (byte)chars[i];
            }
        }

        AfterValue();
    }

    public void WriteBooleanValue(bool value)
    {
        BeforeValue();
        Append(value ? "true"u8 : "false"u8);
        AfterValue();
    }

    public void WriteNullValue()
    {
        BeforeValue();
        Append("null"u8);
        AfterValue();
    }

    /// <summary>
    /// Writes a parsed JSON value the way Python would after <c>json.load</c>: key order kept, floats re-printed as
    /// repr (<c>1.50</c> becomes <c>1.5</c>, <c>1e2</c> becomes <c>100.0</c>), integers kept as written.
    /// </summary>
    public void WriteValue(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteStartObject();
                foreach (var property in PythonObjects.Properties(element))
                {
                    WritePropertyName(property);
                    WriteValue(property.Value);
                }

                WriteEndObject();
                break;
            case JsonValueKind.Array:
                WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteValue(item);
                }

                WriteEndArray();
                break;
            case JsonValueKind.String:
                // Without escapes, the token's bytes are the text: no trip through a UTF-16 string.
                ReadOnlySpan<byte> raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
                if (raw.Length >= 2 && raw[1..^1].IndexOf((byte)'\\') < 0)
                {
                    WriteStringValue(raw[1..^1]);
                }
                else
                {
                    WriteStringValue(element.GetString()!);
                }

                break;
            case JsonValueKind.Number:
                WriteNumber(element);
                break;
            case JsonValueKind.True:
                WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                WriteBooleanValue(false);
                break;
            default:
                WriteNullValue();
                break;
        }
    }

    /// <summary>
    /// Writes a value that is already JSON in this writer's style (a record kept as compact UTF-8 text), as is.
    /// </summary>
    public void WriteRawValue(ReadOnlySpan<byte> json)
    {
        BeforeValue();
        Append(json);
        AfterValue();
    }

    /// <summary>Ends a line without ending the document (JSON Lines).</summary>
    public void WriteNewLine()
    {
        if (_depth != 0)
        {
            throw new InvalidOperationException("a line can only end between top-level values");
        }

        _topLevelWritten = false;
        Append("\n"u8);
        MaybeFlush();
    }

    public void Flush()
    {
        if (_length > 0)
        {
            _stream.Write(_buffer, 0, _length);
            _flushed += _length;
            _length = 0;
        }

        _stream.Flush();
    }

    public void Dispose()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        Flush();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void WriteNumber(JsonElement element)
    {
        ReadOnlySpan<char> raw = element.GetRawText();
        if (raw.IndexOfAny('.', 'e', 'E') >= 0)
        {
            WriteNumberValue(element.GetDouble());
            return;
        }

        // An integer: Python keeps its digits (arbitrary precision); only "-0" changes.
        BeforeValue();
        if (raw is "-0")
        {
            raw = "0";
        }

        Reserve(raw.Length);
        foreach (char c in raw)
        {
            _buffer[_length++] = (byte)c;
        }

        AfterValue();
    }

    private void Open(bool array)
    {
        BeforeValue();
        Append(array ? "["u8 : "{"u8);
        if (_depth == _counts.Length)
        {
            Array.Resize(ref _counts, _depth * 2);
            Array.Resize(ref _isArray, _depth * 2);
        }

        _isArray[_depth] = array;
        _counts[_depth] = 0;
        _depth++;
    }

    private void Close(byte closer)
    {
        bool array = closer == (byte)']';
        if (_depth == 0 || _isArray[_depth - 1] != array || _afterPropertyName)
        {
            throw new InvalidOperationException(_depth == 0
                ? $"cannot end an {(array ? "array" : "object")}: none is open"
                : _isArray[_depth - 1] != array
                    ? $"cannot end an {(array ? "array" : "object")}: the open container is an {(array ? "object" : "array")}"
                    : "cannot end the object: the last property name has no value");
        }

        _depth--;
        if (_counts[_depth] > 0 && _style.Indent is { } indent)
        {
            NewLine(indent, _depth);
        }

        Reserve(1);
        _buffer[_length++] = closer;
        AfterValue();
    }

    private void BeforeValue()
    {
        if (_afterPropertyName)
        {
            _afterPropertyName = false;
            return;
        }

        if (_depth == 0)
        {
            if (_topLevelWritten)
            {
                throw new InvalidOperationException(
                    "cannot write a second top-level value (JSON Lines records are separated with WriteNewLine)");
            }

            return;
        }

        if (!_isArray[_depth - 1])
        {
            throw new InvalidOperationException("cannot write a value inside an object without a property name");
        }

        BeforeItem();
    }

    private void BeforeItem()
    {
        int top = _depth - 1;
        if (_counts[top] > 0)
        {
            Append(_itemSeparator);
        }

        _counts[top]++;
        if (_style.Indent is { } indent)
        {
            NewLine(indent, _depth);
        }
    }

    private void AfterValue()
    {
        if (_depth == 0)
        {
            _topLevelWritten = true;
        }

        if (_length >= FlushThreshold)
        {
            MaybeFlush();
        }
    }

    private void NewLine(int indent, int depth)
    {
        int count = 1 + (indent * depth);
        Reserve(count);
        _buffer[_length] = (byte)'\n';
        _buffer.AsSpan(_length + 1, count - 1).Fill((byte)' ');
        _length += count;
    }

    private void WriteQuoted(string value)
    {
        Reserve(2 + (value.Length * 6));
        _buffer[_length++] = (byte)'"';
        ReadOnlySpan<char> rest = value;
        while (!rest.IsEmpty)
        {
            int stop = rest.IndexOfAny(_escape);
            ReadOnlySpan<char> plain = stop < 0 ? rest : rest[..stop];
            if (!plain.IsEmpty)
            {
                _length += Encoding.UTF8.GetBytes(plain, _buffer.AsSpan(_length));
            }

            if (stop < 0)
            {
                break;
            }

            rest = rest[stop..];
            rest = rest[WriteEscaped(rest)..];
        }

        _buffer[_length++] = (byte)'"';
    }

    private void WriteQuotedUtf8(ReadOnlySpan<byte> value)
    {
        // Worst case: every byte a \u00xx escape (a 4-byte sequence becomes two escapes: 12 bytes for 4).
        Reserve(2 + (value.Length * 6));
        _buffer[_length++] = (byte)'"';
        var escape = _style.EnsureAscii ? EscapeAsciiBytes : EscapeUtf8Bytes;
        ReadOnlySpan<byte> rest = value;
        while (true)
        {
            int stop = rest.IndexOfAny(escape);
            ReadOnlySpan<byte> plain = stop < 0 ? rest : rest[..stop];
            plain.CopyTo(_buffer.AsSpan(_length));
            _length += plain.Length;
            if (stop < 0)
            {
                break;
            }

            rest = rest[stop..];
            byte b = rest[0];
            if (b < 0x80)
            {
                AppendAsciiEscape((char)b);
                rest = rest[1..];
                continue;
            }

            // Only under ensure_ascii: one code point, as one \uxxxx escape or a surrogate pair of them.
            if (Rune.DecodeFromUtf8(rest, out var rune, out int consumed) != OperationStatus.Done)
            {
                throw new ArgumentException("the value is not valid UTF-8", nameof(value));
            }

            if (rune.IsBmp)
            {
                AppendUnicodeEscape((char)rune.Value);
            }
            else
            {
                int v = rune.Value - 0x10000;
                AppendUnicodeEscape((char)(0xD800 + (v >> 10)));
                AppendUnicodeEscape((char)(0xDC00 + (v & 0x3FF)));
            }

            rest = rest[consumed..];
        }

        _buffer[_length++] = (byte)'"';
    }

    /// <summary>Writes the special character at the start of <paramref name="text"/>; returns how many chars it used.</summary>
    private int WriteEscaped(ReadOnlySpan<char> text)
    {
        char c = text[0];
        switch (c)
        {
            case '"':
                Append("\\\""u8);
                return 1;
            case '\\':
                Append("\\\\"u8);
                return 1;
            case '\n':
                Append("\\n"u8);
                return 1;
            case '\r':
                Append("\\r"u8);
                return 1;
            case '\t':
                Append("\\t"u8);
                return 1;
            case '\b':
                Append("\\b"u8);
                return 1;
            case '\f':
                Append("\\f"u8);
                return 1;
        }

        if (char.IsHighSurrogate(c) && text.Length > 1 && char.IsLowSurrogate(text[1]))
        {
            if (_style.EnsureAscii)
            {
                AppendUnicodeEscape(c);
                AppendUnicodeEscape(text[1]);
            }
            else
            {
                _length += Encoding.UTF8.GetBytes(text[..2], _buffer.AsSpan(_length));
            }

            return 2;
        }

        if (c < 0x20 || c >= 0x7F)
        {
            // Control characters, anything non-ASCII under ensure_ascii, and lone surrogates (which UTF-8 cannot carry).
            if (!_style.EnsureAscii && c >= 0x80 && !char.IsSurrogate(c))
            {
                _length += Encoding.UTF8.GetBytes(text[..1], _buffer.AsSpan(_length));
                return 1;
            }

            AppendUnicodeEscape(c);
            return 1;
        }

        _buffer[_length++] = (byte)c;
        return 1;
    }

    /// <summary>An ASCII character of the escape set: the short escapes, and \u00xx for the other controls and DEL.</summary>
    private void AppendAsciiEscape(char c)
    {
        switch (c)
        {
            case '"':
                Append("\\\""u8);
                break;
            case '\\':
                Append("\\\\"u8);
                break;
            case '\n':
                Append("\\n"u8);
                break;
            case '\r':
                Append("\\r"u8);
                break;
            case '\t':
                Append("\\t"u8);
                break;
            case '\b':
                Append("\\b"u8);
                break;
            case '\f':
                Append("\\f"u8);
                break;
            default:
                AppendUnicodeEscape(c);
                break;
        }
    }

    private void AppendUnicodeEscape(char c)
    {
        const string Hex = "0123456789abcdef";
        _buffer[_length++] = (byte)'\\';
        _buffer[_length++] = (byte)'u';
        _buffer[_length++] = (byte)Hex[(c >> 12) & 0xF];
        _buffer[_length++] = (byte)Hex[(c >> 8) & 0xF];
        _buffer[_length++] = (byte)Hex[(c >> 4) & 0xF];
        _buffer[_length++] = (byte)Hex[c & 0xF];
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Reserve(int count)
    {
        // Callers reserve the worst case of what they write next (6 bytes per UTF-16 char for a \uXXXX escape).
        int needed = _length + Math.Max(count, 0) + 16;
        if (needed <= _buffer.Length)
        {
            return;
        }

        // Grow up to twice the flush threshold before writing out: small documents never touch the stream
        // until they are done, large ones are written in chunks.
        if (needed <= FlushThreshold * 2 || _length == 0)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Min(_buffer.Length * 2, FlushThreshold * 2)));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            return;
        }

        _stream.Write(_buffer, 0, _length);
        _flushed += _length;
        _length = 0;
        if (count + 16 > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(count + 16);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    private void MaybeFlush()
    {
        if (_length >= FlushThreshold)
        {
            _stream.Write(_buffer, 0, _length);
            _flushed += _length;
            _length = 0;
        }
    }

    private static byte[] BuildByteSet(bool ascii)
    {
        var set = new List<byte>();
        for (int b = 0; b < 0x20; b++)
        {
            set.Add((byte)b);
        }

        set.Add((byte)'"');
        set.Add((byte)'\\');
        if (ascii)
        {
            for (int b = 0x7F; b <= 0xFF; b++)
            {
                set.Add((byte)b);
            }
        }

        return [.. set];
    }

    private static string BuildSet(bool ascii)
    {
        var sb = new StringBuilder();
        for (char c = '\0'; c < ' '; c++)
        {
            sb.Append(c);
        }

        sb.Append('"').Append('\\');
        if (ascii)
        {
            for (int c = 0x7F; c <= 0xFFFF; c++)
            {
                sb.Append((char)c);
            }
        }
        else
        {
            for (int c = 0xD800; c <= 0xDFFF; c++)
            {
                sb.Append((char)c);
            }
        }

        return sb.ToString();
    }
}
