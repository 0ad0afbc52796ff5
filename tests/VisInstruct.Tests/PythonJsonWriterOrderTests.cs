using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using VisInstruct.Json;

namespace VisInstruct.Tests;

/// <summary>
/// The writer refuses every token sequence that would make invalid JSON, exactly where <see cref="Utf8JsonWriter"/>
/// does (the oracle), and whatever it accepts parses back; its UTF-8 string path escapes exactly as its string path.
/// </summary>
public class PythonJsonWriterOrderTests
{
    private enum Token
    {
        StartObject,
        EndObject,
        StartArray,
        EndArray,
        Name,
        Value,
        NewLine,
    }

    private static readonly Token[] Alphabet = Enum.GetValues<Token>();

    private static void Apply(PythonJsonWriter writer, Token token)
    {
        switch (token)
        {
            case Token.StartObject: writer.WriteStartObject(); break;
            case Token.EndObject: writer.WriteEndObject(); break;
            case Token.StartArray: writer.WriteStartArray(); break;
            case Token.EndArray: writer.WriteEndArray(); break;
            case Token.Name: writer.WritePropertyName("k"); break;
            case Token.Value: writer.WriteNumberValue(1); break;
            default: writer.WriteNewLine(); break;
        }
    }

    /// <summary>The oracle: Utf8JsonWriter with validation on; a new line is only allowed between top-level values, and starts a new
    /// document.</summary>
    private sealed class Oracle : IDisposable
    {
        private readonly MemoryStream _sink = new();
        private Utf8JsonWriter _writer;

        public Oracle() => _writer = new Utf8JsonWriter(_sink);

        public bool Accepts(Token token)
        {
            try
            {
                switch (token)
                {
                    case Token.StartObject: _writer.WriteStartObject(); break;
                    case Token.EndObject: _writer.WriteEndObject(); break;
                    case Token.StartArray: _writer.WriteStartArray(); break;
                    case Token.EndArray: _writer.WriteEndArray(); break;
                    case Token.Name: _writer.WritePropertyName("k"); break;
                    case Token.Value: _writer.WriteNumberValue(1); break;
                    default:
                        if (_writer.CurrentDepth != 0)
                        {
                            return false;
                        }

                        _writer.Dispose();
                        _writer = new Utf8JsonWriter(_sink);
                        break;
                }

                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            _writer.Dispose();
            _sink.Dispose();
        }
    }

    /// <summary>Replays a sequence; the index of the token the writer refused (-1: none) and what it wrote.</summary>
    private static (int Refused, string Text) Replay(IReadOnlyList<Token> tokens)
    {
        using var buffer = new MemoryStream();
        int refused = -1;
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            for (int i = 0; i < tokens.Count && refused < 0; i++)
            {
                long before = writer.BytesWritten;
                try
                {
                    Apply(writer, tokens[i]);
                }
                catch (InvalidOperationException)
                {
                    refused = i;
                    Assert.Equal(before, writer.BytesWritten);
                }
            }
        }

        return (refused, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void EveryTokenSequenceUpToSevenLong_IsRefusedExactlyWhereUtf8JsonWriterRefusesIt_AndWhatIsAcceptedParses()
    {
        // Depth-first over all sequences whose proper prefixes are accepted (a refused token ends a sequence).
        var stack = new Stack<List<Token>>();
        stack.Push([]);
        long checkedSequences = 0;
        while (stack.Count > 0)
        {
            var prefix = stack.Pop();
            foreach (var token in Alphabet)
            {
                var sequence = new List<Token>(prefix) { token };
                using var oracle = new Oracle();
                int expected = -1;
                for (int i = 0; i < sequence.Count && expected < 0; i++)
                {
                    if (!oracle.Accepts(sequence[i]))
                    {
                        expected = i;
                    }
                }

                var (refused, text) = Replay(sequence);
                checkedSequences++;
                Assert.True(expected == refused,
                    $"{string.Join(" ", sequence)}: Utf8JsonWriter refuses token {expected}, PythonJsonWriter {refused}");
                if (refused < 0)
                {
                    AssertCompleteValuesParse(sequence, text);
                    if (sequence.Count < 7)
                    {
                        stack.Push(sequence);
                    }
                }
            }
        }

        Assert.True(checkedSequences > 5_000, $"only {checkedSequences} sequences checked");
    }

    /// <summary>When no container is open, every line of the output is one valid JSON value (or empty).</summary>
    private static void AssertCompleteValuesParse(List<Token> sequence, string text)
    {
        int depth = sequence.Sum(t => t is Token.StartObject or Token.StartArray ? 1 : t is Token.EndObject or Token.EndArray ? -1 : 0);
        if (depth != 0)
        {
            return;
        }

        foreach (string line in text.Split('\n'))
        {
            if (line.Length > 0)
            {
                using var document = JsonDocument.Parse(line);
            }
        }
    }

    public static TheoryData<string> ValueWriters() =>
        ["string", "utf8", "long", "double", "bool", "null", "raw", "element", "object", "array"];

    private static void WriteValue(PythonJsonWriter writer, string kind)
    {
        switch (kind)
        {
            case "string": writer.WriteStringValue("v"); break;
            case "utf8": writer.WriteStringValue("v"u8); break;
            case "long": writer.WriteNumberValue(1L); break;
            case "double": writer.WriteNumberValue(1.5); break;
            case "bool": writer.WriteBooleanValue(true); break;
            case "null": writer.WriteNullValue(); break;
            case "raw": writer.WriteRawValue("[1]"u8); break;
            case "element":
                using (var document = JsonDocument.Parse("{\"a\": [1, 2.50]}"))
                {
                    writer.WriteValue(document.RootElement);
                }

                break;
            case "object": writer.WriteStartObject(); writer.WriteEndObject(); break;
            default: writer.WriteStartArray(); writer.WriteEndArray(); break;
        }
    }

    [Theory]
    [MemberData(nameof(ValueWriters))]
    public void EveryKindOfValue_IsRefusedInsideAnObjectWithoutAName_AndAsASecondTopLevelValue(string kind)
    {
        using var buffer = new MemoryStream();
        using var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true);
        writer.WriteStartObject();
        Assert.Throws<InvalidOperationException>(() => WriteValue(writer, kind));
        writer.WritePropertyName("a");
        WriteValue(writer, kind);
        Assert.Throws<InvalidOperationException>(() => WriteValue(writer, kind));
        writer.WriteEndObject();
        Assert.Throws<InvalidOperationException>(() => WriteValue(writer, kind));
        writer.WriteNewLine();
        WriteValue(writer, kind);
        writer.Flush();
        foreach (string line in Encoding.UTF8.GetString(buffer.ToArray()).Split('\n'))
        {
            using var document = JsonDocument.Parse(line);
        }
    }

    [Fact]
    public void ThePropertyHelpers_RefuseANameWhereNoneIsAllowed()
    {
        using var buffer = new MemoryStream();
        using var writer = new PythonJsonWriter(buffer, JsonStyle.Indented(2), leaveOpen: true);
        Assert.Throws<InvalidOperationException>(() => writer.WriteString("a", "b"));
        writer.WriteStartArray();
        Assert.Throws<InvalidOperationException>(() => writer.WriteNumber("a", 1));
        writer.WriteStartObject();
        writer.WritePropertyName("chat");
        // The bug this guards against: a helper that writes the name again.
        Assert.Throws<InvalidOperationException>(() => writer.WriteString("chat", "x"));
        writer.WriteStringValue("x");
        Assert.Throws<InvalidOperationException>(() => writer.WriteEndArray());
        writer.WriteEndObject();
        Assert.Throws<InvalidOperationException>(() => writer.WriteEndObject());
        Assert.Throws<InvalidOperationException>(() => writer.WriteNewLine());
        writer.WriteEndArray();
        writer.Flush();
        Assert.Equal("[\n  {\n    \"chat\": \"x\"\n  }\n]", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void DeepNesting_IsTracked()
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            for (int i = 0; i < 100; i++)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("a");
                writer.WriteStartArray();
            }

            writer.WriteNullValue();
            for (int i = 0; i < 100; i++)
            {
                writer.WriteEndArray();
                Assert.Throws<InvalidOperationException>(() => writer.WriteEndArray());
                writer.WriteEndObject();
            }
        }

        using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
    }

    private static string Written(JsonStyle style, Action<PythonJsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, style, leaveOpen: true))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public void Utf8Strings_AreEscapedExactlyAsTheSameTextAsAString()
    {
        var chars = Gen.Frequency(
            (4, Gen.Choose(0x20, 0x7E)),
            (2, Gen.Choose(0, 0x1F)),
            (1, Gen.Elements(0x22, 0x5C, 0x7F, 0x80, 0xFF, 0x2028, 0xFEFF, 0xFFFF)),
            (2, Gen.Choose(0x80, 0xD7FF)),
            (1, Gen.Choose(0xE000, 0xFFFF)),
            (1, Gen.Choose(0x10000, 0x10FFFF)));
        var texts = Gen.ListOf(chars).Select(codes => string.Concat(codes.Select(char.ConvertFromUtf32)));
        Prop.ForAll(texts.ToArbitrary(), text =>
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            foreach (var style in new[] { JsonStyle.Compact.WithAscii(false), JsonStyle.Compact.WithAscii(true) })
            {
                Assert.Equal(Written(style, w => w.WriteStringValue(text)), Written(style, w => w.WriteStringValue(utf8)));
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Utf8Strings_LongerThanTheBuffer_AreWrittenWhole()
    {
        string text = string.Concat(Enumerable.Repeat("plain text \"quoted\" é \U0001F600\n", 20_000));
        foreach (var style in new[] { JsonStyle.Compact.WithAscii(false), JsonStyle.Compact.WithAscii(true) })
        {
            Assert.Equal(Written(style, w => w.WriteStringValue(text)),
                Written(style, w => w.WriteStringValue(Encoding.UTF8.GetBytes(text))));
        }
    }

    [Fact]
    public void InvalidUtf8_IsRefused()
    {
        using var buffer = new MemoryStream();
        using var writer = new PythonJsonWriter(buffer, JsonStyle.Compact.WithAscii(true), leaveOpen: true);
        Assert.Throws<ArgumentException>(() => writer.WriteStringValue([0x61, 0xC3]));
    }

    [Theory]
    // Written as Python's json.dumps(json.loads(input)) writes them (checked with CPython 3.11).
    [InlineData("{\"a\": 1, \"b\": 2, \"a\": 3, \"\\u0062\": 4}", "{\"a\": 3, \"b\": 4}", "{\"a\": 3, \"b\": 4}")]
    [
        InlineData("{\"é\": \"x\", \"k\\\"q\": [1, {\"a\": 1, \"a\": 2}]}", "{\"\\u00e9\": \"x\", \"k\\\"q\": [1, {\"a\": 2}]}",
        "{\"é\": \"x\", \"k\\\"q\": [1, {\"a\": 2}]}")]
    [InlineData("{\"k0\": 0, \"k1\": 1, \"k2\": 2, \"k3\": 3, \"k4\": 4, \"k5\": 5, \"k6\": 6, \"k0\": 7, \"k1\": 8, \"k2\": 9, \"k3\": "
        + "10, \"k4\": 11}",
        "{\"k0\": 7, \"k1\": 8, \"k2\": 9, \"k3\": 10, \"k4\": 11, \"k5\": 5, \"k6\": 6}",
            "{\"k0\": 7, \"k1\": 8, \"k2\": 9, \"k3\": 10, \"k4\": 11, \"k5\": 5, \"k6\": 6}")]
    public void ParsedObjects_AreWrittenAsPythonDictsWithTheirNamesFromUtf8(string input, string ascii, string utf8)
    {
        using var document = JsonDocument.Parse(input);
        Assert.Equal(ascii, Written(JsonStyle.Compact.WithAscii(true), w => w.WriteValue(document.RootElement)));
        Assert.Equal(utf8, Written(JsonStyle.Compact.WithAscii(false), w => w.WriteValue(document.RootElement)));
    }
}
