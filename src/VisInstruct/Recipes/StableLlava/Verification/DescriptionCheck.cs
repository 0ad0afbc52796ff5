using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>
/// The rule every answer keeps, and all a caption is checked by: each object it names (<c>a red circle</c>,
/// <c>three stars</c>, <c>a teal leaf in the top left</c>) is in the scene with that colour, shape, count and place;
/// a list after <c>N shapes:</c> is the scene's objects; the drawing style and background it states are the scene's.
/// With several images, a named thing may be in any of them.
/// </summary>
internal static class DescriptionCheck
{
    private static readonly Dictionary<string, DrawingStyle> StyleWords = new(StringComparer.Ordinal)
    {
        ["flat"] = DrawingStyle.Flat,
        ["outlined"] = DrawingStyle.Outlined,
        ["cartoon"] = DrawingStyle.Outlined,
        ["shaded"] = DrawingStyle.Shaded,
        ["sketch"] = DrawingStyle.Sketch,
        ["sketched"] = DrawingStyle.Sketch,
    };

    private static readonly Dictionary<string, BackgroundKind> BackgroundWords = new(StringComparer.Ordinal)
    {
        ["plain"] = BackgroundKind.Plain,
        ["solid"] = BackgroundKind.Plain,
        ["fading"] = BackgroundKind.Gradient,
        ["gradient"] = BackgroundKind.Gradient,
        ["checkered"] = BackgroundKind.Checker,
        ["checked"] = BackgroundKind.Checker,
        ["checker"] = BackgroundKind.Checker,
        ["striped"] = BackgroundKind.Stripes,
        ["stripes"] = BackgroundKind.Stripes,
        ["dotted"] = BackgroundKind.Dots,
        ["dots"] = BackgroundKind.Dots,
        ["spotted"] = BackgroundKind.Dots,
        ["polka-dot"] = BackgroundKind.Dots,
        ["grid"] = BackgroundKind.Grid,
        ["diagonal"] = BackgroundKind.Diagonal,
        ["diagonally"] = BackgroundKind.Diagonal,
        ["horizon"] = BackgroundKind.Horizon,
        ["waves"] = BackgroundKind.Waves,
        ["wavy"] = BackgroundKind.Waves,
    };

    /// <summary>The first thing the answer states that no scene shows; null when there is none.</summary>
    /// <param name="answer">The read answer.</param>
    /// <param name="scenes">The scenes it may speak of.</param>
    /// <param name="namedMustExist">False where naming absent objects is the answer (what is missing).</param>
    /// <param name="anyCounts">False where the intent checks the count of "N shapes" itself (it may be qualified:
    /// "one shape is partly hidden").</param>
    public static Verdict? Check(AnswerText answer, IReadOnlyList<SceneSpec> scenes, bool namedMustExist = true, bool anyCounts = true)
    {
        if (namedMustExist && Objects(answer, scenes, anyCounts) is { } wrong)
        {
            return wrong;
        }

        return Listing(answer, scenes) ?? Style(answer, scenes) ?? Background(answer, scenes);
    }

    /// <summary>The background words of an answer: its kind word and the background colours named around "background".</summary>
    public static (List<BackgroundKind> Kinds, List<string> Colors) BackgroundClause(AnswerText answer)
    {
        var kinds = new List<BackgroundKind>();
        var colors = new List<string>();
        var words = answer.Words;
        for (int i = 0; i < words.Count; i++)
        {
            if (!words[i].Is("background"))
            {
                continue;
            }

            // The words before "background" back to its article ("a lavender and pale blue diagonally striped background");
            // a noun or a word such as "on" or "over" ends the clause, so an object's colour is never the background's.
            for (int k = i - 1; k >= Math.Max(0, i - 8) && !words[k].IsNoun && !ClauseEnd(words[k])
                && words[k] is not { Kind: WordKind.Other, Text: "with" or "a" or "an" or "the" }; k--)
            {
                Note(words[k], kinds, colors);
            }

            for (int k = i + 1; k < words.Count && !words[k].IsNoun && !ClauseEnd(words[k]) && !words[k].Is("in"); k++)
            {
                Note(words[k], kinds, colors);
            }
        }

        // "diagonal stripes" are the diagonal kind, not the striped one.
        return (kinds.Contains(BackgroundKind.Diagonal) ? [.. kinds.Where(k => k != BackgroundKind.Stripes)] : kinds, colors);
    }

    private static bool ClauseEnd(Word word) => word.Kind == WordKind.Other
        && word.Text is "," or "." or ";" or ":" or "on" or "over" or "against" or "across" or "behind" or "lies";

    /// <summary>
    /// The drawing styles an answer states; <c>flat</c> before a part or a finish (<c>flat edges</c>, <c>a dull, flat
    /// finish</c>) describes a shape, not the style.
    /// </summary>
    public static IEnumerable<DrawingStyle> StatedStyles(AnswerText answer) =>
        answer.Words.Where((w, i) => w.Kind == WordKind.Other && StyleWords.ContainsKey(w.Text)
                && !(i + 1 < answer.Words.Count && answer.Words[i + 1].Text is "edges" or "edge" or "sides" or "side" or "finish" or "base"
                    or "top" or "bottom" or "surface"))
            .Select(w => StyleWords[w.Text]).Distinct();

    private static void Note(Word word, List<BackgroundKind> kinds, List<string> colors)
    {
        if (word.Kind == WordKind.BackgroundColor || word.Kind == WordKind.Color)
        {
            colors.Add(word.Text);
        }
        else if (BackgroundWords.TryGetValue(word.Text, out var kind))
        {
            kinds.Add(kind);
        }
    }

    /// <summary>A shape named in a comparison ("like a square standing on its tip") is a likeness, not an object in view.</summary>
    private static bool Simile(AnswerText answer, NounPhrase phrase) =>
        Enumerable.Range(Math.Max(0, phrase.Start - 2), Math.Min(2, phrase.Start))
            .Any(k => answer.Words[k].Text is "like" or "resembling" or "resembles" or "unlike");

    private static Verdict? Objects(AnswerText answer, IReadOnlyList<SceneSpec> scenes, bool anyCounts)
    {
        foreach (var phrase in answer.Phrases)
        {
            if ((!phrase.Specific && (phrase.Number is null || !anyCounts)) || answer.Negated(phrase.Start) || Simile(answer, phrase))
            {
                continue;
            }

            var counts = scenes.Select(s => SceneGeometry.Match(s, phrase with { Place = null }).Count).ToList();
            if (phrase.Number is int n && phrase.Ordinal is null && phrase.Extreme is null)
            {
                var placed = scenes.Select(s => SceneGeometry.Match(s, phrase).Count).ToList();
                if (!counts.Contains(n) && !placed.Contains(n))
                {
                    return Verdict.Wrong("wrong-count", $"the answer says {phrase.Describe()}; the scene has {string.Join(" / ", counts)}");
                }

                continue;
            }

            if (counts.All(c => c == 0))
            {
                bool shapeThere = phrase.Shape is { } shape && scenes.Any(s => s.Objects.Any(o => o.Shape == shape));
                return Verdict.Wrong(shapeThere && phrase.Color is not null ? "wrong-colour" : "wrong-object",
                    $"the answer names {phrase.Describe()}, which the scene does not have");
            }

            // A plural with no number ("yellow teardrops") says there are two or more.
            if (phrase.Plural && phrase.Shape is not null && phrase.Determiner is not "any" and not "no" && counts.All(c => c < 2)
                && !(phrase.Start > 0 && answer.Words[phrase.Start - 1] is { Kind: WordKind.Other } before
                    && before.Text is "more" or "fewer" or "less" or "many" or "most"))
            {
                return Verdict.Wrong("wrong-count",
                    $"the answer speaks of {phrase.Describe()}; the scene has {string.Join(" / ", counts)}");
            }

            if (phrase.Place is int place && !scenes.Any(s => SceneGeometry.Match(s, phrase with { Place = null })
                .Any(i => SceneGeometry.IsIn(s, s.Objects[i], place, loose: true))))
            {
                return Verdict.Wrong("wrong-place", $"the answer puts {phrase.Describe()} there; no such object is");
            }
        }

        return null;
    }

    /// <summary><c>There are five shapes: a red circle, ...</c>: the list is exactly the scene's objects.</summary>
    private static Verdict? Listing(AnswerText answer, IReadOnlyList<SceneSpec> scenes)
    {
        int colon = answer.Words.FindIndex(w => w.Is(":"));
        if (colon < 0 || scenes.Count != 1)
        {
            return null;
        }

        var head = answer.Phrases.LastOrDefault(p => p.End <= colon);
        var listed = answer.Phrases.Where(p => p.Start > colon).ToList();
        // Only a list of the whole scene ("five shapes: ..."); "one shape is partly hidden: the square" lists a part.
        if (head is not { Shape: null, Color: null, Number: not null } || head.Number != scenes[0].Objects.Count || listed.Count == 0
            || listed.Any(p => p.Shape is null || p.Color is null || p.Plural && p.Number is null))
        {
            return null;
        }

        var said = new Dictionary<(string, ShapeKind), int>();
        foreach (var p in listed)
        {
            var key = (p.ColorValue!.Name, p.Shape!.Value);
            said[key] = said.GetValueOrDefault(key) + (p.Number ?? 1);
        }

        var tally = SceneGeometry.Tally(scenes[0]);
        bool same = said.Count == tally.Count && said.All(kv => tally.GetValueOrDefault(kv.Key) == kv.Value);
        return same ? null : Verdict.Wrong("wrong-object", "the listed objects are not the scene's objects");
    }

    private static Verdict? Style(AnswerText answer, IReadOnlyList<SceneSpec> scenes)
    {
        foreach (var style in StatedStyles(answer))
        {
            if (!scenes.Any(s => s.Style == style))
            {
                return Verdict.Wrong("wrong-style", $"the answer says {style.ToString().ToLowerInvariant()} style; "
                    + $"the scene is drawn {string.Join(" / ", scenes.Select(s => s.Style.ToString().ToLowerInvariant()))}");
            }
        }

        return null;
    }

    private static Verdict? Background(AnswerText answer, IReadOnlyList<SceneSpec> scenes)
    {
        var (kinds, colors) = BackgroundClause(answer);
        foreach (var kind in kinds)
        {
            if (!scenes.Any(s => s.Background.Kind == kind))
            {
                return Verdict.Wrong("wrong-background", $"the answer calls the background {kind.ToString().ToLowerInvariant()}; it is "
                    + string.Join(" / ", scenes.Select(s => s.Background.Kind.ToString().ToLowerInvariant())));
            }
        }

        foreach (string color in colors)
        {
            if (!scenes.Any(s => s.Background.Primary.Name == color || s.Background.Secondary.Name == color))
            {
                return Verdict.Wrong("wrong-background", $"the answer names a {color} background; the scene's is not");
            }
        }

        return null;
    }
}
