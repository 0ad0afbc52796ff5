using System.Globalization;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>
/// The oracle and answer check of the one-image intents about named objects: counts, colours, attributes,
/// existence, places and relations. Each derives the answer from the scene and checks the written one states it.
/// </summary>
internal static class ObjectChecks
{
    public static Verdict Count(Question q, AnswerText a, SceneSpec scene)
    {
        var subject = q.Subject ?? new NounPhrase { Plural = true };
        var matched = SceneGeometry.Match(scene, subject);
        if (q.Words.Any(w => w.Is("hidden") || w.Is("covered")
            || w is { Kind: WordKind.Relation, Value: (int)Verification.Relation.Behind }))
        {
            // "How many shapes are partly hidden?": the objects another one covers.
            matched = [.. matched.Where(i => scene.Occlusions.Any(o => o.Back == i))];
        }

        int n = matched.Count;
        if (q.Intent == Intent.DistinctColors)
        {
            n = SceneGeometry.Match(scene, subject with { Color = null }).Select(i => scene.Objects[i].Color.Name).Distinct().Count();
        }

        var numbers = a.Numbers();
        if (numbers.Count == 0)
        {
            bool implied = (n == 0 && a.Yes == false) || (n == 1 && a.Phrases.Any(p => p.Determiner is "a" or "an" && !p.Plural));
            return implied ? Verdict.Verified : Verdict.Wrong("wrong-count", $"the answer states no number; the scene has {n}");
        }

        if (q.Intent == Intent.DistinctColors && a.LooseColors() is { Count: > 0 } listed)
        {
            // "3; the picture mixes yellow, red and lime": the colours listed are the scene's.
            var real = SceneGeometry.Match(scene, subject with { Color = null }).Select(i => Index(scene.Objects[i].Color)).ToHashSet();
            if (!listed.ToHashSet().SetEquals(real) || listed.Count != real.Count)
            {
                return Verdict.Wrong("wrong-colour", "the colours listed are not the scene's colours");
            }
        }

        // "A single one": a number said twice over must say the same.
        bool twice = Enumerable.Range(1, Math.Max(0, a.Words.Count - 1)).Any(i => a.Words[i - 1].Kind == WordKind.Number
            && a.Words[i].Kind == WordKind.Number && a.Words[i - 1].Value != a.Words[i].Value);
        return numbers[0] == n && !twice ? Verdict.Verified
            : Verdict.Wrong("wrong-count", string.Create(CultureInfo.InvariantCulture, $"the answer says {numbers[0]}; the scene has {n}"));
    }

    public static Verdict Color(Question q, AnswerText a, SceneSpec scene, List<int> subject)
    {
        var objects = subject.Select(i => scene.Objects[i]).ToList();
        var present = objects.Select(o => NamedColor.Palette.ToList().FindIndex(c => c.Name == o.Color.Name)).ToHashSet();
        var stated = a.StatedColors(q.Subject!.Shape);
        if (present.Except(stated).FirstOrDefault(-1) is int missing and >= 0)
        {
            return Verdict.Wrong("wrong-colour", $"the answer does not state {NamedColor.Palette[missing].Name}, the colour of "
                + q.Subject.Describe());
        }

        var wrong = a.LooseColors().Where(c => !present.Contains(c)).ToList();
        return wrong.Count == 0 ? Verdict.Verified
            : Verdict.Wrong("wrong-colour", $"the answer says {NamedColor.Palette[wrong[0]].Name}; {q.Subject.Describe()} is "
                + string.Join(" and ", present.Select(c => NamedColor.Palette[c].Name)));
    }

    public static Verdict ColorCheck(Question q, AnswerText a, IReadOnlyList<SceneObject> items)
    {
        string asked = q.Predicate!.Text;
        var item = items[0];
        bool yes = items.All(o => o.Color.Name == asked);
        if (YesNo(a, yes) is { } wrong)
        {
            return wrong;
        }

        if (items.Count > 1)
        {
            return Verdict.Verified;
        }

        if (!yes && !a.StatedColors(item.Shape).Contains(Index(item.Color)))
        {
            return Verdict.Wrong("wrong-colour", $"the answer does not give the real colour, {item.Color.Name}");
        }

        var loose = a.LooseColors().Where(c => c != Index(item.Color)).ToList();
        return loose.Count == 0 ? Verdict.Verified
            : Verdict.Wrong("wrong-colour", $"the answer says {NamedColor.Palette[loose[0]].Name}; the object is {item.Color.Name}");
    }

    public static Verdict Attribute(Question q, AnswerText a, SceneObject item)
    {
        var (kind, value) = q.Cue switch
        {
            "texture" => (WordKind.Texture, (int)item.Texture),
            "material" => (WordKind.Material, (int)item.Material),
            "size" => (WordKind.Size, (int)item.Size),
            _ => (WordKind.Other, -1),
        };
        if (kind == WordKind.Other)
        {
            return Verdict.Unverifiable("no attribute asked");
        }

        var stated = a.Words.Where((w, i) => w.Kind == kind && !a.Negated(i)).Select(w => w.Value).ToList();
        if (!stated.Contains(value))
        {
            return Verdict.Wrong("wrong-attribute", $"the answer does not state the object's {q.Cue}");
        }

        return stated.All(v => v == value) ? Verdict.Verified : Verdict.Wrong("wrong-attribute", $"the answer states another {q.Cue}");
    }

    public static Verdict AttributeCheck(Question q, AnswerText a, SceneObject item)
    {
        var p = q.Predicate!;
        bool yes = p.Kind switch
        {
            WordKind.Texture => (int)item.Texture == p.Value,
            WordKind.Material => (int)item.Material == p.Value,
            _ => (int)item.Size == p.Value,
        };
        return YesNo(a, yes) ?? Verdict.Verified;
    }

    public static Verdict Existence(Question q, AnswerText a, SceneSpec scene)
    {
        bool yes = SceneGeometry.Match(scene, q.Subject!).Count > 0;
        return YesNo(a, yes) ?? Verdict.Verified;
    }

    public static Verdict Place(Question q, AnswerText a, SceneSpec scene, List<int> subject)
    {
        var places = subject.Select(i => SceneGeometry.Place(scene, scene.Objects[i])).ToHashSet();
        if (q.Predicate is { Kind: WordKind.Place } asked)
        {
            bool yes = subject.Any(i => SceneGeometry.IsIn(scene, scene.Objects[i], asked.Value, loose: false));
            return YesNo(a, yes) ?? Verdict.Verified;
        }

        var stated = a.Of(WordKind.Place).Select(w => w.Value).ToHashSet();
        if (places.Except(stated).Any())
        {
            return Verdict.Wrong("wrong-place", $"the answer does not say {Words.PlaceNames[places.Except(stated).First()]}, where "
                + $"{q.Subject!.Describe()} is");
        }

        return stated.Except(places).Any()
            ? Verdict.Wrong("wrong-place", $"the answer says {Words.PlaceNames[stated.Except(places).First()]}; {q.Subject!.Describe()} is "
                + string.Join(", ", places.Select(p => Words.PlaceNames[p])))
            : Verdict.Verified;
    }

    public static Verdict Relation(Question q, AnswerText a, SceneSpec scene, int first, int second)
    {
        var said = a.Of(WordKind.Relation);
        if (said.Count == 0)
        {
            return Verdict.Wrong("wrong-relation", "the answer states no relation");
        }

        // An answer may name the second object first ("the cross is to the right of the arrow"): the relation turns round.
        var lead = a.Phrases.FirstOrDefault(p => p.Specific && p.Start < a.Words.IndexOf(said[0]));
        bool reversed = lead is not null && SceneGeometry.Match(scene, lead) is var m && m.Contains(second) && !m.Contains(first);
        var (a1, b1) = reversed ? (second, first) : (first, second);
        return Holds(scene, a1, b1, (Relation)said[0].Value) ? Verdict.Verified
            : Verdict.Wrong("wrong-relation", $"the answer says {said[0].Text}; the scene has "
                + $"{SceneGeometry.Relate(scene.Objects[a1], scene.Objects[b1])?.ToString() ?? "the same centre"}");
    }

    public static Verdict RelationCheck(Question q, AnswerText a, SceneSpec scene, int first, int second)
    {
        var relation = (Relation)q.Predicate!.Value;
        if (relation < Verification.Relation.InFrontOf && SceneGeometry.AxesTie(scene.Objects[first], scene.Objects[second]))
        {
            return Verdict.IllPosed("the two objects are as far apart across as down: either relation holds");
        }

        return YesNo(a, Holds(scene, first, second, relation)) ?? Verdict.Verified;
    }

    /// <summary>True when the relation holds of A to B (spatial by centres, or partly hiding by the occlusions).</summary>
    public static bool Holds(SceneSpec scene, int a, int b, Relation relation) => relation switch
    {
        Verification.Relation.InFrontOf => SceneGeometry.Hides(scene, a, b),
        Verification.Relation.Behind => SceneGeometry.Hides(scene, b, a),
        _ => SceneGeometry.Relate(scene.Objects[a], scene.Objects[b]) == relation
            || (SceneGeometry.AxesTie(scene.Objects[a], scene.Objects[b]) && Tied(scene.Objects[a], scene.Objects[b], relation)),
    };

    /// <summary>The yes or no the answer must begin with; null when it does.</summary>
    public static Verdict? YesNo(AnswerText a, bool yes) => a.Yes switch
    {
        null => Verdict.Wrong("wrong-yes-no", "the answer does not begin with yes or no"),
        var said when said != yes => Verdict.Wrong("wrong-yes-no", $"the answer says {(said.Value ? "yes" : "no")}; "
            + $"the scene says {(yes ? "yes" : "no")}"),
        _ => null,
    };

    public static int Index(NamedColor color) => NamedColor.Palette.ToList().FindIndex(c => c.Name == color.Name);

    private static bool Tied(SceneObject a, SceneObject b, Relation relation) => relation switch
    {
        Verification.Relation.LeftOf => a.Box.CenterX < b.Box.CenterX,
        Verification.Relation.RightOf => a.Box.CenterX > b.Box.CenterX,
        Verification.Relation.Above => a.Box.CenterY < b.Box.CenterY,
        _ => a.Box.CenterY > b.Box.CenterY,
    };
}
