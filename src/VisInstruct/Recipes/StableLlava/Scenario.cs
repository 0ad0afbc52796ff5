using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// One question and its answer. A template-written pair also names its question template (<paramref name="Template"/>,
/// a stable id such as <c>colour.name</c>) and its answer in one canonical word or number (<paramref name="Value"/>:
/// <c>red</c>, <c>yes</c>, <c>3</c>, <c>first</c>), for the balance figures of the card; an LLM-written pair has neither.
/// </summary>
public sealed record QaPair(string Question, string Answer, string? Template = null, string? Value = null);

/// <summary>A question a vision model answers from one image to check it shows what the dialogue says.</summary>
public sealed record CheckQuestion(int Image, string Question, string Expected);

/// <summary>One image of a sample: where it is saved, the prompt, and what draws it (a scene, or a prompt spec for a backend).</summary>
public sealed record ImagePlan(string RelativePath, string Prompt, SceneSpec? Scene, PromptSpec? Spec);

/// <summary>
/// What a sample is about, before any dialogue is written: its kind, its images, the facts (in words, for an LLM
/// dialogue writer, and as named slots for the kind's instruction), the dialogue the template writer makes from those
/// facts, and the questions a check stage asks.
/// </summary>
public sealed record Scenario
{
    public required string Kind { get; init; }

    public required IReadOnlyList<ImagePlan> Images { get; init; }

    /// <summary>What the image(s) show, in words.</summary>
    public required string Facts { get; init; }

    /// <summary>Values for the kind instruction's placeholders (<c>{subject}</c>, <c>{color}</c>, ...).</summary>
    public required IReadOnlyDictionary<string, string> Slots { get; init; }

    /// <summary>The dialogue written from the facts alone (exact when the facts are a procedural scene's).</summary>
    public required IReadOnlyList<QaPair> TemplateTurns { get; init; }

    public IReadOnlyList<CheckQuestion> Checks { get; init; } = [];

    /// <summary>The first question when the kind fixes it (the caption instruction).</summary>
    public string? FixedQuestion { get; init; }

    /// <summary>For captions: put <c>&lt;image&gt;</c> after the question instead of before.</summary>
    public bool ImageTokenAfter { get; init; }
}
