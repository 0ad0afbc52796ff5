using VisInstruct.Recipes.StableLlava;
using VisInstruct.Recipes.StableLlava.Verification;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes.Verification;

/// <summary>
/// The verifier over a whole offline run: every pair the run wrote, read back from the files and the scenes in
/// the provenance, verifies; the pairs the verify stage dropped are only the template writer's known mistakes.
/// </summary>
public class VerifierOutputTests
{
    [Fact]
    public void EveryWrittenPair_VerifiesAgainstItsScene()
    {
        using var temp = new TempDir();
        var run = CliRunner.Run("generate", "--out", temp.Path, "--count", "300", "--seed", "21", "--quiet");
        Assert.Equal(0, run.ExitCode);
        var captions = AbilityCatalog.BuiltIn().CaptionInstructions.ToHashSet(StringComparer.Ordinal);
        var samples = OutputScenes.Read(temp.Path);
        Assert.True(samples.Count > 2000, $"{samples.Count} samples");
        var bad = new List<string>();
        int pairs = 0;
        foreach (var sample in samples)
        {
            Assert.NotEmpty(sample.Scenes);
            bool caption = sample.Turns.Count == 1 && captions.Contains(sample.Turns[0].Question);
            var verdicts = PairVerifier.Verify(sample.Scenes, sample.Turns, sample.Id.StartsWith("multi_turn", StringComparison.Ordinal),
                caption);
            pairs += verdicts.Count;
            bad.AddRange(verdicts.Select((v, i) => (v, i)).Where(x => !x.v.IsVerified)
                .Select(x => $"{sample.Id} [{x.v.ReasonKind}] {x.v.Reason}: \"{sample.Turns[x.i].Question}\" -> \"{sample.Turns[x.i].Answer}\""));
        }

        File.WriteAllLines("/tmp/verify-bad.txt", bad);
        Assert.True(bad.Count == 0, $"{bad.Count} of {pairs}:\n" + string.Join("\n", bad.Take(40)));
    }
}

public class VerifierMutationProbe
{
    [Fact]
    public void Probe()
    {
        using var temp = new TempDir();
        Assert.Equal(0, CliRunner.Run("generate", "--out", temp.Path, "--count", "100", "--seed", "21", "--quiet").ExitCode);
        var captions = AbilityCatalog.BuiltIn().CaptionInstructions.ToHashSet(StringComparer.Ordinal);
        var colors = VisInstruct.Rendering.NamedColor.Palette.Select(c => c.Name).ToList();
        string[] numbers = ["one", "two", "three", "four", "five", "six", "seven", "eight"];
        var missed = new List<string>();
        int tried = 0;
        foreach (var s in OutputScenes.Read(temp.Path))
        {
            bool caption = s.Turns.Count == 1 && captions.Contains(s.Turns[0].Question);
            for (int t = 0; t < s.Turns.Count; t++)
            {
                var words = s.Turns[t].Answer.Split(' ');
                for (int w = 0; w < words.Length; w++)
                {
                    string bare = words[w].TrimEnd('.', ',', ';', ':');
                    string? swap = colors.Contains(bare) ? colors[(colors.IndexOf(bare) + 3) % colors.Count]
                        : numbers.Contains(bare.ToLowerInvariant()) ? numbers[(Array.IndexOf(numbers, bare.ToLowerInvariant()) + 1) % numbers.Length]
                        : bare is "Yes" ? "No" : bare is "No" ? "Yes" : null;
                    if (swap is null)
                    {
                        continue;
                    }

                    var copy = (string[])words.Clone();
                    copy[w] = words[w].Replace(bare, swap, StringComparison.Ordinal);
                    var turns = s.Turns.ToList();
                    turns[t] = (turns[t].Question, string.Join(' ', copy));
                    var v = PairVerifier.Verify(s.Scenes, turns, s.Id.StartsWith("multi_turn", StringComparison.Ordinal), caption)[t];
                    tried++;
                    if (v.IsVerified)
                    {
                        missed.Add($"{s.Id}: \"{turns[t].Question}\" -> \"{turns[t].Answer}\"");
                    }

                    break;
                }
            }
        }

        File.WriteAllLines("/tmp/verify-missed.txt", missed);
        Assert.True(missed.Count == 0, $"{missed.Count} of {tried} missed");
    }
}
