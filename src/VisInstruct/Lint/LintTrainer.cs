namespace VisInstruct.Lint;

/// <summary>The trainer a file is checked for (<c>lint --trainer</c>).</summary>
public enum LintTrainer
{
    /// <summary>LLaVA-1.5's <c>train.py</c>: <c>image</c> is one path (it opens it as one file), or absent.</summary>
    Llava15,

    /// <summary>
    /// LLaVA-NeXT-Interleave / LLaVA-OneVision: <c>image</c> may also be a list of paths, with one <c>&lt;image&gt;</c>
    /// token per image in the turns, in order.
    /// </summary>
    OneVision,
}
