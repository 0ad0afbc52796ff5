namespace VisInstruct.Lint;

/// <summary>Options of <c>visinstruct lint</c>.</summary>
public sealed class LintOptions
{
    /// <summary>When set, every image must exist under this folder and have a readable header.</summary>
    public string? ImageFolder { get; init; }

    /// <summary>Pretraining (<c>preprocess_plain</c>): exactly two turns, <c>&lt;image&gt;</c> in the first.</summary>
    public bool Plain { get; init; }

    /// <summary>The trainer the file is for: LLaVA-1.5 (the default) refuses a list-valued <c>image</c>.</summary>
    public LintTrainer Trainer { get; init; } = LintTrainer.Llava15;

    /// <summary>How many findings of each check to keep (all are counted); 0 keeps all.</summary>
    public int MaxFindingsPerCheck { get; init; } = 100;
}
