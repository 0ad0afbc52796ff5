namespace VisInstruct.Evaluation.Scoring;

/// <summary>
/// VQA accuracy against ten human answers: for each of the ten leave-one-out subsets of nine, min(agreeing humans / 3,
/// 1), averaged.
/// </summary>
public static class VqaAccuracy
{
    /// <summary>
    /// The official evaluation's score: whitespace cleaned on all answers; when the humans disagree, all answers go through
    /// <see cref="VqaNormalizer.Official"/>; matching ignores case.
    /// </summary>
    public static double Official(string prediction, IReadOnlyList<string> humans)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(humans);
        var gts = humans.Select(VqaNormalizer.Clean).ToList();
        string res = VqaNormalizer.Clean(prediction);
        if (gts.Distinct(StringComparer.Ordinal).Count() > 1)
        {
            gts = gts.Select(VqaNormalizer.Official).ToList();
            res = VqaNormalizer.Official(res);
        }

        return LeaveOneOut(gts, res, ignoreCase: true);
    }

    /// <summary>LLaVA's TextVQA score (EvalAI processing on every answer, exact match).</summary>
    public static double EvalAi(string prediction, IReadOnlyList<string> humans)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(humans);
        return LeaveOneOut(humans.Select(VqaNormalizer.EvalAi).ToList(), VqaNormalizer.EvalAi(prediction), ignoreCase: false);
    }

    private static double LeaveOneOut(List<string> humans, string prediction, bool ignoreCase)
    {
        if (humans.Count == 0)
        {
            return 0;
        }

        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        int agreeing = humans.Count(h => string.Equals(h, prediction, comparison));
        double sum = 0;
        foreach (string human in humans)
        {
            int others = agreeing - (string.Equals(human, prediction, comparison) ? 1 : 0);
            sum += Math.Min(1, others / 3.0);
        }

        return sum / humans.Count;
    }
}
