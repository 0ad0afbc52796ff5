using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The one set of facts every task of an image reads (the image's fact base): for each object after cleaning and
/// merging, one colour and one value of each kind of attribute that excludes the others (large or small, open or
/// closed). Each is the value named most often over the object's boxes and the texts that name the object with a colour
/// ("grey sneakers" in a region phrase, "a brown teddy bear" in a caption); a tie is broken by the image's seed, so the
/// choice depends on the annotations and the image alone, never on the task. A region phrase or caption that gives an
/// object another colour than the chosen one is not used by any task.
/// </summary>
internal static class SceneFacts
{
    /// <summary>
    /// Attribute kinds whose values exclude each other. A kind is a list of sides, each side a set of words that agree
    /// ("large" and "big"): one side is kept per object.
    /// </summary>
    private static readonly string[][][] ExclusiveKinds =
    [
        [["large", "big", "huge", "giant"], ["small", "tiny", "little"]],
        [["tall"], ["short"]],
        [["open"], ["closed", "shut"]],
        [["on", "lit"], ["off", "unlit"]],
        [["empty"], ["full"]],
        [["wet"], ["dry"]],
        [["clean"], ["dirty"]],
    ];

    /// <summary>The seed of an image's fact base: from its id alone, the same for every task and run.</summary>
    public static ulong SeedOf(long imageId) => DeterministicRandom.DeriveSeed(unchecked((ulong)imageId), "fact-base");

    /// <summary>
    /// The colours a text gives named objects: each name (an item's name, key or plural, longest first) preceded by
    /// colour words ("grey sneakers", "blue and white cup", "white work truck": one other word may stand between) or
    /// followed by "is"/"are" and colours ("the fence is green").
    /// </summary>
    public static List<(string Key, int Start, List<string> Colours)> ColourClaims(IReadOnlyList<string> tokens,
        IReadOnlyList<(string[] Words, string Key)> names)
    {
        var claims = new List<(string, int, List<string>)>();
        for (int j = 0; j < tokens.Count; j++)
        {
            var match = names.Where(n => Matches(tokens, j, n.Words)).OrderByDescending(n => n.Words.Length).FirstOrDefault();
            if (match.Words is null)
            {
                continue;
            }

            var colours = new List<string>();
            int i = j - 1;
            if (i >= 1 && !Scene.ColourWords.Contains(tokens[i]) && Scene.ColourWords.Contains(tokens[i - 1]) && !IsFunctionWord(tokens[i]))
            {
                i--;
            }

            for (; i >= 0 && (Scene.ColourWords.Contains(tokens[i]) || (tokens[i] == "and" && colours.Count > 0)); i--)
            {
                if (tokens[i] != "and")
                {
                    colours.Add(tokens[i]);
                }
            }

            int after = j + match.Words.Length;
            if (after + 1 < tokens.Count && tokens[after] is "is" or "are")
            {
                for (int k = after + 1; k < tokens.Count && (Scene.ColourWords.Contains(tokens[k]) || tokens[k] == "and"); k++)
                {
                    if (tokens[k] != "and")
                    {
                        colours.Add(tokens[k]);
                    }
                }
            }

            if (colours.Count > 0)
            {
                claims.Add((match.Key, j, colours.Distinct(StringComparer.Ordinal).ToList()));
            }

            j += match.Words.Length - 1;
        }

        return claims;
    }

    private static bool Matches(IReadOnlyList<string> tokens, int at, string[] words)
    {
        if (at + words.Length > tokens.Count)
        {
            return false;
        }

        for (int k = 0; k < words.Length; k++)
        {
            if (tokens[at + k] != words[k])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFunctionWord(string word) => word is "and" or "a" or "an" or "the" or "is" or "are" or "of" or "on" or "in"
        or "with" or "has" or "have" or "to" or "by" or "at" or "near" or "next" or "behind" or "under" or "over";

    /// <summary>
    /// The object's facts: one colour (most votes over its boxes' colours and <paramref name="textVotes"/>, ties by
    /// <paramref name="rng"/>), one side of each exclusive kind, and its other attributes in order. The colour is among
    /// the attributes only when a box of the object has it (a colour only texts give is a fact for the texts, not an
    /// attribute to ask about); a person gets no colour.
    /// </summary>
    public static SceneItem Choose(SceneItem item, IReadOnlyList<IReadOnlyList<string>> boxAttributes, IReadOnlyList<string> textVotes,
        DeterministicRandom rng)
    {
        var attributes = boxAttributes.SelectMany(a => a).Distinct(StringComparer.Ordinal).ToList();
        string? colour = null;
        if (!Scene.PeopleKeys.Contains(item.Key))
        {
            var votes = boxAttributes.SelectMany(a => a.Distinct(StringComparer.Ordinal)).Where(Scene.ColourWords.Contains)
                .Concat(textVotes).ToList();
            colour = Most(votes.Select(v => (v, v)).ToList(), rng);
        }

        attributes.RemoveAll(a => Scene.ColourWords.Contains(a) && a != colour);
        foreach (var kind in ExclusiveKinds)
        {
            var votes = boxAttributes.SelectMany(a => a.Distinct(StringComparer.Ordinal))
                .SelectMany(a => kind.Select((side, s) => (a, s)).Where(p => kind[p.s].Contains(p.a)))
                .Select(p => (p.s.ToString(System.Globalization.CultureInfo.InvariantCulture), p.a))
                .ToList();
            if (Most(votes, rng) is { } side)
            {
                var losing = kind.Where((_, s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture) != side)
                    .SelectMany(w => w).ToHashSet(StringComparer.Ordinal);
                attributes.RemoveAll(losing.Contains);
            }
        }

        return item with { Attributes = attributes, Colour = colour };
    }

    /// <summary>
    /// The value with the most votes (by its group); a tie is broken with the generator over the tied values in ordinal order.
    /// </summary>
    private static string? Most(List<(string Group, string Value)> votes, DeterministicRandom rng)
    {
        if (votes.Count == 0)
        {
            return null;
        }

        var counts = votes.GroupBy(v => v.Group, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).ToList();
        int best = counts.Max(c => c.Item2);
        var tied = counts.Where(c => c.Item2 == best).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        return tied.Count == 1 ? tied[0] : rng.Pick(tied);
    }
}
