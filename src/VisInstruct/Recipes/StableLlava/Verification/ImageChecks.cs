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
        var facts = Changes(first, second);
        if (facts.Count == 0)
        {
            return a.Has(" same ", " identical", " no difference", " nothing ") ? Verdict.Verified
                : Verdict.Wrong("wrong-object", "the two scenes are the same; the answer names a difference");
        }

        var colors = a.Of(WordKind.Color).Select(w => w.Value).ToHashSet();
        var shapes = a.Of(WordKind.Shape).Select(w => (ShapeKind)w.Value).ToHashSet();
        SceneSpec[] scenes = [first, second];
        foreach (var fact in facts)
        {
            // The changed object may be named by its shape or by a reference that fits it alone ("the green shape").
            var item = scenes[fact.Scene].Objects[fact.Object];
            bool referred = a.Phrases.Any(p => !a.Negated(p.Start) && SceneGeometry.Match(scenes[fact.Scene], p) is [int only]
                && only == fact.Object);
            if (!fact.Colors.All(c => colors.Contains(c) || (fact.Colors.Length == 1 && referred))
                || !fact.Shapes.All(s => shapes.Contains(s) || (s == item.Shape && referred))
                || !a.Has(fact.Told))
            {
                return Verdict.Wrong("wrong-object", $"the answer does not state the difference ({fact.What})");
            }
        }

        return Order(a, facts) ?? Verdict.Verified;
    }

    public static Verdict Common(AnswerText a, IReadOnlyList<SceneSpec> scenes)
    {
        var shared = scenes.Select(s => SceneGeometry.Tally(s).Keys.ToHashSet()).Aggregate((x, y) => [.. x.Intersect(y)]);
        // What is shared is told first; after the first stop ("Both include a red star. The first image adds ...") the
        // answer may name what each image has besides.
        int stop = a.Words.FindIndex(w => w.Kind == WordKind.Other && w.Text is "." or ":" or ";" or "otherwise" or "while");
        var named = a.Phrases.Where(p => p.Shape is not null && p.Color is not null && !a.Negated(p.Start) && (stop < 0 || p.End <= stop))
            .ToList();
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

        // A number is the count of the image named nearest to it, or the gap before "more" ("one more than the first
        // image's three"); "the first one" names an image.
        var gaps = counts.SelectMany(x => counts.Select(y => Math.Abs(x - y))).ToHashSet();
        var words = a.Words;
        for (int i = 0; i < words.Count; i++)
        {
            if (words[i].Kind != WordKind.Number || (i > 0 && words[i - 1].Kind == WordKind.Ordinal && words[i].Text == "one"))
            {
                continue;
            }

            int n = words[i].Value;
            if (i + 1 < words.Count && words[i + 1].Text is "more" or "fewer" or "less")
            {
                if (!gaps.Contains(n))
                {
                    return Verdict.Wrong("wrong-count", $"the answer says {n} more; the images have {string.Join(" and ", counts)}");
                }

                continue;
            }

            // The image named before it in its clause, else the one named nearest.
            bool Image(int k) => words[k].Kind == WordKind.Ordinal && words[k].Value <= counts.Count;
            int start = words.FindLastIndex(i, i + 1, w => w.Kind == WordKind.Other && w.Text is "," or ";" or ":" or ".");
            int? near = Enumerable.Range(start + 1, i - start - 1).Where(Image).Cast<int?>().LastOrDefault()
                ?? Enumerable.Range(0, words.Count).Where(Image).OrderBy(k => Math.Abs(k - i)).Cast<int?>().FirstOrDefault();
            bool fits = near is int k0 ? counts[words[k0].Value - 1] == n : counts.Contains(n);
            if (!fits)
            {
                return Verdict.Wrong("wrong-count", $"the answer says {n}; the images have {string.Join(" and ", counts)}");
            }
        }

        return Verdict.Verified;
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
    /// The changes between two scenes, objects paired by their box (or, for one that grew or shrank, by its centre,
    /// shape and colour): each with the colours and shapes the answer must name and a word of the changed attribute.
    /// </summary>
    private static List<Change> Changes(SceneSpec first, SceneSpec second)
    {
        var facts = new List<Change>();
        var paired = new HashSet<int>();
        var later = second.Objects.ToList();
        for (int i = 0; i < first.Objects.Count; i++)
        {
            var o = first.Objects[i];
            int j = Enumerable.Range(0, later.Count).FirstOrDefault(k => !paired.Contains(k) && later[k].Box == o.Box, -1);
            if (j < 0)
            {
                j = Enumerable.Range(0, later.Count).FirstOrDefault(k => !paired.Contains(k) && later[k].Shape == o.Shape
                    && later[k].Color.Name == o.Color.Name && SameCentre(later[k].Box, o.Box), -1);
            }

            int c = ObjectChecks.Index(o.Color);
            if (j < 0)
            {
                facts.Add(new("the " + o.Color.Name + " " + o.ShapeName + " only in the first", [c], [o.Shape], 0, i, [" "]));
                continue;
            }

            paired.Add(j);
            var p = later[j];
            if (p.Color.Name != o.Color.Name)
            {
                facts.Add(new($"the {o.ShapeName} is {o.Color.Name}, then {p.Color.Name}", [c, ObjectChecks.Index(p.Color)], [o.Shape],
                    0, i, [" "]));
            }

            if (p.Shape != o.Shape)
            {
                facts.Add(new($"the {o.Color.Name} {o.ShapeName} becomes a {p.ShapeName}", [c], [o.Shape, p.Shape], 0, i, [" "]));
            }

            if (p.Size != o.Size)
            {
                facts.Add(new($"the {o.ShapeName} changes size", [], [o.Shape], 0, i, [" small", " little", " tiny", " medium", " large",
                    " big", " huge", " shrink", " grow", " smaller", " larger", " bigger", " size"]));
            }

            if (p.Texture != o.Texture)
            {
                facts.Add(new($"the {o.ShapeName} changes pattern", [], [o.Shape], 0, i, [" plain", " solid", " striped", " stripes",
                    " dotted", " dots", " spotted", " polka-dot", " checked", " checkered", " checks", " pattern", " texture"]));
            }

            if (p.Material != o.Material)
            {
                facts.Add(new($"the {o.ShapeName} changes finish", [], [o.Shape], 0, i, [" matte", " glossy", " shiny", " metallic",
                    " metal", " glass", " see-through", " transparent", " finish", " material"]));
            }
        }

        for (int j = 0; j < later.Count; j++)
        {
            if (!paired.Contains(j))
            {
                var o = later[j];
                facts.Add(new("the " + o.Color.Name + " " + o.ShapeName + " only in the second", [ObjectChecks.Index(o.Color)], [o.Shape],
                    1, j, [" "]));
            }
        }

        return facts;
    }

    private static bool SameCentre(PixelBox a, PixelBox b) =>
        Math.Abs(a.X1 + a.X2 - b.X1 - b.X2) <= 4 && Math.Abs(a.Y1 + a.Y2 - b.Y1 - b.Y2) <= 4;

    /// <summary>
    /// A change must be told in the order of the images it names: the first image's colour (or shape) with the first.
    /// Only the telling of the change is read, not the rest the answer lists after it (<c>apart from that ...</c>); a
    /// colour after <c>turned</c> or <c>becomes</c> is the second image's; a change whose old side is named by a
    /// reference only (<c>the navy figure</c>) has no order to check.
    /// </summary>
    private static Verdict? Order(AnswerText a, List<Change> facts)
    {
        if (!a.Has(" first") || !a.Has(" second"))
        {
            return null;
        }

        int end = a.Words.FindIndex(w => w.Kind == WordKind.Other && w.Text is "." or "(" or "apart" or "remaining" or "rest"
            or "everything" or "otherwise" or "nothing");
        int scope = end < 0 ? a.Words.Count : end;
        int At(WordKind kind, int value) => a.Words.FindIndex(0, scope, w => w.Kind == kind && w.Value == value);
        foreach (var fact in facts.Where(f => f.Colors.Length == 2 && f.Colors[0] != f.Colors[1]))
        {
            int turned = a.Words.FindIndex(0, scope, w => w.Kind == WordKind.Other && w.Text is "turned" or "turns" or "becomes"
                or "became");
            if (turned >= 0 && turned + 1 < scope && a.Words[turned + 1].Kind == WordKind.Color)
            {
                if (a.Words[turned + 1].Value == fact.Colors[0])
                {
                    return Verdict.Wrong("wrong-colour", $"the answer swaps the colours of the images ({fact.What})");
                }

                continue;
            }

            int first = At(WordKind.Color, fact.Colors[0]), second = At(WordKind.Color, fact.Colors[1]);
            if (first >= 0 && second >= 0 && (second < first) != Backwards(a))
            {
                return Verdict.Wrong("wrong-colour", $"the answer swaps the colours of the images ({fact.What})");
            }
        }

        foreach (var fact in facts.Where(f => f.Shapes.Length == 2))
        {
            int first = At(WordKind.Shape, (int)fact.Shapes[0]), second = At(WordKind.Shape, (int)fact.Shapes[1]);
            if (first >= 0 && second >= 0 && (second < first) != Backwards(a))
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

/// <summary>
/// One change between two images: what it is, the colours and shapes an answer must name, the object it is about
/// (scene 0 or 1 and its index) and the words of which one at least tells the changed attribute.
/// </summary>
internal sealed record Change(string What, int[] Colors, ShapeKind[] Shapes, int Scene, int Object, string[] Told);
