using System.Security.Cryptography;
using System.Text.Json;
using VisInstruct.Lint;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Mix;

/// <summary><c>visinstruct mix</c> end to end: what it writes, read back with System.Text.Json and the linter.</summary>
public class MixCommandTests(MixFixture data) : IClassFixture<MixFixture>
{
    private string[] Svit(string spec = "") => ["--input", data.SvitFile + spec, "--image-folder", "svit_mix=" + data.DataRoot];

    private static CliRunner.Result Mix(string output, params string[] args) => CliRunner.Run(["mix", "--out", output, .. args]);

    [Fact]
    public void Same_seed_gives_the_same_bytes_and_another_seed_another_order()
    {
        using var temp = new TempDir();
        string output = temp.File("mix");
        string[] args = ["--input", data.Generated + ":0.5", .. Svit(":2x"), "--holdout", "0.1", "--seed", "7"];
        var first = Mix(output, args);
        Assert.True(first.ExitCode == 0, first.Error);
        var bytes = new[] { "llava.json", "llava_multi.json", "holdout.json", "mix.json", "README.md", "refused.jsonl" }
            .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(output, f)));
        // Again into the same folder: an earlier mix is replaced.
        var second = Mix(output, args);
        Assert.True(second.ExitCode == 0, second.Error);
        foreach (var (file, content) in bytes)
        {
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))), file + " differs");
        }

        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(output), e => Path.GetFileName(e).StartsWith('.'));
        var other = Mix(temp.File("other"), ["--input", data.Generated + ":0.5", .. Svit(":2x"), "--holdout", "0.1", "--seed", "8"]);
        Assert.True(other.ExitCode == 0, other.Error);
        Assert.False(bytes["llava.json"].AsSpan().SequenceEqual(File.ReadAllBytes(temp.File("other", "llava.json"))));
    }

    [Fact]
    public void Counts_ratios_and_repeats_are_exact_and_ids_unique()
    {
        using var temp = new TempDir();
        string output = temp.File("mix");
        var run = Mix(output, ["--input", data.Generated + ":0.5", .. Svit(":2x")]);
        Assert.True(run.ExitCode == 0, run.Error);
        var records = Training(output);
        var fromSvit = records.Where(r => FromSvit(r)).ToList();
        var fromGenerated = records.Except(fromSvit).ToList();
        int generated = MixFixture.Records(Path.Combine(data.Generated, "llava.json")).Count
            + MixFixture.Records(Path.Combine(data.Generated, "llava_multi.json")).Count;
        Assert.Equal((int)Math.Round(generated * 0.5, MidpointRounding.AwayFromZero), fromGenerated.Count);
        Assert.Equal(2 * MixFixture.SvitUsable, fromSvit.Count);
        // Every usable SVIT-style sample exactly twice; the ids unique across everything.
        Assert.All(fromSvit.GroupBy(MixFixture.Dialogue), g => Assert.Equal(2, g.Count()));
        var ids = records.Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("0", ids);
        Assert.Contains("0~2", ids);
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "mix.json")));
        var svit = card.RootElement.GetProperty("sources")[1];
        Assert.Equal("svit_mix", svit.GetProperty("name").GetString());
        Assert.Equal(15, svit.GetProperty("samples_read").GetInt64());
        Assert.Equal(2 * MixFixture.SvitUsable, svit.GetProperty("taken").GetInt64());
        Assert.Equal(6, svit.GetProperty("groups").GetProperty("vg").GetProperty("usable").GetInt64());
    }

    [Fact]
    public void A_count_takes_that_many_and_a_cap_limits_its_group()
    {
        using var temp = new TempDir();
        string output = temp.File("mix");
        var run = Mix(output, ["--input", data.Generated + ":10", .. Svit(), "--cap", "svit_mix/vg=2", "--cap", "color=1"]);
        Assert.True(run.ExitCode == 0, run.Error);
        var records = Training(output);
        Assert.Equal(10, records.Count(r => !FromSvit(r)));
        Assert.Equal(2, records.Count(r => FromSvit(r) && MixFixture.Images(r).Any(p => p.Contains("/vg/", StringComparison.Ordinal))));
        Assert.Equal(6, records.Count(r => FromSvit(r) && MixFixture.Images(r).Any(p => p.Contains("/coco/", StringComparison.Ordinal))));
        Assert.True(records.Count(r => r.GetProperty("id").GetString()!.StartsWith("color_", StringComparison.Ordinal)) <= 1);
    }

    [Fact]
    public void Duplicates_refusals_and_the_holdout_are_kept_apart()
    {
        using var temp = new TempDir();
        string output = temp.File("mix");
        var run = Mix(output, ["--input", data.Generated, .. Svit(), "--holdout", "0.2", "--seed", "3"]);
        Assert.True(run.ExitCode == 0, run.Error);
        var training = Training(output);
        var holdout = MixFixture.Records(Path.Combine(output, "holdout.json"));
        int generated = MixFixture.Records(Path.Combine(data.Generated, "llava.json")).Count
            + MixFixture.Records(Path.Combine(data.Generated, "llava_multi.json")).Count;
        int distinct = generated + MixFixture.SvitUsable;
        Assert.Equal((int)Math.Round(0.2 * distinct, MidpointRounding.AwayFromZero), holdout.Count);
        Assert.Equal(distinct, training.Count + holdout.Count);
        // The planted duplicate went (one "Scene 0." sample is left, in training or held out), and so did the bad record.
        Assert.Single(training.Concat(holdout), r => MixFixture.Dialogue(r).EndsWith("Scene 0.", StringComparison.Ordinal));
        Assert.DoesNotContain(training.Concat(holdout), r => r.GetProperty("id").GetString() == "bad");
        var refused = File.ReadAllLines(Path.Combine(output, "refused.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var planted = Assert.Single(refused);
        Assert.Equal("bad", planted.GetProperty("id").GetString());
        Assert.Equal("image-token-count", planted.GetProperty("reason").GetString());
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "mix.json")));
        Assert.Equal(1, card.RootElement.GetProperty("duplicates_removed").GetInt64());
        Assert.Equal(1, card.RootElement.GetProperty("sources")[1].GetProperty("refused").GetProperty("image-token-count").GetInt64());
        // No held-out sample is a duplicate of a training one: no (image bytes, dialogue) in both.
        var trainingKeys = training.Select(r => Key(output, r)).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(holdout, r => trainingKeys.Contains(Key(output, r)));
        var trainingIds = training.Select(r => r.GetProperty("id").GetString()).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(holdout, r => trainingIds.Contains(r.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("link")]
    [InlineData("rebase")]
    public void Every_image_mode_resolves_to_the_original_bytes_and_lints_clean(string mode)
    {
        using var temp = new TempDir();
        string output = temp.File("mix");
        // Rebase needs one root holding both sources' images: the temp folder of the fixture holds gen/ and data/.
        string root = Path.GetDirectoryName(data.Generated)!;
        string[] rebase = mode == "rebase" ? ["--image-root", root] : [];
        var run = Mix(output, ["--input", data.Generated, .. Svit(), "--images", mode, .. rebase]);
        Assert.True(run.ExitCode == 0, run.Error);
        string imageFolder = mode == "rebase" ? root : output;
        var originals = Originals();
        foreach (string file in new[] { "llava.json", "llava_multi.json" })
        {
            var records = MixFixture.Records(Path.Combine(output, file));
            Assert.NotEmpty(records);
            // One image or none in llava.json, two or more in llava_multi.json, as generate splits them.
            Assert.All(records, r => Assert.Equal(file == "llava_multi.json", MixFixture.Images(r).Count > 1));
            foreach (var record in records)
            {
                var (id, images) = originals[MixFixture.Dialogue(record)];
                var mapped = MixFixture.Images(record);
                Assert.Equal(images.Count, mapped.Count);
                for (int i = 0; i < images.Count; i++)
                {
                    byte[] written = File.ReadAllBytes(Path.Combine(imageFolder, mapped[i]));
                    Assert.True(written.AsSpan().SequenceEqual(File.ReadAllBytes(images[i])), $"{id}: {mapped[i]}");
                }
            }

            var lint = LlavaLinter.Lint(Path.Combine(output, file), new LintOptions
            {
                ImageFolder = imageFolder, Trainer = file == "llava.json" ? LintTrainer.Llava15 : LintTrainer.OneVision,
            });
            Assert.True(lint.Errors == 0, string.Join("\n", lint.Findings.Select(f => f.Message)));
        }

        if (mode == "link")
        {
            Assert.All(Directory.EnumerateFiles(Path.Combine(output, "images"), "*", SearchOption.AllDirectories),
                f => Assert.NotNull(new FileInfo(f).LinkTarget));
        }
        else if (mode == "rebase")
        {
            Assert.False(Directory.Exists(Path.Combine(output, "images")));
        }
    }

    [Theory]
    [InlineData(":abc", "\"abc\" is not a count")]
    [InlineData(":0", "the count 0")]
    [InlineData(".missing", "no such file or folder")]
    public void A_bad_spec_or_a_missing_input_is_exit_2_naming_it(string suffix, string message)
    {
        using var temp = new TempDir();
        var run = Mix(temp.File("mix"), ["--input", data.SvitFile + suffix, "--image-folder", "1=" + data.DataRoot]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--input " + data.SvitFile + suffix, run.Error, StringComparison.Ordinal);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("mix")));
    }

    [Fact]
    public void Bad_options_are_exit_2_and_leave_nothing()
    {
        using var temp = new TempDir();
        string output = temp.File("mix");
        var unknown = Mix(output, ["--input", data.SvitFile, "--image-folder", "nosuch=" + data.DataRoot]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no source is named nosuch", unknown.Error, StringComparison.Ordinal);
        var cap = Mix(output, ["--input", data.Generated, "--cap", "other/color=2"]);
        Assert.Equal(2, cap.ExitCode);
        Assert.Contains("no source named other", cap.Error, StringComparison.Ordinal);
        // An image outside the one root: the error names the source and the sample, and nothing is left.
        var outside = Mix(output, ["--input", data.Generated, .. Svit(), "--images", "rebase", "--image-root", data.DataRoot]);
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("source gen", outside.Error, StringComparison.Ordinal);
        Assert.Contains("llava.json", outside.Error, StringComparison.Ordinal);
        Assert.Contains("outside --image-root", outside.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        var notMine = temp.Write("mine/notes.txt", "mine");
        var refused = Mix(temp.File("mine"), ["--input", data.Generated]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("mine", File.ReadAllText(notMine));
    }

    [Fact]
    public void What_a_killed_mix_left_is_cleared_and_the_temporary_folders_go()
    {
        using var temp = new TempDir();
        string output = temp.File("mix");
        string host = VisInstruct.IO.StagedOutput.TempName("x").Split(".tmp-")[1].Split('-')[0];
        string left = Path.Combine(output, $".spill.tmp-{host}-{int.MaxValue}-abcd1234.xyz");
        temp.Write(Path.Combine("mix", Path.GetFileName(left), "run-00000.bin"), "stale");
        var run = Mix(output, ["--input", data.Generated + ":10"]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.False(Directory.Exists(left));
        var entries = Directory.EnumerateFileSystemEntries(output).Select(e => Path.GetFileName(e)!).ToList();
        Assert.DoesNotContain(entries, e => e.StartsWith('.'));
        foreach (string expected in new[] { "README.md", "images", "llava.json", "mix.json", "refused.jsonl" })
        {
            Assert.Contains(expected, entries);
        }
    }

    [Fact]
    public void A_failed_mix_leaves_the_earlier_mix_as_it_was()
    {
        using var temp = new TempDir();
        string output = temp.File("mix");
        var good = Mix(output, ["--input", data.Generated + ":10", .. Svit()]);
        Assert.True(good.ExitCode == 0, good.Error);
        var before = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(output, f), File.ReadAllBytes);
        // The second source is all duplicates of the first, so its count cannot be met: the mix fails after pass 1.
        var failed = Mix(output, ["--input", data.SvitFile + ":0.5", "--image-folder", "1=" + data.DataRoot,
            "--input", data.SvitFile + ":3", "--image-folder", "2=" + data.DataRoot]);
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("no usable sample", failed.Error, StringComparison.Ordinal);
        var after = Directory.EnumerateFileSystemEntries(output, "*", SearchOption.AllDirectories)
            .Where(File.Exists).ToDictionary(f => Path.GetRelativePath(output, f), File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(output), e => Path.GetFileName(e).StartsWith('.'));
    }

    private bool FromSvit(JsonElement record) =>
        MixFixture.Images(record) is var images && (images.Count == 0 ? record.GetProperty("id").GetString()!.StartsWith("text",
            StringComparison.Ordinal) : images[0].StartsWith("images/svit_mix/", StringComparison.Ordinal));

    private static string Key(string output, JsonElement record) =>
        string.Join(",", MixFixture.Images(record).Select(p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(
            Path.Combine(output, p))))))
            + "|" + MixFixture.Dialogue(record);

    private static List<JsonElement> Training(string output) =>
        [.. MixFixture.Records(Path.Combine(output, "llava.json")), .. MixFixture.Records(Path.Combine(output, "llava_multi.json"))];

    // Dialogue -> (id, the original image files), from both sources as they are on disk.
    private Dictionary<string, (string Id, List<string> Images)> Originals()
    {
        var map = new Dictionary<string, (string, List<string>)>(StringComparer.Ordinal);
        foreach (string file in new[] { "llava.json", "llava_multi.json" })
        {
            foreach (var record in MixFixture.Records(Path.Combine(data.Generated, file)))
            {
                map[MixFixture.Dialogue(record)] = (record.GetProperty("id").GetString()!,
                    [.. MixFixture.Images(record).Select(p => Path.Combine(data.Generated, p))]);
            }
        }

        foreach (var record in MixFixture.Records(data.SvitFile))
        {
            map.TryAdd(MixFixture.Dialogue(record), (record.GetProperty("id").GetString()!,
                [.. MixFixture.Images(record).Select(p => Path.Combine(data.DataRoot, p))]));
        }

        return map;
    }
}
