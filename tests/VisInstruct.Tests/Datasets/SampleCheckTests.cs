using System.Text.Json;
using VisInstruct.Datasets;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Datasets;

/// <summary>Each reason of <see cref="SampleCheck"/> on a real bad record read from a file, with the field it names.</summary>
public class SampleCheckTests
{
    private static readonly byte[] Png1x1 = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    private static (DatasetSample Sample, DatasetSource Source) Read(string record)
    {
        var temp = new TempDir();
        temp.Write("imgs/a.png", Png1x1);
        temp.Write("imgs/bad.jpg", "text, not pixels");
        var source = DatasetSource.Open(temp.Write("train.jsonl", record + "\n"), temp.File("imgs"));
        return (Assert.Single(source.Read()), source);
    }

    private static string Record(object? image, params string[] turns) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = "s", ["image"] = image,
        ["conversations"] = turns.Select(t => new Dictionary<string, string>
        {
            ["from"] = t[..t.IndexOf(':', StringComparison.Ordinal)], ["value"] = t[(t.IndexOf(':', StringComparison.Ordinal) + 1)..],
        }),
    });

    [Theory]
    [InlineData(null, new string[0], SampleProblem.NoTurns, "conversations")]
    [InlineData("a.png", new[] { "gpt:<image>\nQ?", "human:A." }, SampleProblem.Roles, "conversations[0].from")]
    [InlineData("a.png", new[] { "human:<image>\nQ?", "assistant:A." }, SampleProblem.Roles, "conversations[1].from")]
    [InlineData("a.png", new[] { "human:<image>\nQ?" }, SampleProblem.NoAnswer, "conversations[0]")]
    [InlineData("a.png", new[] { "human:<image>\n  ", "gpt:A." }, SampleProblem.EmptyTurn, "conversations[0].value")]
    [InlineData("a.png", new[] { "human:Q?", "gpt:A." }, SampleProblem.TokenCount, "conversations")]
    [InlineData(null, new[] { "human:<image>\nQ?", "gpt:A." }, SampleProblem.TokenCount, "conversations")]
    [InlineData("a.png", new[] { "human:<image>\nQ?", "gpt:See <image>." }, SampleProblem.TokenInAnswer, "conversations[1].value")]
    [InlineData("", new[] { "human:<image>\nQ?", "gpt:A." }, SampleProblem.ImagePath, "image")]
    [InlineData("../../etc/a.png", new[] { "human:<image>\nQ?", "gpt:A." }, SampleProblem.ImagePath, "image")]
    [InlineData("none.png", new[] { "human:<image>\nQ?", "gpt:A." }, SampleProblem.ImageMissing, "image")]
    [InlineData("bad.jpg", new[] { "human:<image>\nQ?", "gpt:A." }, SampleProblem.ImageUnreadable, "image")]
    public void BadRecord_IsFoundWithItsReasonAndField(string? image, string[] turns, string reason, string field)
    {
        var (sample, source) = Read(Record(image, turns));
        var problem = SampleCheck.Find(sample, source);
        Assert.NotNull(problem);
        Assert.Equal(reason, problem.Reason);
        Assert.Equal(field, problem.Field);
        Assert.False(string.IsNullOrWhiteSpace(problem.Message));
    }

    [Fact]
    public void ListOfImages_NamesTheIndexOfTheMissingOne()
    {
        var (sample, source) = Read(Record(new[] { "a.png", "gone.png" }, "human:<image>\n<image>\nSame?", "gpt:No."));
        var problem = SampleCheck.Find(sample, source)!;
        Assert.Equal(SampleProblem.ImageMissing, problem.Reason);
        Assert.Equal("image[1]", problem.Field);
    }

    [Fact]
    public void GoodRecords_PassWithAndWithoutTheirFiles()
    {
        var (sample, source) = Read(Record("a.png", "human:<image>\nQ?", "gpt:A.", "human:More?", "gpt:Yes."));
        Assert.Null(SampleCheck.Find(sample, source));
        var (missing, _) = Read(Record("none.png", "human:<image>\nQ?", "gpt:A."));
        Assert.Null(SampleCheck.Find(missing));
    }

    [Fact]
    public void FinalQuestion_PassesWhereTheTrainerMasksIt()
    {
        var (sample, source) = Read(Record("a.png", "human:<image>\nQ?"));
        Assert.Null(SampleCheck.Find(sample, source, requireFinalAnswer: false));
    }

    [Fact]
    public void Tally_CountsByReason_AndDescribesTheFirst()
    {
        var (a, _) = Read(Record("a.png", "human:Q?", "gpt:A."));
        var (b, _) = Read(Record(null, "human:<image>Q?", "gpt:A."));
        var tally = new RefusalTally(examplesKeptPerReason: 1);
        tally.Add(a, SampleCheck.Find(a)!);
        tally.Add(b, SampleCheck.Find(b)!);
        Assert.Equal(2, tally.Total);
        Assert.Equal(2, tally.Counts[SampleProblem.TokenCount]);
        Assert.Single(tally.Examples);
        string line = Assert.Single(tally.Describe());
        Assert.StartsWith("  image-token-count: 2 (first: ", line, StringComparison.Ordinal);
        Assert.Contains("record 0, id \"s\", field conversations", line, StringComparison.Ordinal);
    }
}
