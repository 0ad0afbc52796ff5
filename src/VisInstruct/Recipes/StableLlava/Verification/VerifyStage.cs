using System.Globalization;
using VisInstruct.Engine;
using VisInstruct.Recipes.StableLlava.Verification;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Between the dialogue and the records, for samples whose images have scenes (procedural ones): every pair is
/// checked by the independent verifier (<see cref="PairVerifier"/>); a wrong or ill-posed pair is dropped with its
/// reason kind counted. A question outside the language is a writer bug when the template writer wrote it (dropped)
/// and is kept and counted as unverified when an LLM did. A sample left with no pair, or a turn-per-image dialogue
/// that lost one of its image turns, is dropped whole. Samples with backend images pass untouched.
/// </summary>
internal sealed class VerifyStage(bool templateWritten)
{
    public const string DropKind = "verify";

    public ValueTask<WrittenSample> RunAsync(WrittenSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var scenario = sample.Rendered.Prepared.Scenario;
        if (scenario.Images.Count == 0 || scenario.Images.Any(i => i.Scene is null))
        {
            return ValueTask.FromResult(sample);
        }

        var scenes = scenario.Images.Select(i => i.Scene!).ToList();
        bool turnPerImage = scenario.Kind == "multi_turn";
        bool caption = scenario.FixedQuestion is { } fixedQuestion && sample.Turns.Count > 0 && sample.Turns[0].Question == fixedQuestion;
        var verdicts = PairVerifier.Verify(scenes, [.. sample.Turns.Select(t => (t.Question, t.Answer))], turnPerImage, caption);
        var kept = new List<QaPair>();
        var dropped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int unverified = 0;
        string? firstReason = null, lostImageTurn = null;
        for (int i = 0; i < verdicts.Count; i++)
        {
            var verdict = verdicts[i];
            bool keep = verdict.IsVerified || (verdict.Kind == VerdictKind.Unverifiable && !templateWritten);
            if (keep)
            {
                unverified += verdict.IsVerified ? 0 : 1;
                kept.Add(sample.Turns[i]);
                continue;
            }

            dropped[verdict.ReasonKind] = dropped.GetValueOrDefault(verdict.ReasonKind) + 1;
            string reason = string.Create(CultureInfo.InvariantCulture,
                $"turn {i + 1} ({verdict.ReasonKind}): {verdict.Reason}; "
                + $"question \"{sample.Turns[i].Question}\", answer \"{sample.Turns[i].Answer}\"");
            firstReason ??= reason;
            lostImageTurn ??= turnPerImage && i < scenes.Count ? reason : null;
        }

        if (kept.Count == 0 || lostImageTurn is not null)
        {
            throw new SampleDroppedException(DropKind, "the verifier dropped " + (kept.Count == 0 ? "every pair" : "an image's turn")
                + ": " + (lostImageTurn ?? firstReason));
        }

        return ValueTask.FromResult(sample with { Turns = kept, Checks = new PairChecks(verdicts.Count, unverified, dropped) });
    }
}
