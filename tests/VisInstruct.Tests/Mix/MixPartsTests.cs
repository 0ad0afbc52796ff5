using VisInstruct.Mix;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Mix;

/// <summary>The mix's parts: the spec syntax, paths with colons, and the external sort against one in-memory run.</summary>
public class MixPartsTests(MixFixture data) : IClassFixture<MixFixture>
{
    [Theory]
    [InlineData("50000", 50000L, null)]
    [InlineData("0.5", null, 0.5)]
    [InlineData("1.5", null, 1.5)]
    [InlineData("2x", null, 2.0)]
    [InlineData("0.25x", null, 0.25)]
    public void A_spec_is_a_count_a_ratio_or_a_weight(string text, long? count, double? ratio)
    {
        var spec = TakeSpec.TryParse(text, out string? error);
        Assert.Null(error);
        Assert.NotNull(spec);
        Assert.Equal(count, spec.Count);
        Assert.Equal(ratio, spec.Ratio);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("2y")]
    [InlineData("-1")]
    [InlineData("1.2.3")]
    public void Other_text_is_no_spec(string text) => Assert.Null(TakeSpec.TryParse(text, out _));

    [Fact]
    public void Only_a_last_colon_segment_shaped_as_a_spec_is_one()
    {
        using var temp = new TempDir();
        string path = temp.Write("run:2024/a:b.json", "[]");
        Assert.Equal((path, TakeSpec.All), MixInput.Split(path, File.Exists));
        var (head, take) = MixInput.Split(path + ":300", File.Exists);
        Assert.Equal(path, head);
        Assert.Equal(300, take.Count);
        Assert.Equal(0.5, MixInput.Split(path + ":0.5", File.Exists).Take.Ratio);
    }

    [Fact]
    public void A_cancelled_mix_throws_and_leaves_no_folder()
    {
        using var temp = new TempDir();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var options = new MixOptions { Inputs = [new MixInput(data.Generated, TakeSpec.All, "gen")], Output = temp.File("mix") };
        Assert.ThrowsAny<OperationCanceledException>(() => Mixer.Run(options, cancelled.Token));
        Assert.False(Directory.Exists(temp.File("mix")));
    }

    [Fact]
    public void A_repeated_id_gets_the_first_free_suffix()
    {
        var ids = new UniqueIds();
        string[] written = [.. new[] { "a", "b", "a", "a~2", "a", "b" }.Select(ids.Assign)];
        Assert.Equal(["a", "b", "a~2", "a~2~2", "a~3", "b~2"], written);
        Assert.Equal(4, ids.Renamed);
    }

    [Fact]
    public void Spilled_runs_merge_to_the_same_bytes_as_one_run()
    {
        using var temp = new TempDir();
        MixOptions Options(string output, long runBytes) => new()
        {
            Inputs = [new MixInput(data.Generated, TakeSpec.TryParse("1.5", out _)!, "gen"),
                new MixInput(data.SvitFile, TakeSpec.All, "svit", data.DataRoot)],
            Output = output, Seed = 11, Holdout = 0.05, Images = ImageMode.Link, RunBytes = runBytes,
        };
        var small = Mixer.Run(Options(temp.File("small"), 2048));
        var large = Mixer.Run(Options(temp.File("large"), 64L << 20));
        Assert.True(small.SpillRuns > 5, $"{small.SpillRuns} runs");
        Assert.Equal(1, large.SpillRuns);
        foreach (string file in new[] { "llava.json", "llava_multi.json", "holdout.json" })
        {
            Assert.Equal(File.ReadAllBytes(temp.File("large", file)), File.ReadAllBytes(temp.File("small", file)));
        }

        Assert.True(small.Single + small.Multi > 50, $"{small.Single} + {small.Multi} written");
    }
}
