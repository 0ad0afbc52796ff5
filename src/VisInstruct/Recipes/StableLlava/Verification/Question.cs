namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>The question intents of the language (one per question).</summary>
internal enum Intent
{
    Unknown,
    Count,
    Color,
    ColorCheck,
    Attribute,
    AttributeCheck,
    Existence,
    Place,
    Relation,
    RelationCheck,
    SizeCompare,
    Superlative,
    MostCommon,
    DistinctColors,
    Missing,
    Occlusion,
    OddOneOut,
    Style,
    Background,
    Describe,
    Difference,
    Common,
    MoreImages,
    CountVersusOthers,
}

/// <summary>
/// A read question: its intent, its noun phrases (the first is the subject, the second the other object of a
/// relation or comparison), the value a check question states (<c>is the circle red</c>: red), which image it is
/// about, and the cue word some intents need (<c>larger</c>, <c>leftmost</c>, <c>front</c>).
/// </summary>
internal sealed record Question
{
    public required Intent Intent { get; init; }

    public required IReadOnlyList<Word> Words { get; init; }

    public required IReadOnlyList<NounPhrase> Phrases { get; init; }

    public NounPhrase? Subject => Phrases.Count > 0 ? Phrases[0] : null;

    public NounPhrase? Other => Phrases.Count > 1 ? Phrases[1] : null;

    /// <summary>The stated colour, texture, material, size or relation of a check question.</summary>
    public Word? Predicate { get; init; }

    /// <summary>The image the question is about; null when it names all of them (or, for one image, the only one).</summary>
    public int? Image { get; init; }

    public string Cue { get; init; } = "";
}
