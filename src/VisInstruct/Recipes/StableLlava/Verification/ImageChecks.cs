using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>
/// The intents between images: the difference of two scenes (objects paired by their box), what they have in
/// common, which has more of a shape, and one image's count against the others' together.
/// </summary>
internal static class ImageChecks
{
    public static Verdict Difference(AnswerText a, SceneSpec first, SceneSpec second)
    {
        var facts = new List<(string What, int[] Colors, ShapeKind[] Shapes)>();
        var paired = new HashSet<int>();
        foreach (var o in first.Objects)
        {
            int j = second.Objects.ToList().FindIndex(p => p.Box == o.Box);
            if (j < 0)
            {
                facts.Add(("the " + o.Color.Name + " " + o.ShapeName + " only in the first", [ObjectChecks.Index(o.Color)], [o.Shape]));
                continue;
            }

            paired.Add(j);
            var p = second.Objects[j];
            if (p.Color.Name != o.Color.Name)
            {
                facts.Add(($"the {o.ShapeName} is {o.Color.Name}, then {p.Color.Name}",
                    [ObjectChecks.Index(o.Color), ObjectChecks.Index(p.Color)], [o.Shape]));
            }

            if (p.Shape != o.Shape)
            {
                facts.Add(($"the {o.Color.Name} {o.ShapeName} becomes a {p.ShapeName}", [ObjectChecks.Index(o.Color)], [o.Shape, p.Shape]));
            }
        }

        for (int j = 0; j < second.Objects.Count; j++)
        {
            if (!paired.Contains(j))
            {
                var o = second.Objects[j];
                facts.Add(("the " + o.Color.Name + " " + o.ShapeName + " only in the second", [ObjectChecks.Index(o.Color)], [o.Shape]));
            }
        }

        if (facts.Count == 0)
        {
            return a.Has(" same ", " identical", " no difference", " nothing ") ? Verdict.Verified
                : Verdict.Wrong("wrong-object", "the two scenes are the same; the answer names a difference");
        }

        var colors = a.Of(WordKind.Color).Select(w => w.Value).ToHashSet();
        var shapes = a.Of(WordKind.Shape).Select(w => (ShapeKind)w.Value).ToHashSet();
        foreach (var fact in facts)
        {
            if (!fact.Colors.All(colors.Contains) || !fact.Shapes.All(shapes.Contains))
            {
                return Verdict.Wrong("wrong-object", $"the answer does not state the difference ({fact.What})");
            }
        }

        return Order(a, facts) ?? Verdict.Verified;
    }

    public static Verdict Common(AnswerText a, IReadOnlyList<SceneSpec> scenes)
    {
        var shared = scenes.Select(s => SceneGeometry.Tally(s).Keys.ToHashSet()).Aggregate((x, y) => [.. x.Intersect(y)]);
        var named = a.Phrases.Where(p => p.Shape is not null && p.Color is not null && !a.Negated(p.Start)).ToList();
        if (shared.Count == 0)
        {
            return named.Count == 0 ? Verdict.Verified : Verdict.Wrong("wrong-object", "the images share no object; the answer names one");
        }

        if (named.Count == 0)
        {
            return Verdict.Wrong("wrong-object", "the answer names no shared object");
        }

        var notShared = named.FirstOrDefault(p => !shared.Contains((p.ColorValue!.Name, p.Shape!.Value)));
        return notShared is null ? Verdict.Verified
            : Verdict.Wrong("wrong-object", $"the answer says both images have {notShared.Describe()}; not all do");
    }

    public static Verdict MoreImages(Question q, AnswerText a, IReadOnlyList<SceneSpec> scenes)
    {
        var subject = q.Subject ?? new NounPhrase { Plural = true };
        var counts = scenes.Select(s => SceneGeometry.Match(s, subject).Count).ToList();
        bool fewer = q.Words.Any(w => w.Is("fewer") || w.Is("less") || w.Is("fewest"));
        int best = fewer ? counts.Min() : counts.Max();
        var winners = Enumerable.Range(0, counts.Count).Where(i => counts[i] == best).ToList();
        int? named = a.Words.FirstOrDefault(w => w.Kind == WordKind.Ordinal || w.Is("neither") || w.Is("both") || w.Is("same")
            || w.Is("equal")) is { } w0 ? (w0.Kind == WordKind.Ordinal ? w0.Value - 1 : -1) : null;
        bool right = winners.Count > 1 ? named == -1 : named == winners[0];
        if (!right)
        {
            return Verdict.Wrong("wrong-image", $"the counts are {string.Join(" and ", counts)}; the answer picks another image");
        }

        var wrongNumber = a.Numbers().FirstOrDefault(n => !counts.Contains(n), -1);
        return wrongNumber < 0 ? Verdict.Verified
            : Verdict.Wrong("wrong-count", $"the answer says {wrongNumber}; the images have {string.Join(" and ", counts)}");
    }

    public static Verdict CountVersusOthers(Question q, AnswerText a, IReadOnlyList<SceneSpec> scenes)
    {
        int image = q.Image ?? scenes.Count - 1;
        var subject = q.Subject ?? new NounPhrase { Plural = true };
        int n = SceneGeometry.Match(scenes[image], subject).Count;
        int rest = Enumerable.Range(0, scenes.Count).Where(i => i != image).Sum(i => SceneGeometry.Match(scenes[i], subject).Count);
        var numbers = a.Numbers();
        if (numbers.Count < 2 || numbers[0] != n || numbers[1] != rest)
        {
            return Verdict.Wrong("wrong-count",
                $"this image has {n}, the others together {rest}; the answer says {string.Join(", ", numbers)}");
        }

        bool more = a.Has(" more ", " beats ", " exceeds ", " outnumbers "), less = a.Has(" fewer ", " less ", " short of "),
            same = a.Has(" as many ", " same ", " equal", " level ", " matches ");
        // "Is that more than ...?" answered Yes or No: the word decides "more"; a comparison word after No must be right too.
        if (a.Yes is bool yes && q.Words.Any(w => w.Text == "more"))
        {
            bool ok = yes ? n > rest && !less && !same : n <= rest && !more && (!less || n < rest) && (!same || n == rest);
            return ok ? Verdict.Verified : Verdict.Wrong("wrong-count", "the answer compares the counts the wrong way");
        }

        bool right = n > rest ? more && !less : n < rest ? less && !more : same;
        return right ? Verdict.Verified : Verdict.Wrong("wrong-count", "the answer compares the counts the wrong way");
    }

    /// <summary>
    /// A change must be told in the order of the images it names: the first image's colour (or shape) with the first.
    /// </summary>
    private static Verdict? Order(AnswerText a, List<(string What, int[] Colors, ShapeKind[] Shapes)> facts)
    {
        if (!a.Has(" first") || !a.Has(" second"))
        {
            return null;
        }

        foreach (var fact in facts.Where(f => f.Colors.Length == 2 && f.Colors[0] != f.Colors[1]))
        {
            int first = a.Words.FindIndex(w => w.Kind == WordKind.Color && w.Value == fact.Colors[0]);
            int second = a.Words.FindIndex(w => w.Kind == WordKind.Color && w.Value == fact.Colors[1]);
            if ((second < first) != Backwards(a))
            {
                return Verdict.Wrong("wrong-colour", $"the answer swaps the colours of the images ({fact.What})");
            }
        }

        foreach (var fact in facts.Where(f => f.Shapes.Length == 2))
        {
            int first = a.Words.FindIndex(w => w.Kind == WordKind.Shape && w.Value == (int)fact.Shapes[0]);
            int second = a.Words.FindIndex(w => w.Kind == WordKind.Shape && w.Value == (int)fact.Shapes[1]);
            if ((second < first) != Backwards(a))
            {
                return Verdict.Wrong("wrong-object", $"the answer swaps the shapes of the images ({fact.What})");
            }
        }

        return null;
    }

    /// <summary>True when the answer speaks of the second image before the first.</summary>
    private static bool Backwards(AnswerText a)
    {
        int first = a.Plain.IndexOf(" first", StringComparison.Ordinal), second = a.Plain.IndexOf(" second", StringComparison.Ordinal);
        return first >= 0 && second >= 0 && second < first;
    }
}
