using System.Security.Cryptography;
using System.Text.Json;
using VisInstruct.Conversion;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class ConvertStableLlavaTests
{
    private static readonly Lazy<Dictionary<string, string>> Expected = new(() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Paths.Data("stablellava_expected.json")))!);

    private static List<LlavaSample> ReadLlava(string path)
    {
        using var reader = JsonRecordReader.Open(path);
        return JsonRecords.Read(reader, FormatsJsonContext.Default.LlavaSample).ToList();
    }

    private static List<StableLlavaEntry> ReadEntries(string path)
    {
        using var reader = JsonRecordReader.Open(path);
        return JsonRecords.Read(reader, FormatsJsonContext.Default.StableLlavaEntry).ToList();
    }

    [Fact]
    public void EveryReferenceFile_ConvertsToExactlyWhatPythonJsonDumpWritesForIt()
    {
        using var temp = new TempDir();
        foreach (string prefix in new[] { "", "train_set" })
        {
            string outDir = temp.File("out" + prefix);
            var args = new List<string> { "convert", "stablellava", "--prompt-path", Paths.Fixture("stablellava", "dataset"), "--save-path",
                outDir };
            if (prefix.Length > 0)
            {
                args.AddRange(["--image-path", prefix]);
            }

            var result = CliRunner.Run([.. args]);
            Assert.Equal(0, result.ExitCode);
            foreach (string input in Paths.AbilityFiles())
            {
                string name = Path.GetFileName(input);
                string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(outDir, name))));
                Assert.Equal(Expected.Value[name + "|" + prefix], hash);
            }
        }
    }

    [Fact]
    public void Conversion_KeepsQuestionAndAnswerVerbatimAndTheTokenWhereItWas()
    {
        using var temp = new TempDir();
        string input = Paths.Fixture("stablellava", "dataset", "color.json");
        var result = CliRunner.Run("convert", "stablellava", "--prompt-path", input, "--image-path", "train_set/", "--save-path",
            temp.File("color.json"));
        Assert.Equal(0, result.ExitCode);
        var entries = ReadEntries(input);
        var samples = ReadLlava(temp.File("color.json"));
        Assert.Equal(entries.Count, samples.Count);
        Assert.Contains(entries, e => e.Question.StartsWith("<image>\n", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Question.EndsWith("\n<image>", StringComparison.Ordinal));
        foreach (var (entry, sample) in entries.Zip(samples))
        {
            Assert.Equal(entry.Id.PadLeft(12, '0'), sample.Id);
            Assert.Equal("train_set/" + entry.Image, sample.Image!.Paths[0]);
            Assert.Equal([new LlavaTurn("human", entry.Question), new LlavaTurn("gpt", entry.Answer)], sample.Conversations);
        }
    }

    [Fact]
    public void MalformedFoodPrompts_AreDataAndConvertVerbatim()
    {
        using var temp = new TempDir();
        string input = Paths.Fixture("stablellava", "dataset", "food.json");
        Assert.Equal(0, CliRunner.Run("convert", "stablellava", "--prompt-path", input, "--save-path", temp.File("food.json")).ExitCode);
        var entries = ReadEntries(input).ToDictionary(e => e.Id);
        var samples = ReadLlava(temp.File("food.json")).ToDictionary(s => s.Id);
        Assert.Equal("((", entries["514"].Prompt);
        Assert.Equal("The primary food element depicted in the image is .", samples["000000000514"].Conversations[1].Value);
        foreach (string id in new[] { "221", "514", "903", "1523", "1961", "2509", "2728", "82" })
        {
            var sample = samples[id.PadLeft(12, '0')];
            Assert.Equal(entries[id].Question, sample.Conversations[0].Value);
            Assert.Equal(entries[id].Answer, sample.Conversations[1].Value);
            Assert.Equal("food/" + id + ".jpg", sample.Image!.Paths[0]);
        }
    }

    [Fact]
    public void UniqueIds_PrefixTheAbility()
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("convert", "stablellava", "--dataset-path", Paths.Fixture("stablellava", "dataset"), "--save-path",
            temp.File("out"), "--unique-ids");
        Assert.Equal(0, result.ExitCode);
        var all = Directory.EnumerateFiles(temp.File("out")).SelectMany(ReadLlava).ToList();
        Assert.Equal(all.Count, all.Select(s => s.Id).Distinct().Count());
        Assert.Contains(all, s => s.Id == "color_000000000101");
    }

    [Fact]
    public void ConvertedFiles_PassLint()
    {
        using var temp = new TempDir();
        Assert.Equal(0,
            CliRunner.Run("convert", "stablellava", "--prompt-path", Paths.Fixture("stablellava", "dataset"), "--save-path",
            temp.File("out")).ExitCode);
        foreach (string file in Directory.EnumerateFiles(temp.File("out")))
        {
            var lint = CliRunner.Run("lint", file);
            Assert.Equal(0, lint.ExitCode);
            Assert.EndsWith(" 0 errors, 0 warnings", lint.Out.Trim(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SingleFileIntoAFolder_KeepsItsName()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.File("out"));
        Assert.Equal(0,
            CliRunner.Run("convert", "stablellava", "--prompt-path", Paths.Fixture("stablellava", "dataset", "color.json"), "--save-path",
            temp.File("out")).ExitCode);
        Assert.Equal(["out/color.json"], temp.Files());
    }

    public static TheoryData<string, string, string> BadEntries => new()
    {
        { "{\"id\": \"0\", \"image\": \"../../etc/passwd\", \"prompt\": \"p\", \"question\": \"<image>\\nq\", \"answer\": \"a\"}", "image",
            "climbs out" },
        { "{\"id\": \"0\", \"image\": \"/etc/passwd\", \"prompt\": \"p\", \"question\": \"<image>\\nq\", \"answer\": \"a\"}", "image",
            "absolute" },
        { "{\"id\": 7, \"image\": \"a/7.jpg\", \"prompt\": \"p\", \"question\": \"<image>\\nq\", \"answer\": \"a\"}", "id",
            "expected a string, found a number (7)" },
        { "{\"id\": \"0\", \"image\": \"a/0.jpg\", \"question\": \"<image>\\nq\", \"answer\": \"a\"}", "", "missing field \"prompt\"" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void BadEntry_ExitsWith2_NamesFileLineAndField_AndLeavesNoOutput(string badEntry, string field, string message)
    {
        using var temp = new TempDir();
        string good = "{\"id\": \"1\", \"image\": \"a/1.jpg\", \"prompt\": \"p\", \"question\": \"<image>\\nq\", \"answer\": \"a\"}";
        string input = temp.Write("in/a.json", "[" + good + ",\n " + badEntry + "]");
        var result = CliRunner.Run("convert", "stablellava", "--prompt-path", input, "--save-path", temp.File("out.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(input + ":2:", result.Error, StringComparison.Ordinal);
        Assert.Contains("record 1", result.Error, StringComparison.Ordinal);
        if (field.Length > 0)
        {
            Assert.Contains("field " + field, result.Error, StringComparison.Ordinal);
        }

        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(["in/a.json"], temp.Files());
    }

    [Fact]
    public void TruncatedInput_KeepsTheUsersExistingOutput()
    {
        using var temp = new TempDir();
        string input = temp.Write("a.json", "[{\"id\": \"1\", \"image\": \"a/1.jpg\", \"prompt\": \"p\", \"question\": \"q\", "
            + "\"answer\": \"a\"}, {\"id\": \"2\", \"ima");
        string output = temp.Write("out.json", "what the user had");
        var result = CliRunner.Run("convert", "stablellava", "--prompt-path", input, "--save-path", output);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("truncated", result.Error, StringComparison.Ordinal);
        Assert.Equal("what the user had", File.ReadAllText(output));
        Assert.Equal(["a.json", "out.json"], temp.Files());
    }

    [Fact]
    public void OneBadFileInAFolder_WritesNoneOfTheOutputs()
    {
        using var temp = new TempDir();
        temp.Write("in/a_color.json", File.ReadAllBytes(Paths.Fixture("stablellava", "dataset", "color.json")));
        temp.Write("in/b_bad.json", "[{\"id\": \"1\"}]");
        var result = CliRunner.Run("convert", "stablellava", "--prompt-path", temp.File("in"), "--save-path", temp.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("b_bad.json", result.Error, StringComparison.Ordinal);
        Assert.Equal(["in/a_color.json", "in/b_bad.json"], temp.Files());
    }

    [Fact]
    public void NonUtf8Input_ExitsWith2NamingTheByte()
    {
        using var temp = new TempDir();
        byte[] content =
            [.. "[{\"id\": \"1\", \"image\": \"a/1.jpg\", \"prompt\": \"p\", \"question\": \"q\", \"answer\": \"caf"u8, 0xE9, .. "\"}]"u8];
        string input = temp.Write("a.json", content);
        var result = CliRunner.Run("convert", "stablellava", "--prompt-path", input, "--save-path", temp.File("o.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("0xE9", result.Error, StringComparison.Ordinal);
        Assert.Contains("field answer", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputOverInput_IsRefused()
    {
        using var temp = new TempDir();
        string input = temp.Write("a.json", "[]");
        var result = CliRunner.Run("convert", "stablellava", "--prompt-path", input, "--save-path", input);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("[]", File.ReadAllText(input));
    }

    [Fact]
    public void ToLlava_UsesTheSharedNamingRule()
    {
        var entry = new StableLlavaEntry { Id = "42", Image = "animal/42.jpg", Prompt = "p", Question = "q\n<image>", Answer = "a" };
        var sample = StableLlavaConversion.ToLlava(entry, "animal", "root", uniqueIds: false);
        Assert.Equal("000000000042", sample.Id);
        Assert.Equal("root/" + StableLlavaLayout.ImageRelativePath(entry), sample.Image!.Paths[0]);
    }
}

public class ConvertStableLlavaFastPathTests
{
    /// <summary>What the general path writes: each entry deserialized, checked, and written through FormatWriter.</summary>
    private static byte[] GeneralPath(string input, StableLlavaConversionOptions options)
    {
        using var reader = JsonRecordReader.OpenArray(input);
        using var buffer = new MemoryStream();
        using (var writer =
            new RecordFileWriter<LlavaSample>(buffer, JsonRecordLayout.Array, options.Style, FormatWriter.Write, leaveOpen: true))
        {
            foreach (var entry in JsonRecords.Read(reader, FormatsJsonContext.Default.StableLlavaEntry, StableLlavaLayout.Check))
            {
                writer.Write(StableLlavaConversion.ToLlava(entry, StableLlavaLayout.AbilityName(input), options.ImagePath,
                    options.UniqueIds));
            }

            writer.Complete();
        }

        return buffer.ToArray();
    }

    [Theory]
    [InlineData(false, false, "")]
    [InlineData(true, false, "train_set/")]
    [InlineData(false, true, "root")]
    public void EntriesWithEscapesNonAsciiExtraAndDuplicateFields_ConvertAsTheGeneralPathDoes(bool ascii, bool uniqueIds, string imagePath)
    {
        using var temp = new TempDir();
        string input = temp.Write("color.json", """
            [{"id": "7", "image": "color/7.jpg", "prompt": "p", "question": "<image>\nWhat colour?", "answer": "Red \"quite\" \\ red."},
             {"id": "-5", "image": "color/\u00e9.jpg", "prompt": "p", "question": "caf\u00e9 \ud83d\ude00 <image>",
            """
            + """
             "answer": "naïve 😀 \u2028 \/ \u007f\u0001"},
             {"answer": "first", "id": "+12", "extra": {"nested": [1, 2.5, {"x": null}]}, "image": "a/b.jpg", "prompt": "p",
            """
            + """
             "question": "no token", "answer": "second"},
             {"id": "123456789012345", "image": "x.jpg", "prompt": "p", "question": "<image>", "answer": "tab\tand\r\n", "more": true},
             {"i\u0064": "3", "image": "x.jpg", "prompt": "p", "question": "<image>", "answer": "escaped name"},
             {"id": "4", "image": "x.jpg", "prompt": "p", "question": "<image>", "answer": ""}]
            """);
        var options = new StableLlavaConversionOptions
        {
            PromptPath = input,
            SavePath = temp.File("out.json"),
            ImagePath = imagePath,
            UniqueIds = uniqueIds,
            Style = JsonStyle.Compact.WithAscii(ascii),
        };
        var report = StableLlavaConversion.Run(options);
        Assert.Equal(6, report.Written);
        Assert.Equal(GeneralPath(input, options), File.ReadAllBytes(temp.File("out.json")));
    }

    [Fact]
    public void AnEntryWithAMissingOrMistypedField_StillGetsTheGeneralPathsMessage()
    {
        using var temp = new TempDir();
        string input = temp.Write("color.json", """[{"id": "1", "image": "a.jpg", "prompt": "p", "question": "q", "answer": "a"}"""
            + """, {"id": 2, "image": "a.jpg", "prompt": "p", "question": "q", "answer": "a"}]""");
        var error = Assert.Throws<InputFormatException>(() =>
            StableLlavaConversion.Run(new StableLlavaConversionOptions { PromptPath = input, SavePath = temp.File("out.json") }));
        Assert.Contains("id", error.Describe(), StringComparison.Ordinal);
        string badPath = temp.Write("bad.json", """[{"id": "1", "image": "../a.jpg", "prompt": "p", "question": "q", "answer": "a"}]""");
        var pathError = Assert.Throws<InputFormatException>(() =>
            StableLlavaConversion.Run(new StableLlavaConversionOptions { PromptPath = badPath, SavePath = temp.File("out2.json") }));
        Assert.Contains("image", pathError.Describe(), StringComparison.Ordinal);
    }
}
