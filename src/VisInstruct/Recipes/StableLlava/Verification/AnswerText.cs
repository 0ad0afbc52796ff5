namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>
/// A read answer: its words, its noun phrases, and what it states outright (the yes/no of its first word, its
/// numbers, the colours not bound to a noun, its places and relations).
/// </summary>
internal sealed class AnswerText
{
    public AnswerText(string text)
    {
        Text = text;
        Words = Verification.Words.Read(text);
        Plain = Verification.Words.Plain(text);
        Phrases = NounPhrases.Find(Words);
    }

    public string Text { get; }

    public List<Word> Words { get; }

    public string Plain { get; }

    public List<NounPhrase> Phrases { get; }

    /// <summary>True for an answer that begins with yes, false for no, null for neither.</summary>
    public bool? Yes => Words.FirstOrDefault(w => w.Kind != WordKind.Other || char.IsLetter(w.Text[0])) is { } first
        ? first.Is("yes") ? true : first.Is("no") ? false : null
        : null;

    /// <summary>The numbers stated, in order (a <c>no</c> before a noun is 0).</summary>
    public List<int> Numbers()
    {
        var numbers = new List<int>();
        for (int i = 0; i < Words.Count; i++)
        {
            // "the first one", "the first two together" name images, not a count.
            if (Words[i].Kind == WordKind.Number && !(i > 0 && Words[i - 1].Kind == WordKind.Ordinal
                && (Words[i].Text == "one" || (i + 1 < Words.Count && Words[i + 1].Is("together")))))
            {
                numbers.Add(Words[i].Value);
            }
            else if (Words[i].Is("no") && i + 1 < Words.Count && (Words[i + 1].IsNoun || Words[i + 1].IsAttribute))
            {
                numbers.Add(0);
            }
        }

        return numbers;
    }

    /// <summary>Colour names not inside a noun phrase and not negated (<c>it is red</c>; not <c>not orange</c>).</summary>
    public List<int> LooseColors() =>
        [.. Indexed(WordKind.Color).Where(i => !InPhrase(i) && !Negated(i) && !Likeness(i)).Select(i => Words[i].Value)];

    /// <summary>True when the word at <paramref name="index"/> is in a likeness (<c>maroon, like red wine</c>).</summary>
    public bool Likeness(int index) =>
        Enumerable.Range(Math.Max(0, index - 3), Math.Min(3, index)).Any(k => Words[k].Text is "like" or "resembling" or "unlike");

    /// <summary>True when the phrase at <paramref name="index"/> is the other object of a relation (<c>partly hidden by the
    /// blue semicircle</c>), not the one the answer speaks of.</summary>
    public bool Related(int index) =>
        Enumerable.Range(Math.Max(0, index - 2), Math.Min(2, index)).Any(k => Words[k].Kind == WordKind.Relation);

    /// <summary>Every colour the answer states for objects, bound or not, negated ones left out.</summary>
    public HashSet<int> StatedColors(Rendering.ShapeKind? shape) =>
    [
        .. LooseColors(),
        .. Phrases.Where(p => p.Color is not null && (shape is null || p.Shape is null || p.Shape == shape) && !Negated(p.Start)
            && !Likeness(p.Start) && !Related(p.Start))
            .Select(p => p.Color!.Value),
    ];

    public List<Word> Of(WordKind kind) => [.. Words.Where(w => w.Kind == kind)];

    public bool Has(params string[] cues) => cues.Any(c => Plain.Contains(c, StringComparison.Ordinal));

    /// <summary>
    /// True when the word at <paramref name="index"/> follows <c>not</c>, <c>than</c> or <c>instead of</c>, also across a
    /// verb of seeing (<c>I do not see any stars</c>).
    /// </summary>
    public bool Negated(int index)
    {
        for (int k = index - 1; k >= Math.Max(0, index - 4); k--)
        {
            if (Words[k].Is("not") || Words[k].Is("than") || Words[k].Is("instead") || Words[k].Is("n't") || Words[k].Is("rather"))
            {
                return true;
            }

            if (Words[k].Kind == WordKind.Other && Words[k].Text is not ("a" or "an" or "the" or "any" or "see" or "find" or "spot"
                or "notice" or "contain" or "show" or "have" or "has"))
            {
                return false;
            }
        }

        return false;
    }

    private IEnumerable<int> Indexed(WordKind kind) => Enumerable.Range(0, Words.Count).Where(i => Words[i].Kind == kind);

    private bool InPhrase(int index) => Phrases.Any(p => p.Start <= index && index < p.End);
}
