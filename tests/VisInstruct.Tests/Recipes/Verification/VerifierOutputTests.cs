using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Recipes.StableLlava;
using VisInstruct.Recipes.StableLlava.Verification;
using VisInstruct.Rendering;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes.Verification;

/// <summary>One offline run of 3,000 samples (300 per ability), shared by the tests that read it back.</summary>
public sealed class OfflineRun : IDisposable
{
    private readonly TempDir _temp = new();

    public OfflineRun()
    {
        var run = CliRunner.Run("generate", "--out", _temp.Path, "--count", "300", "--seed", "21", "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        var captions = AbilityCatalog.BuiltIn().CaptionInstructions.ToHashSet(StringComparer.Ordinal);
        Samples = OutputScenes.Read(_temp.Path);
        IsCaption = s => s.Turns.Count == 1 && captions.Contains(s.Turns[0].Question);
    }

    public string Folder => _temp.Path;

    internal List<OutputScenes.Sample> Samples { get; }

    internal Func<OutputScenes.Sample, bool> IsCaption { get; }

    internal List<Verdict> Verify(OutputScenes.Sample sample, List<(string Question, string Answer)>? turns = null) =>
        PairVerifier.Verify(sample.Scenes, turns ?? sample.Turns, sample.Id.StartsWith("multi_turn", StringComparison.Ordinal),
            IsCaption(sample));

    public void Dispose() => _temp.Dispose();
}

/// <summary>
/// The verifier over a whole offline run: every pair the run wrote, read back from the files and the scenes in the
/// provenance, verifies; the verify stage dropped nothing the template writer wrote; the card's figures are the
/// run's; and every answer with one colour, number or yes/no changed is caught.
/// </summary>
public class VerifierOutputTests(OfflineRun run) : IClassFixture<OfflineRun>
{
    [Fact]
    public void EveryWrittenPair_VerifiesAgainstItsScene()
    {
        Assert.True(run.Samples.Count > 2000, $"{run.Samples.Count} samples");
        var bad = new List<string>();
        foreach (var sample in run.Samples)
        {
            Assert.NotEmpty(sample.Scenes);
            var verdicts = run.Verify(sample);
            bad.AddRange(verdicts.Select((v, i) => (v, i)).Where(x => !x.v.IsVerified)
                .Select(x => $"{sample.Id} [{x.v.ReasonKind}] {x.v.Reason}: "
                    + $"\"{sample.Turns[x.i].Question}\" -> \"{sample.Turns[x.i].Answer}\""));
        }

        Assert.True(bad.Count == 0, string.Join("\n", bad.Take(40)));
    }

    [Fact]
    public void TheVerifyStage_DropsNothingTheTemplateWriterWrote_AndTheCardHasTheRunsFigures()
    {
        // The template writer must write only verifiable, right pairs: any drop is a writer (or verifier) bug, listed here.
        var drops = File.ReadLines(Path.Combine(run.Folder, "failures.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => $"{e.GetProperty("key").GetString()} at {e.GetProperty("stage").GetString()}: "
                + e.GetProperty("message").GetString())
            .ToList();
        Assert.True(drops.Count == 0, string.Join("\n", drops.Take(30)));

        string line = File.ReadAllLines(Path.Combine(run.Folder, "README.md"))
            .Single(l => l.StartsWith("Verification:", StringComparison.Ordinal));
        long Number(string pattern) => long.Parse(Regex.Match(line, pattern).Groups[1].Value, CultureInfo.InvariantCulture);
        int written = run.Samples.Sum(s => s.Turns.Count);
        Assert.Equal(0, Number(@"(\d+) kept unverified"));
        Assert.Equal(written, Number(@"checked (\d+) pairs") - Number(@"pairs: (\d+) dropped"));
        Assert.Equal(written, Number(@"Of the (\d+) procedural pairs written"));
        Assert.Equal(written, Number(@", (\d+) state exactly"));
        Assert.Equal(0, Number(@"pairs: (\d+) dropped"));
        Assert.Contains("among the 0 dropped", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// One colour or number word changed in each of about 1,600 real answers: the verifier must catch all but a few.
    /// Known blind spots (listed in DESIGN.md's verifier section): a caption that names one group twice; a count said of
    /// "the first" in a difference answer ("the first has two"); a number word that is no count ("from one tone to
    /// another", which a change makes wrong English but no false claim).
    /// </summary>
    [Fact]
    public void AnswersWithOneValueChanged_AreAlmostAllCaught()
    {
        var colors = NamedColor.Palette.Select(c => c.Name).ToList();
        string[] numbers = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        var missed = new List<string>();
        int tried = 0;
        foreach (var sample in run.Samples.Where((_, i) => i % 3 == 0))
        {
            for (int t = 0; t < sample.Turns.Count; t++)
            {
                var words = sample.Turns[t].Answer.Split(' ');
                int w = Array.FindIndex(words, x => Swap(x.TrimEnd('.', ',', ';', ':')) is not null);
                if (w < 0)
                {
                    continue;
                }

                string bare = words[w].TrimEnd('.', ',', ';', ':');
                words[w] = words[w].Replace(bare, Swap(bare)!, StringComparison.Ordinal);
                var turns = sample.Turns.ToList();
                turns[t] = (turns[t].Question, string.Join(' ', words));
                tried++;
                if (run.Verify(sample, turns)[t].IsVerified)
                {
                    missed.Add($"{sample.Id}: \"{turns[t].Question}\" -> \"{turns[t].Answer}\"");
                }
            }
        }

        Assert.True(tried > 1000, $"{tried} changed answers");
        Assert.True(missed.Count <= tried / 100,
            $"{missed.Count} of {tried} missed (more than 1 %):\n" + string.Join("\n", missed.Take(30)));

        string? Swap(string word) => colors.Contains(word) ? colors[(colors.IndexOf(word) + 3) % colors.Count]
            : Array.IndexOf(numbers, word.ToLowerInvariant()) is var n and >= 0 ? Capital(numbers[(n + 1) % numbers.Length], word)
            : word is "Yes" ? "No" : word is "No" ? "Yes" : null;
    }

    private static string Capital(string word, string like) => char.IsUpper(like[0]) ? char.ToUpperInvariant(word[0]) + word[1..] : word;
}
