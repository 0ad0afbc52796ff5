using System.Globalization;
using VisInstruct.Formats;
using VisInstruct.IO;
using VisInstruct.Json;
using VisInstruct.Python;

namespace VisInstruct.Conversion;

/// <summary>
/// StableLLaVA's <c>data_to_llava.py</c>, fixed: each ability entry becomes one LLaVA sample with the question and
/// answer copied verbatim. See <see cref="StableLlavaLayout"/> for the naming rule it shares with <c>render</c>.
/// </summary>
public static class StableLlavaConversion
{
    public static ConversionReport Run(StableLlavaConversionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var inputs = StableLlavaLayout.AbilityFiles(options.PromptPath);
        var outputs = OutputPaths(options, inputs);
        var report = new ConversionReport();

        using var staged = new StagedOutput();
        for (int i = 0; i < inputs.Count; i++)
        {
            ConvertFile(inputs[i], outputs[i], options, staged, report, cancellationToken);
        }

        staged.Commit();
        return report;
    }

    /// <summary>The LLaVA sample for one entry.</summary>
    public static LlavaSample ToLlava(StableLlavaEntry entry, string ability, string imagePath, bool uniqueIds)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string id = PythonString.ZFill(entry.Id, 12);
        return new LlavaSample
        {
            Id = uniqueIds ? ability + "_" + id : id,
            Image = LlavaImage.Single(RelativePath.Join(imagePath, StableLlavaLayout.ImageRelativePath(entry))),
            Conversations = [new LlavaTurn(LlavaTurn.Human, entry.Question), new LlavaTurn(LlavaTurn.Gpt, entry.Answer)],
        };
    }

    private static void ConvertFile(string input, string output, StableLlavaConversionOptions options, StagedOutput staged,
        ConversionReport report, CancellationToken cancellationToken)
    {
        string ability = StableLlavaLayout.AbilityName(input);
        long withoutToken = 0;

        using var reader = JsonRecordReader.OpenArray(input);
        using var stream = staged.Create(output);
        using var writer = new PythonJsonWriter(stream, options.Style);
        using var fast = new FastEntry();
        long written = 0;
        writer.WriteStartArray();
        while (reader.TryRead(out var raw))
        {
            if ((written & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (fast.TryParse(raw.Utf8.Span, out var fields) && RelativePath.Problem(fields.Image) is null)
            {
                // The common case: the record's fields are read as UTF-8 and the long texts go to the writer without
                // becoming strings. The output is the same as the general path's (FormatWriter.Write of ToLlava).
                if (fields.Question.IndexOf("<image>"u8) < 0)
                {
                    withoutToken++;
                }

                string id = PythonString.ZFill(fields.Id, 12);
                writer.WriteStartObject();
                writer.WriteString("id", options.UniqueIds ? ability + "_" + id : id);
                writer.WriteString("image", RelativePath.Join(options.ImagePath, fields.Image));
                writer.WritePropertyName("conversations");
                writer.WriteStartArray();
                writer.WriteStartObject();
                writer.WriteString("from", LlavaTurn.Human);
                writer.WriteString("value", fields.Question);
                writer.WriteEndObject();
                writer.WriteStartObject();
                writer.WriteString("from", LlavaTurn.Gpt);
                writer.WriteString("value", fields.Answer);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            else
            {
                // Anything unusual (a missing or non-string field, a bad image path, text .NET cannot decode): the
                // general path, which converts it the same way or explains what is wrong and where.
                var entry = JsonRecords.Deserialize(reader.File, raw, FormatsJsonContext.Default.StableLlavaEntry, StableLlavaLayout.Check);
                if (!entry.Question.Contains(StableLlavaLayout.ImageToken, StringComparison.Ordinal))
                {
                    withoutToken++;
                }

                FormatWriter.Write(writer, ToLlava(entry, ability, options.ImagePath, options.UniqueIds));
            }

            written++;
        }

        writer.WriteEndArray();
        writer.Flush();
        report.Records += reader.RecordsRead;
        report.Written += written;
        report.Note(string.Create(CultureInfo.InvariantCulture, $"{input}: {written} entries -> {output}"));
        if (withoutToken > 0)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"warning: {input}: {withoutToken} questions have no <image> token; LLaVA trains them as text-only turns of an image " +
                    $"sample (`visinstruct lint` reports each)"));
        }
    }

    private readonly ref struct Fields(string id, string image, ReadOnlySpan<byte> question, ReadOnlySpan<byte> answer)
    {
        public string Id { get; } = id;

        public string Image { get; } = image;

        public ReadOnlySpan<byte> Question { get; } = question;

        public ReadOnlySpan<byte> Answer { get; } = answer;
    }

    /// <summary>
    /// Reads one ability entry's fields straight from its UTF-8 bytes: the short ones as strings, the question and
    /// answer unescaped into reused buffers. False for anything the general path must see (a field missing, not a
    /// string, or with an escape .NET cannot decode, such as a lone surrogate).
    /// </summary>
    private sealed class FastEntry : IDisposable
    {
        private byte[] _question = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        private byte[] _answer = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);

        public bool TryParse(ReadOnlySpan<byte> record, out Fields fields)
        {
            fields = default;
            try
            {
                return TryParseCore(record, out fields);
            }
            catch (InvalidOperationException)
            {
                return false;
            }
            catch (System.Text.Json.JsonException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_question);
            System.Buffers.ArrayPool<byte>.Shared.Return(_answer);
            _question = [];
            _answer = [];
        }

        private bool TryParseCore(ReadOnlySpan<byte> record, out Fields fields)
        {
            fields = default;
            var reader = new System.Text.Json.Utf8JsonReader(record);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return false;
            }

            string? id = null;
            string? image = null;
            bool prompt = false;
            int question = -1;
            int answer = -1;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                // Which field (names with escapes go the general way); duplicates: the last one counts, as in Python.
                int field = reader.ValueIsEscaped ? -1 : reader.ValueSpan switch
                {
                    var n when n.SequenceEqual("id"u8) => 0,
                    var n when n.SequenceEqual("image"u8) => 1,
                    var n when n.SequenceEqual("prompt"u8) => 2,
                    var n when n.SequenceEqual("question"u8) => 3,
                    var n when n.SequenceEqual("answer"u8) => 4,
                    _ => 5,
                };
                if (field < 0 || !reader.Read())
                {
                    return false;
                }

                if (field == 5)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != System.Text.Json.JsonTokenType.String)
                {
                    return false;
                }

                switch (field)
                {
                    case 0:
                        id = reader.GetString();
                        break;
                    case 1:
                        image = reader.GetString();
                        break;
                    case 2:
                        prompt = true;
                        break;
                    case 3:
                        question = Copy(ref reader, ref _question);
                        break;
                    default:
                        answer = Copy(ref reader, ref _answer);
                        break;
                }
            }

            if (id is null || image is null || !prompt || question < 0 || answer < 0)
            {
                return false;
            }

            fields = new Fields(id, image, _question.AsSpan(0, question), _answer.AsSpan(0, answer));
            return true;
        }

        /// <summary>The string token's unescaped UTF-8 bytes, into <paramref name="buffer"/> (grown as needed).</summary>
        private static int Copy(ref System.Text.Json.Utf8JsonReader reader, ref byte[] buffer)
        {
            if (!reader.ValueIsEscaped)
            {
                var span = reader.ValueSpan;
                if (span.Length > buffer.Length)
                {
                    Grow(ref buffer, span.Length);
                }

                span.CopyTo(buffer);
                return span.Length;
            }

            // Unescaping never makes the text longer.
            if (reader.ValueSpan.Length > buffer.Length)
            {
                Grow(ref buffer, reader.ValueSpan.Length);
            }

            // CopyString checks what it decodes (a lone surrogate escape throws: the general path decides).
            return reader.CopyString(buffer);
        }

        private static void Grow(ref byte[] buffer, int length)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        }
    }

    private static List<string> OutputPaths(StableLlavaConversionOptions options, IReadOnlyList<string> inputs)
    {
        bool manyInputs = Directory.Exists(options.PromptPath);
        bool saveIsDirectory = manyInputs || Directory.Exists(options.SavePath) || options.SavePath.EndsWith('/')
            || options.SavePath.EndsWith('\\');
        if (manyInputs && File.Exists(options.SavePath))
        {
            throw new InputFormatException(options.SavePath,
                "--prompt-path is a folder, so --save-path must be a folder (one output per ability file), but it is a file");
        }

        var outputs = inputs.Select(input => saveIsDirectory ? Path.Combine(options.SavePath, Path.GetFileName(input))
            : options.SavePath).ToList();
        foreach (var (input, output) in inputs.Zip(outputs))
        {
            if (string.Equals(Path.GetFullPath(input), Path.GetFullPath(output), StringComparison.Ordinal))
            {
                throw new InputFormatException(output, "the output would replace its own input file; choose another --save-path");
            }
        }

        return outputs;
    }
}
