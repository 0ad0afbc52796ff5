namespace VisInstruct.Evaluation.Answering;

/// <summary>
/// One question to put to the model: its id as the answer file records it, the text to send, the image files (none
/// for a text-only question or a <c>--blind</c> run), and what the answer file's <c>prompt</c> holds (LLaVA's eval
/// scripts record it differently per benchmark: ScienceQA keeps <c>&lt;image&gt;</c>, which its scorer reads).
/// </summary>
public sealed record BenchmarkQuestion
{
    public required string Id { get; init; }

    public bool IdIsNumber { get; init; }

    /// <summary>The text sent to the model (without any <c>&lt;image&gt;</c> token: images go as image parts).</summary>
    public required string Text { get; init; }

    /// <summary>The prompt the answer file records.</summary>
    public required string RecordedPrompt { get; init; }

    /// <summary>Image files, absolute or relative to the image folder.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>MMBench: the round (the options rotated this many places), with the options shown and their original letters.</summary>
    public int? Round { get; init; }

    public IReadOnlyList<string>? Options { get; init; }

    public IReadOnlyList<string>? OptionChars { get; init; }
}
