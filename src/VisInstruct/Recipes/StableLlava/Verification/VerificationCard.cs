using System.Globalization;
using System.Text;
using VisInstruct.Engine;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The card's paragraph on the verifier: how many pairs it checked, how many it dropped and why, how many it kept
/// unverified; the card's claim that the procedural dialogues are exact is these measured numbers.
/// </summary>
internal static class VerificationCard
{
    public static void Write(StringBuilder sb, DatasetSummary summary)
    {
        var counters = summary.Counters;
        if (!counters.TryGetValue(StableLlavaCounters.VerifyChecked, out long checkedPairs))
        {
            return;
        }

        long unverified = counters.GetValueOrDefault(StableLlavaCounters.VerifyUnverified);
        var dropped = counters.Where(kv => kv.Key.StartsWith(StableLlavaCounters.VerifyDroppedPrefix, StringComparison.Ordinal))
            .Select(kv => (Kind: kv.Key[StableLlavaCounters.VerifyDroppedPrefix.Length..], Count: kv.Value)).ToList();
        long droppedPairs = dropped.Sum(d => d.Count);
        long kept = checkedPairs - droppedPairs, verified = kept - unverified;
        sb.Append(CultureInfo.InvariantCulture, $"Verification: an independent verifier (code that shares no template with the writer) ")
            .Append(CultureInfo.InvariantCulture, $"re-derived the answers from each scene and checked {checkedPairs} pairs: ")
            .Append(CultureInfo.InvariantCulture, $"{droppedPairs} dropped");
        if (dropped.Count > 0)
        {
            var kinds = dropped.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Kind} {d.Count}"));
            sb.Append(" (").AppendJoin(", ", kinds).Append(')');
        }

        sb.Append(CultureInfo.InvariantCulture, $", {unverified} kept unverified ")
            .Append("(questions outside the checked language, from an LLM writer). ")
            .Append(CultureInfo.InvariantCulture, $"Of the {kept} procedural pairs written, {verified} state exactly ")
            .Append("what their scene shows")
            .Append(unverified > 0 ? "; the rest could not be checked" : "")
            .Append(". Samples the verifier left with no pair are dropped whole ")
            .Append(CultureInfo.InvariantCulture, $"(kind `{VerifyStage.DropKind}` in `failures.jsonl`, ")
            .Append(CultureInfo.InvariantCulture, $"among the {summary.Dropped} dropped) ")
            .Append("and are not in these figures.\n\n");
    }
}
