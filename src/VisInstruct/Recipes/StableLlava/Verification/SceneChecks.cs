using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>
/// The oracle and answer check of the one-image intents that compare objects or read the whole scene: size
/// comparison (box area), superlatives, most common, missing, occlusion, odd one out, style and background.
/// </summary>
internal static class SceneChecks
{
    public static Verdict SizeCompare(Question q, AnswerText a, SceneSpec scene, int first, int second)
    {
        long areaA = scene.Objects[first].Box.Area, areaB = scene.Objects[second].Box.Area;
        if (areaA == areaB)
        {
            return a.Has(" same ", " equal", " neither ", " as large as ", " as big as ") ? Verdict.Verified
                : Verdict.Wrong("wrong-object", "the two objects are the same size; the answer picks one");
        }

        bool larger = q.Cue != "smaller";
        if (q.Words.Count > 0 && q.Words[0].Text is "is" or "are" or "does")
        {
            // "Is the red circle bigger than the green star?"
            return ObjectChecks.YesNo(a, larger ? areaA > areaB : areaA < areaB) ?? Verdict.Verified;
        }

        // "the larger of the two": two objects are compared.
        if (a.Numbers().Any(n => n != 2))
        {
            return Verdict.Wrong("wrong-count", "the answer compares other than two objects");
        }

        int expected = (areaA > areaB) == larger ? first : second, other = expected == first ? second : first;
        return Names(a, scene, expected, other);
    }

    public static Verdict Superlative(Question q, AnswerText a, SceneSpec scene)
    {
        var pool = SceneGeometry.Match(scene, (q.Subject ?? new NounPhrase()) with { Extreme = null, Ordinal = null, Direction = null });
        Func<SceneObject, double>? key = q.Cue switch
        {
            "largest" => o => -o.Box.Area,
            "smallest" => o => o.Box.Area,
            "leftmost" => o => o.Box.CenterX,
            "rightmost" => o => -o.Box.CenterX,
            "topmost" => o => o.Box.CenterY,
            "bottom-most" => o => -o.Box.CenterY,
            _ => null,
        };
        if (key is null || pool.Count == 0)
        {
            return key is null ? Verdict.Unverifiable("no superlative read") : Verdict.IllPosed("no object fits the question");
        }

        var ordered = pool.OrderBy(i => key(scene.Objects[i])).ToList();
        if (ordered.Count > 1 && key(scene.Objects[ordered[0]]) == key(scene.Objects[ordered[1]]))
        {
            return Verdict.IllPosed($"two objects tie for {q.Cue}");
        }

        return Names(a, scene, ordered[0], ordered.Count > 1 ? ordered[1] : -1);
    }

    public static Verdict MostCommon(Question q, AnswerText a, SceneSpec scene)
    {
        var pool = SceneGeometry.Match(scene, q.Subject is { Specific: true } s ? s : new NounPhrase())
            .Select(i => scene.Objects[i]).ToList();
        bool colour = q.Cue == "color";
        var tally = pool.GroupBy(o => colour ? o.Color.Name : o.ShapeName).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (tally.Count == 0)
        {
            return Verdict.IllPosed("no object fits the question");
        }

        int top = tally.Values.Max();
        var best = tally.Where(kv => kv.Value == top).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var stated = a.Words.Where((w, i) => w.Kind == (colour ? WordKind.Color : WordKind.Shape) && !a.Negated(i))
            .Select(w => w.Text).ToList();
        if (best.Except(stated).FirstOrDefault() is { } missing)
        {
            return Verdict.Wrong("wrong-object", $"the answer does not name {missing}, the most common ({top})");
        }

        // "with four", "there are five of them": the number stated is the most common one's count.
        if (a.Numbers() is [int said, ..] && said != top)
        {
            return Verdict.Wrong("wrong-count", $"the answer says {said}; the most common appears {top} times");
        }

        return stated.Count > 0 && best.Contains(stated[0]) ? Verdict.Verified
            : Verdict.Wrong("wrong-object",
                $"the answer names {stated.FirstOrDefault()} first; the most common is {string.Join(" and ", best)}");
    }

    public static Verdict Missing(Question q, AnswerText a, SceneSpec scene)
    {
        var listed = q.Phrases.Where(p => p.Specific).ToList();
        var absent = listed.Where(p => SceneGeometry.Match(scene, p).Count == 0).ToList();
        var named = a.Phrases.Where(p => p.Specific && !a.Negated(p.Start)).ToList();
        if (absent.Count == 0)
        {
            return a.Has(" nothing ", " none ", " no ") || a.Yes == false ? Verdict.Verified
                : Verdict.Wrong("wrong-object", "everything described is in the picture; the answer names something missing");
        }

        if (a.Yes == true)
        {
            return Verdict.Wrong("wrong-object", "something described is missing; the answer says yes");
        }

        // An object the answer names that is neither in the picture nor in the description is made up.
        if (named.FirstOrDefault(n => !a.Likeness(n.Start) && SceneGeometry.Match(scene, n).Count == 0
            && !listed.Any(p => (n.Shape is null || p.Shape == n.Shape) && (n.Color is null || p.Color == n.Color)))
            is { } invented)
        {
            return Verdict.Wrong("wrong-object", $"the answer names {invented.Describe()}, which is neither described nor there");
        }

        foreach (var p in absent)
        {
            if (!named.Any(n => n.Shape == p.Shape && n.Color == p.Color))
            {
                return Verdict.Wrong("wrong-object", $"the answer does not name {p.Describe()}, which is missing");
            }
        }

        // Only the clause that names the missing object says what is missing ("no black ring can be seen. The image
        // contains a black circle ..." lists what is there after it).
        var told = named.First(n => absent.Any(p => n.Shape == p.Shape && n.Color == p.Color));
        bool Stop(Word w) => w.Kind == WordKind.Other && w.Text is "." or ";" or ":" or "only" or "everything";
        int from = a.Words.FindLastIndex(told.Start, told.Start + 1, Stop), to = a.Words.FindIndex(told.End, Stop);
        var present = named.FirstOrDefault(n => n.Start > from && (to < 0 || n.End <= to) && SceneGeometry.Match(scene, n).Count > 0
            && !absent.Any(p => p.Shape == n.Shape && p.Color == n.Color));
        return present is null || a.Has(" but ", " while ", " present", " there is ", " there are ") ? Verdict.Verified
            : Verdict.Wrong("wrong-object", $"the answer calls {present.Describe()} missing; it is in the picture");
    }

    public static Verdict Occlusion(Question q, AnswerText a, SceneSpec scene)
    {
        var relation = q.Words.FirstOrDefault(w => w.Kind == WordKind.Relation && w.Value >= (int)Relation.InFrontOf);
        var named = q.Phrases.FirstOrDefault(p => p.Specific);
        var subject = named is null ? null : SceneGeometry.Match(scene, named);
        if (subject is { Count: not 1 } && named!.Definite)
        {
            return Verdict.IllPosed($"{named.Describe()} fits {subject.Count} objects");
        }

        bool wantFronts = relation is { Value: (int)Relation.InFrontOf } || (relation is null && q.Words.Any(w => w.Is("hiding")
            || w.Is("covering") || w.Is("hides") || w.Is("covers")));
        var expected = scene.Occlusions
            .Where(o => subject is null || (wantFronts ? o.Back == subject[0] : o.Front == subject[0]))
            .Select(o => wantFronts ? o.Front : o.Back).Distinct().ToList();
        var stated = a.Phrases.Where(p => p.Specific && !a.Negated(p.Start)).ToList();
        if (expected.Count == 0)
        {
            return a.Has(" nothing ", " none ", " no ", " not ") ? Verdict.Verified
                : Verdict.Wrong("wrong-object", "no object is hidden that way; the answer names one");
        }

        // "The semicircle covers part of the cloud" answers what is covered with the object after "covers".
        int turn = a.Words.FindIndex(w => w.Kind == WordKind.Relation && w.Value >= (int)Relation.InFrontOf);
        turn = turn >= 0 && (a.Words[turn].Value == (int)Relation.InFrontOf) != wantFronts ? turn : -1;
        var lead = stated.FirstOrDefault(p => (turn < 0 || p.Start > turn)
            && (subject is null || !SceneGeometry.Match(scene, p).SequenceEqual(subject)));
        return lead is not null && SceneGeometry.Match(scene, lead).Any(expected.Contains) ? Verdict.Verified
            : Verdict.Wrong("wrong-object", $"the answer names {lead?.Describe() ?? "nothing"}; the scene has "
                + string.Join(", ", expected.Select(i => scene.Objects[i].Color.Name + " " + scene.Objects[i].ShapeName)));
    }

    public static Verdict OddOneOut(AnswerText a, SceneSpec scene)
    {
        var odd = new List<(int Index, string Value)>();
        foreach (Func<SceneObject, string> attribute in new Func<SceneObject, string>[]
            { o => o.ShapeName, o => o.Color.Name, o => o.Size.ToString(), o => o.Texture.ToString(), o => o.Material.ToString() })
        {
            var groups = scene.Objects.Select((o, i) => (i, v: attribute(o))).GroupBy(x => x.v).ToList();
            if (groups.Count == 2 && groups.Any(g => g.Count() == 1) && scene.Objects.Count > 2)
            {
                var single = groups.First(g => g.Count() == 1).Single();
                odd.Add((single.i, single.v));
            }
        }

        if (odd.Select(o => o.Index).Distinct().Count() != 1)
        {
            return Verdict.IllPosed(odd.Count == 0 ? "no object differs from all the others" : "several objects differ from the rest");
        }

        // "the odd one out": one object, not two.
        if (a.Words.Select((w, i) => (w, i)).Any(x => x.w.Is("odd") && x.i + 2 < a.Words.Count && a.Words[x.i + 1].Kind == WordKind.Number
            && a.Words[x.i + 1].Value != 1))
        {
            return Verdict.Wrong("wrong-count", "the answer speaks of more than one odd object");
        }

        int expected = odd[0].Index;
        var item = scene.Objects[expected];
        bool named = a.Phrases.Any(p => !p.Plural && p.Specific && SceneGeometry.Match(scene, p).Contains(expected)
            && ((p.Shape == item.Shape && odd.Any(o => o.Value == item.ShapeName))
                || (p.Color is not null && odd.Any(o => o.Value == item.Color.Name))
                || odd.Any(o => o.Value != item.ShapeName && o.Value != item.Color.Name)));
        return named ? Verdict.Verified
            : Verdict.Wrong("wrong-object", $"the odd one out is the {item.Color.Name} {item.ShapeName}; the answer does not name it");
    }

    public static Verdict Style(AnswerText a, SceneSpec scene) =>
        DescriptionCheck.StatedStyles(a).Contains(scene.Style) ? Verdict.Verified
            : Verdict.Wrong("wrong-style", $"the answer does not say {scene.Style.ToString().ToLowerInvariant()} style");

    public static Verdict Background(AnswerText a, SceneSpec scene)
    {
        var (kinds, colors) = DescriptionCheck.BackgroundClause(a);
        if (kinds.Count == 0 && !a.Has(" " + scene.Background.Kind.ToString().ToLowerInvariant()))
        {
            return Verdict.Wrong("wrong-background", "the answer does not say what kind of background it is");
        }

        bool both = scene.Background.Kind != BackgroundKind.Plain;
        var needed = both ? new[] { scene.Background.Primary.Name, scene.Background.Secondary.Name } : [scene.Background.Primary.Name];
        return needed.All(n => colors.Contains(n) || a.Has(" " + n + " ")) ? Verdict.Verified
            : Verdict.Wrong("wrong-background", $"the answer does not name the background's colours ({string.Join(" and ", needed)})");
    }

    /// <summary>The answer's first phrase that tells the two apart must name <paramref name="expected"/>.</summary>
    private static Verdict Names(AnswerText a, SceneSpec scene, int expected, int other)
    {
        foreach (var p in a.Phrases.Where(p => p.Specific && !a.Negated(p.Start)))
        {
            var m = SceneGeometry.Match(scene, p);
            if (m.Contains(expected) && !m.Contains(other))
            {
                return Verdict.Verified;
            }

            if (other >= 0 && m.Contains(other) && !m.Contains(expected))
            {
                return Verdict.Wrong("wrong-object", $"the answer names {p.Describe()}; it is the {scene.Objects[expected].Color.Name} "
                    + scene.Objects[expected].ShapeName);
            }
        }

        var target = scene.Objects[expected];
        return Verdict.Wrong("wrong-object", $"the answer does not name the {target.Color.Name} {target.ShapeName}");
    }
}
