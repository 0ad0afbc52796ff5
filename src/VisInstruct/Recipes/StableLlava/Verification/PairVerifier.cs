using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>
/// The independent verifier: reads each question of a dialogue (<see cref="QuestionReader"/>), finds the image and
/// the objects it names, derives the answer from the scene and checks the written answer states it and nothing the
/// scene contradicts. It shares no code with the template writer: its words and geometry are its own, from
/// <c>docs/procedural-language.md</c>.
/// </summary>
internal static class PairVerifier
{
    /// <summary>The verdict on each turn of a dialogue about <paramref name="scenes"/>, in order.</summary>
    /// <param name="scenes">The sample's scenes, one per image.</param>
    /// <param name="turns">The question and answer of each turn.</param>
    /// <param name="turnPerImage">True when turn i brings image i (multi_turn dialogues).</param>
    /// <param name="captionFirst">True when the first question is the fixed caption instruction.</param>
    public static List<Verdict> Verify(IReadOnlyList<SceneSpec> scenes, IReadOnlyList<(string Question, string Answer)> turns,
        bool turnPerImage, bool captionFirst)
    {
        var verdicts = new List<Verdict>();
        NounPhrase? previous = null;
        for (int t = 0; t < turns.Count; t++)
        {
            var q = QuestionReader.Read(turns[t].Question, scenes.Count, t, turnPerImage, captionFirst && t == 0);
            if (q.Subject is null && previous is not null && q.Words.Any(w => w.Is("it") || w.Is("its")))
            {
                q = q with { Phrases = [previous] };
            }

            verdicts.Add(Check(q, new AnswerText(turns[t].Answer), scenes));
            previous = q.Subject is { Definite: true, Specific: true } s ? s : previous;
        }

        return verdicts;
    }

    /// <summary>The verdict on one read question and its answer.</summary>
    public static Verdict Check(Question q, AnswerText a, IReadOnlyList<SceneSpec> scenes)
    {
        if (q.Intent == Intent.Unknown)
        {
            return Verdict.Unverifiable("the question has no intent of the language");
        }

        if (q.Intent is Intent.Difference or Intent.Common or Intent.MoreImages or Intent.CountVersusOthers)
        {
            var all = DescriptionCheck.Check(a, scenes);
            return all ?? q.Intent switch
            {
                Intent.Difference => ImageChecks.Difference(a, scenes[0], scenes[1]),
                Intent.Common => ImageChecks.Common(a, scenes),
                Intent.MoreImages => ImageChecks.MoreImages(q, a, scenes),
                _ => ImageChecks.CountVersusOthers(q, a, scenes),
            };
        }

        if (q.Image is not int image)
        {
            return Verdict.Unverifiable("the question does not say which image it is about");
        }

        var scene = scenes[image];
        return DescriptionCheck.Check(a, [scene], namedMustExist: q.Intent != Intent.Missing,
                anyCounts: q.Intent is not (Intent.Count or Intent.MostCommon))
            ?? OneImage(q, a, scene);
    }

    private static Verdict OneImage(Question q, AnswerText a, SceneSpec scene)
    {
        switch (q.Intent)
        {
            case Intent.Describe:
                return Verdict.Verified;
            case Intent.Count or Intent.DistinctColors:
                return ObjectChecks.Count(q, a, scene);
            case Intent.Existence:
                return q.Subject is null ? Verdict.Unverifiable("no object named") : ObjectChecks.Existence(q, a, scene);
            case Intent.SizeCompare or Intent.Relation or Intent.RelationCheck:
                return Pair(q, a, scene);
            case Intent.Superlative:
                return SceneChecks.Superlative(q, a, scene);
            case Intent.MostCommon:
                return SceneChecks.MostCommon(q, a, scene);
            case Intent.Missing:
                return SceneChecks.Missing(q, a, scene);
            case Intent.Occlusion:
                return SceneChecks.Occlusion(q, a, scene);
            case Intent.OddOneOut:
                return SceneChecks.OddOneOut(a, scene);
            case Intent.Style:
                return SceneChecks.Style(a, scene);
            case Intent.Background:
                return SceneChecks.Background(a, scene);
        }

        if (q.Subject is not { } subject)
        {
            return Verdict.Unverifiable("the question names no object");
        }

        var matched = SceneGeometry.Match(scene, subject);
        if (subject.Definite && matched.Count != 1)
        {
            return Verdict.IllPosed($"\"{subject.Describe()}\" fits {matched.Count} objects");
        }

        if (matched.Count == 0)
        {
            return Verdict.IllPosed($"\"{subject.Describe()}\" fits no object");
        }

        if (a.Phrases.FirstOrDefault(p => (p.Shape is not null || subject.Shape is null) && p.Shape == subject.Shape && p.Color is not null
            && !a.Negated(p.Start) && !a.Related(p.Start)) is { } named && !SceneGeometry.Match(scene, named).Intersect(matched).Any())
        {
            return Verdict.Wrong("wrong-colour", $"the answer calls {subject.Describe()} {named.Describe()}");
        }

        var item = scene.Objects[matched[0]];
        return q.Intent switch
        {
            Intent.Color => ObjectChecks.Color(q, a, scene, matched),
            Intent.ColorCheck => ObjectChecks.ColorCheck(q, a, [.. matched.Select(i => scene.Objects[i])]),
            Intent.Attribute => ObjectChecks.Attribute(q, a, item),
            Intent.AttributeCheck => ObjectChecks.AttributeCheck(q, a, item),
            _ => ObjectChecks.Place(q, a, scene, matched),
        };
    }

    private static Verdict Pair(Question q, AnswerText a, SceneSpec scene)
    {
        if (q.Other is null)
        {
            return Verdict.Unverifiable("the question names one object where it compares two");
        }

        var first = SceneGeometry.Match(scene, q.Subject!);
        var second = SceneGeometry.Match(scene, q.Other);
        if (first.Count != 1 || second.Count != 1)
        {
            var bad = first.Count != 1 ? (q.Subject!, first.Count) : (q.Other, second.Count);
            return Verdict.IllPosed($"\"{bad.Item1.Describe()}\" fits {bad.Item2} objects");
        }

        if (first[0] == second[0])
        {
            return Verdict.IllPosed("both phrases name the same object");
        }

        return q.Intent switch
        {
            Intent.SizeCompare => SceneChecks.SizeCompare(q, a, scene, first[0], second[0]),
            Intent.Relation => ObjectChecks.Relation(q, a, scene, first[0], second[0]),
            _ => ObjectChecks.RelationCheck(q, a, scene, first[0], second[0]),
        };
    }
}
