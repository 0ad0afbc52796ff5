namespace VisInstruct.Evaluation;

/// <summary>
/// One line of a LLaVA answer file (<c>model_vqa</c>'s JSONL): the question it answers, the prompt as sent (without
/// <c>&lt;image&gt;</c> unless the benchmark keeps it, as ScienceQA does), the model's text and the model's name.
/// </summary>
/// <param name="QuestionId">The id as written: a number's digits or a string's value.</param>
/// <param name="IdIsNumber">True when the id was a JSON number (SEED and ScienceQA join on either).</param>
/// <param name="Prompt">The prompt as the answer file records it (empty when absent).</param>
/// <param name="Text">The model's answer.</param>
/// <param name="ModelId">The model's name, when recorded.</param>
/// <param name="Line">The 1-based line of the answer file, for messages.</param>
public sealed record ModelAnswer(string QuestionId, bool IdIsNumber, string Prompt, string Text, string? ModelId, long Line)
{
    /// <summary>The answer's own id (<c>answer_id</c>), when recorded.</summary>
    public string? AnswerId { get; init; }

    /// <summary>MMBench's round (LLaVA's <c>--all-rounds</c>: the options rotated once per round), when recorded.</summary>
    public int? RoundId { get; init; }

    /// <summary>MMBench: the original letter of the option shown at each place in this round, when recorded.</summary>
    public IReadOnlyList<string>? OptionChars { get; init; }
}
