using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>
/// A referring expression or a named object: <c>the [ordinal] [size] [texture] [material] [colour] shape [place]</c>,
/// with its determiner or stated number (<c>a</c>, <c>the</c>, <c>three</c>, <c>no</c> as 0). A phrase with a number
/// and a colour but no noun (<c>four black and one maroon</c>) is headless and takes the noun said before it.
/// </summary>
internal sealed record NounPhrase
{
    private static readonly string[] OrdinalWords = ["first", "second", "third", "fourth", "fifth", "sixth"];

    public int Start { get; init; }

    public int End { get; init; }

    public string Determiner { get; init; } = "";

    public int? Number { get; init; }

    public int? Color { get; init; }

    public int? Size { get; init; }

    public int? Texture { get; init; }

    public int? Material { get; init; }

    /// <summary>The shape named; null for <c>shape</c>, <c>object</c> and the other words for any object.</summary>
    public ShapeKind? Shape { get; init; }

    public bool Plural { get; init; }

    public bool Headless { get; init; }

    /// <summary>The place phrase after the noun: an index into <see cref="Words.PlaceNames"/>.</summary>
    public int? Place { get; init; }

    public int? Ordinal { get; init; }

    /// <summary>0 leftmost, 1 rightmost, 2 topmost, 3 bottom-most (also the direction of an ordinal).</summary>
    public int? Extreme { get; init; }

    public int? Direction { get; init; }

    /// <summary>True when the phrase says exactly one object (singular, not introduced by <c>any</c> or <c>a</c>).</summary>
    public bool Definite => !Plural && Determiner is "the" or "this" or "that" or "";

    /// <summary>True when it names something beyond "an object" (a shape, a colour or another attribute).</summary>
    public bool Specific => Shape is not null || Color is not null || Size is not null || Texture is not null || Material is not null;

    public NamedColor? ColorValue => Color is int c ? NamedColor.Palette[c] : null;

    /// <summary>The phrase in words, for reasons (<c>the red circle</c>).</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Ordinal is int o)
        {
            parts.Add(OrdinalWords[o - 1]);
        }

        if (Size is int s)
        {
            parts.Add(((SizeClass)s).ToString().ToLowerInvariant());
        }

        if (Texture is int t)
        {
            parts.Add(((Texture)t).ToString().ToLowerInvariant());
        }

        if (Material is int m)
        {
            parts.Add(((Material)m).ToString().ToLowerInvariant());
        }

        if (ColorValue is { } color)
        {
            parts.Add(color.Name);
        }

        parts.Add(Shape is { } shape ? Words.ShapeWord(shape, Plural) : Plural ? "shapes" : "shape");
        if (Place is int p)
        {
            parts.Add("(" + Words.PlaceNames[p] + ")");
        }

        return (Number is int n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "the") + " " + string.Join(' ', parts);
    }
}

/// <summary>Finds the noun phrases of a read sentence.</summary>
internal static class NounPhrases
{
    private static readonly HashSet<string> Determiners =
        new(["a", "an", "the", "all", "both", "each", "every", "any", "no", "some", "this", "that", "these", "those", "only"],
            StringComparer.Ordinal);

    private static readonly HashSet<string> PlacePrepositions = new(["in", "at", "on", "near"], StringComparer.Ordinal);

    public static List<NounPhrase> Find(IReadOnlyList<Word> words)
    {
        var found = new List<NounPhrase>();
        ShapeKind? lastShape = null;
        for (int i = 0; i < words.Count;)
        {
            if (Read(words, i, lastShape) is { } phrase)
            {
                found.Add(phrase);
                if (!phrase.Headless && phrase.Shape is { } shape)
                {
                    lastShape = shape;
                }

                i = phrase.End;
            }
            else
            {
                i++;
            }
        }

        return found;
    }

    private static NounPhrase? Read(IReadOnlyList<Word> words, int start, ShapeKind? lastShape)
    {
        int i = start;
        string determiner = "";
        int? number = null;
        for (int k = 0; k < 2 && i < words.Count; k++)
        {
            var w = words[i];
            if (w.Kind == WordKind.Other && Determiners.Contains(w.Text))
            {
                determiner = determiner.Length == 0 ? w.Text : determiner;
                number = w.Text == "no" ? 0 : number;
                i++;
            }
            else if (w.Kind == WordKind.Number)
            {
                number = w.Value;
                i++;
            }
        }

        var phrase = new NounPhrase { Start = start, Determiner = determiner, Number = number };
        for (; i < words.Count; i++)
        {
            var w = words[i];
            if (w.Is("other") || w.Is("same"))
            {
                continue;
            }

            if (!w.IsAttribute)
            {
                break;
            }

            phrase = w.Kind switch
            {
                WordKind.Color => phrase with { Color = w.Value },
                WordKind.Size => phrase with { Size = w.Value },
                WordKind.Texture => phrase with { Texture = w.Value },
                WordKind.Material => phrase with { Material = w.Value },
                WordKind.Ordinal => phrase with { Ordinal = w.Value },
                _ => phrase with { Extreme = w.Value },
            };
        }

        if (i < words.Count && words[i].IsNoun)
        {
            var noun = words[i];
            phrase = phrase with
            {
                Shape = noun.Kind == WordKind.Shape ? (ShapeKind)noun.Value : null,
                Plural = noun.Plural,
                End = i + 1,
            };
            return Suffix(words, phrase);
        }

        if (number is int n && phrase.Color is not null && lastShape is { } inherited)
        {
            return phrase with { Shape = inherited, Plural = n != 1, Headless = true, End = i };
        }

        return null;
    }

    /// <summary>The place phrase (<c>in the top left</c>) or ordinal direction (<c>from the left</c>) after the noun.</summary>
    private static NounPhrase Suffix(IReadOnlyList<Word> words, NounPhrase phrase)
    {
        int i = phrase.End;
        if (i < words.Count && words[i].Kind == WordKind.Direction)
        {
            return phrase with { Direction = words[i].Value, End = i + 1 };
        }

        if (i + 2 < words.Count && words[i].Kind == WordKind.Other && PlacePrepositions.Contains(words[i].Text)
            && words[i + 1].Is("the") && words[i + 2].Kind == WordKind.Place)
        {
            int end = i + 3;
            if (end < words.Count && (words[end].Is("corner") || words[end].Is("side") || words[end].Is("part")))
            {
                end++;
            }

            return phrase with { Place = words[i + 2].Value, End = end };
        }

        return phrase;
    }
}
