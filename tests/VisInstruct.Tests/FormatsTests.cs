using System.Text;
using FsCheck;
using FsCheck.Fluent;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class FormatsTests
{
    private static List<T> ReadString<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        using var reader = JsonRecordReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(json)), "input.json");
        return JsonRecords.Read(reader, typeInfo).ToList();
    }

    private static byte[] WriteAll<T>(IEnumerable<T> records, JsonRecordLayout layout, JsonStyle style, Action<PythonJsonWriter, T> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new RecordFileWriter<T>(buffer, layout, style, write, leaveOpen: true))
        {
            foreach (var record in records)
            {
                writer.Write(record);
            }

            writer.Complete();
        }

        return buffer.ToArray();
    }

    [Fact]
    public void StableLlava_IdAsNumber_NamesTheFieldAndWhatWasFound()
    {
        var error = Assert.Throws<InputFormatException>(() => ReadString(
            "[{\"id\": \"0\", \"image\": \"a/0.jpg\", \"prompt\": \"p\", \"question\": \"q\", \"answer\": \"a\"},\n {\"id\": 5, "
                + "\"image\": \"a/5.jpg\", \"prompt\": \"p\", \"question\": \"q\", \"answer\": \"a\"}]",
            FormatsJsonContext.Default.StableLlavaEntry));
        Assert.Equal("id", error.Field);
        Assert.Equal(1, error.RecordIndex);
        Assert.Contains("expected a string, found a number (5)", error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourcePosition(2, 9, 89), error.Position);
    }

    [Fact]
    public void StableLlava_MissingField_IsNamed()
    {
        var error = Assert.Throws<InputFormatException>(() => ReadString(
            "[{\"id\": \"0\", \"image\": \"a/0.jpg\", \"prompt\": \"p\", \"question\": \"q\"}]",
                FormatsJsonContext.Default.StableLlavaEntry));
        Assert.Contains("missing field \"answer\"", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", error.RecordId);
    }

    [Fact]
    public void StableLlava_NullField_IsRejected()
    {
        var error = Assert.Throws<InputFormatException>(() => ReadString(
            "[{\"id\": \"0\", \"image\": null, \"prompt\": \"p\", \"question\": \"q\", \"answer\": \"a\"}]",
                FormatsJsonContext.Default.StableLlavaEntry));
        Assert.Equal("image", error.Field);
        Assert.Contains("found null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Llava_TurnWithWrongType_NamesTheNestedField()
    {
        var error = Assert.Throws<InputFormatException>(() => ReadString(
            "[{\"id\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": 3}]}]",
            FormatsJsonContext.Default.LlavaSample));
        Assert.Equal("conversations[1].value", error.Field);
        Assert.Equal("x", error.RecordId);
    }

    [Fact]
    public void Llava_ImageMayBeAStringOrAList()
    {
        var samples = ReadString(
            "[{\"id\": \"a\", \"image\": \"x.jpg\", \"conversations\": []}, {\"id\": \"b\", \"image\": [\"x.jpg\", \"y.jpg\"], "
                + "\"conversations\": []}, {\"id\": \"c\", \"conversations\": []}]",
            FormatsJsonContext.Default.LlavaSample);
        Assert.False(samples[0].Image!.IsList);
        Assert.Equal(["x.jpg", "y.jpg"], samples[1].Image!.Paths);
        Assert.Null(samples[2].Image);
    }

    [Fact]
    public void Llava_ReadsJsonLinesToo()
    {
        var samples = ReadString(
            "{\"id\": \"a\", \"conversations\": [{\"from\": \"human\", \"value\": \"hi\"}]}\n{\"id\": \"b\", \"conversations\": []}\n",
            FormatsJsonContext.Default.LlavaSample);
        Assert.Equal(["a", "b"], samples.Select(s => s.Id));
    }

    // LLaVA's qa90 files are in the repository; the MME sample (research-use terms) comes from VISINSTRUCT_REFERENCE.
    private static string EvalFile(string name) =>
        name.StartsWith("mme_sample", StringComparison.Ordinal) ? Paths.External("llava", "eval", "mme_sample", name[11..])
            : Paths.Fixture("llava", "eval", name);

    [Theory]
    [InlineData("qa90_questions.jsonl")]
    [InlineData("mme_sample/llava_mme.sample.jsonl")]
    public void Vqa_QuestionFiles_RoundTripByteForByte(string name)
    {
        string path = EvalFile(name);
        using var reader = JsonRecordReader.Open(path);
        var questions = JsonRecords.Read(reader, FormatsJsonContext.Default.VqaQuestion).ToList();
        Assert.NotEmpty(questions);
        byte[] written = WriteAll(questions, JsonRecordLayout.Lines, JsonStyle.Compact.WithAscii(true), FormatWriter.Write);
        Assert.Equal(File.ReadAllBytes(path), written);
    }

    [Theory]
    [InlineData("qa90_gpt4_answer.jsonl")]
    [InlineData("mme_sample/answers_llava-v1.5-13b.sample.jsonl")]
    public void Vqa_AnswerFiles_RoundTripByteForByte(string name)
    {
        string path = EvalFile(name);
        using var reader = JsonRecordReader.Open(path);
        var answers = JsonRecords.Read(reader, FormatsJsonContext.Default.VqaAnswer).ToList();
        Assert.NotEmpty(answers);
        byte[] written = WriteAll(answers, JsonRecordLayout.Lines, JsonStyle.Compact.WithAscii(true), FormatWriter.Write);
        Assert.Equal(File.ReadAllBytes(path), written);
    }

    [Fact]
    public void Vqa_QuestionIdKeepsItsKind()
    {
        var questions = ReadString("{\"question_id\": 7, \"text\": \"q\"}\n{\"question_id\": \"a/b.png\", \"text\": \"q\"}\n",
            FormatsJsonContext.Default.VqaQuestion);
        Assert.True(questions[0].QuestionId.IsNumber);
        Assert.Equal("a/b.png", questions[1].QuestionId.Value);
    }

    [Fact]
    public void Svit_RoundTrips()
    {
        var sample = new SvitSample
        {
            ImageId = 2412112,
            Conversations =
            [
                new SvitConversation { Content = [new SvitTurn("user", "How many?"), new SvitTurn("gpt", "Four.")] },
                new SvitConversation {
                    Content =
                    [new SvitTurn("user", "Where is the <st>car<ed> [0.386, 0.435, 0.996, 0.715]?"), new SvitTurn("gpt", "Left.")] },
            ],
        };
        byte[] json = WriteAll([sample], JsonRecordLayout.Array, JsonStyle.Indented(4), FormatWriter.Write);
        var back = ReadString(Encoding.UTF8.GetString(json), FormatsJsonContext.Default.SvitSample);
        Assert.Equal(sample, Assert.Single(back));
    }

    public static Arbitrary<LlavaSample> LlavaSamples()
    {
        var text = ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get);
        var turn = from human in ArbMap.Default.GeneratorFor<bool>()
                   from value in text
                   select new LlavaTurn(human ? LlavaTurn.Human : LlavaTurn.Gpt, value);
        var image = Gen.OneOf(
            Gen.Constant<LlavaImage?>(null),
            text.Select(t => (LlavaImage?)LlavaImage.Single(t)),
            Gen.ListOf(text).Select(ts => (LlavaImage?)LlavaImage.List(ts)));
        var sample = from id in text
                     from img in image
                     from turns in Gen.ListOf(turn)
                     select new LlavaSample { Id = id, Image = img, Conversations = turns.ToList() };
        return sample.ToArbitrary();
    }

    [Fact]
    public void Llava_AnySamples_WrittenInAnyStyle_ReadBackEqual()
    {
        var styles = new[] { JsonStyle.Compact, JsonStyle.Compact.WithAscii(true), JsonStyle.Indented(2), JsonStyle.Indented(0) };
        Prop.ForAll(Gen.ListOf(LlavaSamples().Generator).ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (samples, lines) =>
        {
            var layout = lines ? JsonRecordLayout.Lines : JsonRecordLayout.Array;
            foreach (var style in styles)
            {
                if (layout == JsonRecordLayout.Lines && samples.Count == 0)
                {
                    continue;
                }

                byte[] json = WriteAll(samples, layout, style, FormatWriter.Write);
                var back = ReadString(Encoding.UTF8.GetString(json), FormatsJsonContext.Default.LlavaSample);
                if (!back.SequenceEqual(samples))
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }
}
