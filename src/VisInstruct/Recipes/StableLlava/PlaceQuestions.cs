using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>Questions about where objects are: in the picture, relative to each other, the extremes, which is in front.</summary>
internal static class PlaceQuestions
{
    /// <summary>The four relations, drawn first so that each is asked about equally often.</summary>
    public static readonly IReadOnlyList<string> Relations = ["to the left of", "to the right of", "above", "below"];

    /// <summary>The canonical word of a relation: <c>left</c>, <c>right</c>, <c>above</c>, <c>below</c>.</summary>
    public static string RelationValue(string relation) => relation switch
    {
        "to the left of" => "left",
        "to the right of" => "right",
        _ => relation,
    };

    /// <summary>The canonical place of an object: <c>top left</c>, <c>centre</c>, <c>left</c>.</summary>
    public static string PlaceValue(SceneObject item, SceneSpec scene)
    {
        string place = SceneWords.Place(item, scene);
        return place[(place.IndexOf(' ', StringComparison.Ordinal) + 1)..].Replace("the ", "", StringComparison.Ordinal);
    }

    /// <summary>Where an object is in the picture, named without a place.</summary>
    public static QaPair? Place(SceneSpec scene, SceneObject item, DeterministicRandom rng)
    {
        if (ReferenceWords.The(item, scene, rng, Cue.Place) is not { } r)
        {
            return null;
        }

        string place = SceneWords.Place(item, scene), pic = Phrasing.Picture(rng), R = PromptSpec.Capitalize(r);
        string question = rng.Pick([$"Where is {r}?", $"Where is {r} in the {pic}?", $"Where in the {pic} is {r}?",
            $"Where is {r} located?", $"Where can {r} be found?", $"Where is {r} placed in this {pic}?"]);
        string answer = rng.Pick([$"{R} is {place}.", $"It is {place}.", $"{R} sits {place} of the {pic}.",
            $"You will find {r} {place}.", $"{R} is located {place}.", $"{R} appears {place} of the {pic}.",
            $"It has been placed {place}.", $"{R}, {Phrasing.Gloss(item.Shape)}, is {place}.",
            $"Look {place}: that is where {r} is."]);
        return new QaPair(question, Phrasing.State(rng, AttributeQuestions.Note(answer, item, scene, rng), closing: true), "place.object",
            PlaceValue(item, scene));
    }

    /// <summary>
    /// Two different objects whose relation is clear and both nameable, preferring <paramref name="wanted"/> (then its
    /// opposite order, then any); null when the scene has none.
    /// </summary>
    public static (SceneObject A, SceneObject B, string Relation, string RefA, string RefB)? Pair(SceneSpec scene, string wanted,
        DeterministicRandom rng)
    {
        var pairs = new List<(SceneObject A, SceneObject B, string Relation)>();
        foreach (var a in scene.Objects)
        {
            foreach (var b in scene.Objects.Where(b => !ReferenceEquals(a, b)))
            {
                if (ProceduralScenes.ClearRelation(a, b, scene) is { } relation)
                {
                    pairs.Add((a, b, relation));
                }
            }
        }

        var exact = pairs.Where(p => p.Relation == wanted).ToList();
        var pool = exact.Count > 0 ? exact : pairs;
        if (pool.Count == 0)
        {
            return null;
        }

        var (x, y, rel) = rng.Pick(pool);
        return ReferenceWords.The(x, scene, rng, Cue.Place) is { } refA && ReferenceWords.The(y, scene, rng, Cue.Place) is { } refB
            ? (x, y, rel, refA, refB) : null;
    }

    /// <summary>Where one object is relative to another.</summary>
    public static QaPair? Relation(SceneSpec scene, string wanted, DeterministicRandom rng)
    {
        if (Pair(scene, wanted, rng) is not { } pair)
        {
            return null;
        }

        var (_, _, rel, a, b) = pair;

        string pic = Phrasing.Picture(rng), A = PromptSpec.Capitalize(a);
        string question = rng.Pick([$"Where is {a} relative to {b}?", $"Where is {a} compared with {b}?",
            $"Where is {a} relative to {b} in the {pic}?", $"In this {pic}, where is {a} compared with {b}?",
            $"Looking at both, where is {a} relative to {b}?"]);
        string answer = rng.Pick([$"{A} is {rel} {b}.", $"It is {rel} {b}.", $"{A} sits {rel} {b}.", $"{A} lies {rel} {b}.",
            $"Seen in the {pic}, {a} is {rel} {b}.", $"{A} is {rng.Pick(["clearly", "well", "noticeably", "plainly"])} {rel} {b}.",
            $"{A} is positioned {rel} {b}.", $"{A} rests {rel} {b}."]);
        return new QaPair(question, Phrasing.State(rng, answer), "relation.name", RelationValue(rel));
    }

    /// <summary>Whether one object is in a relation to another: yes with the true relation, no with another one.</summary>
    public static QaPair? RelationCheck(SceneSpec scene, string wanted, bool yes, DeterministicRandom rng)
    {
        if (Pair(scene, wanted, rng) is not { } pair)
        {
            return null;
        }

        var (_, _, rel, a, b) = pair;

        string asked = yes ? rel : rng.Pick(Relations.Where(r => r != rel).ToList());
        string question = rng.Pick([$"Is {a} {asked} {b}?", $"Tell me, is {a} {asked} {b}?",
            $"In this {Phrasing.Picture(rng)}, is {a} {asked} {b}?", $"Looking closely, is {a} {asked} {b}?"]);
        string answer = yes
            ? rng.Pick([$"Yes, {a} is {rel} {b}.", $"Yes, it is {rel} {b}.", $"Yes; {a} is indeed {rel} {b}.",
                $"Yes, that is how they sit."])
            : rng.Pick([$"No, {a} is {rel} {b}.", $"No; it is actually {rel} {b}.", $"No. {PromptSpec.Capitalize(a)} is {rel} {b} instead.",
                $"No, not {asked}: {a} is {rel} {b}."]);
        return new QaPair(question, answer, "relation.check", yes ? "yes" : "no");
    }

    /// <summary>
    /// Two turns on one pair of clearly different sizes: which is larger, which is smaller. The right option is the
    /// first in one turn and the second in the other (which comes first drawn per sample), so both are equally common.
    /// </summary>
    public static IReadOnlyList<QaPair> Compare(SceneSpec scene, DeterministicRandom rng)
    {
        var pairs = scene.Objects.SelectMany(a => scene.Objects.Where(b => a.Box.Area >= 1.8 * b.Box.Area && a.Size != b.Size)
            .Select(b => (Large: a, Small: b))).ToList();
        if (pairs.Count == 0)
        {
            return [];
        }

        var (large, small) = rng.Pick(pairs);
        if (ReferenceWords.The(large, scene, rng, Cue.Size) is not { } l
            || ReferenceWords.The(small, scene, rng, Cue.Size) is not { } s)
        {
            return [];
        }

        bool firstRight = rng.NextBool();
        var turns = new List<QaPair>();
        foreach (bool larger in rng.NextBool() ? new[] { true, false } : [false, true])
        {
            bool right = larger == firstRight;
            // The wanted object is named first when "right" is first.
            var (w, o) = larger ? (l, s) : (s, l);
            var (x, y) = right ? (w, o) : (o, w);
            string word = larger ? rng.Pick(["larger", "bigger", "larger"]) : "smaller";
            string other = larger ? "smaller" : "larger";
            string question = rng.Pick([$"Which is {word}, {x} or {y}?", $"And which is {word}, {x} or {y}?",
                $"Looking at sizes, which is {word}, {x} or {y}?", $"In this {Phrasing.Picture(rng)}, which is {word}, {x} or {y}?"]);
            string W = PromptSpec.Capitalize(w);
            string answer = rng.Pick([$"{W} is {word}.", $"{W} is the {word} of the two.", $"{W}: it is clearly {word} than {o}.",
                $"{W} is {word}; {o} is {other}.", $"Of the two, {w} is {word}.", $"{W}, by a clear margin."]);
            turns.Add(new QaPair(question, Phrasing.State(rng, answer), "size.compare", right ? "first" : "second"));
        }

        return turns;
    }

    /// <summary>The superlatives, each with how to measure it (larger is more).</summary>
    private static readonly (string Word, string Template, Func<SceneObject, double> Measure, double Margin)[] Superlatives =
    [
        ("largest", "superlative.size", o => o.Box.Area, 1.6),
        ("smallest", "superlative.size", o => -o.Box.Area, 1.6),
        ("leftmost", "superlative.place", o => -o.Box.CenterX, 0.1),
        ("rightmost", "superlative.place", o => o.Box.CenterX, 0.1),
        ("topmost", "superlative.place", o => -o.Box.CenterY, 0.1),
        ("bottom-most", "superlative.place", o => o.Box.CenterY, 0.1),
    ];

    /// <summary>Which object is the largest, smallest, leftmost, ...: a superlative the scene answers clearly, or null.</summary>
    public static QaPair? Superlative(SceneSpec scene, bool bySize, DeterministicRandom rng)
    {
        var options = Superlatives.Where(s => s.Template == (bySize ? "superlative.size" : "superlative.place")).ToList();
        rng.Shuffle(options);
        foreach (var (word, template, measure, margin) in options)
        {
            var ordered = scene.Objects.OrderByDescending(measure).ToList();
            if (ordered.Count < 2)
            {
                return null;
            }

            double a = measure(ordered[0]), b = measure(ordered[1]);
            bool clear = bySize ? Math.Max(Math.Abs(a), Math.Abs(b)) >= margin * Math.Min(Math.Abs(a), Math.Abs(b))
                : a - b >= margin * scene.Width;
            // The answer names the object by its full description, which must fit it alone.
            var item = ordered[0];
            var said = Cue.Colour | Cue.Size | (item.Texture != Texture.Plain ? Cue.Texture : Cue.None)
                | (item.Material != Material.Matte ? Cue.Material : Cue.None);
            if (!clear || scene.Objects.Count(o => o.Shape == item.Shape && ReferenceWords.Same(item, o, said)) > 1)
            {
                continue;
            }

            string noun = ReferenceWords.Noun(rng), pic = Phrasing.Picture(rng), full = ReferenceWords.FullThe(item, rng);
            string place = SceneWords.Place(item, scene);
            string question = rng.Pick([$"Which {noun} is the {word}?", $"Which {noun} is the {word} in the {pic}?",
                $"In this {pic}, which {noun} is the {word}?", $"Which {noun} is the {word} of them all?"]);
            string answer = rng.Pick([$"{PromptSpec.Capitalize(full)} is the {word}.", $"The {word} is {full}.", $"It is {full}, {place}.",
                $"{PromptSpec.Capitalize(full)} is the {word} {noun} in the {pic}.", $"That would be {full}.",
                $"{PromptSpec.Capitalize(full)}, {Phrasing.Gloss(item.Shape)}, is the {word}."]);
            return new QaPair(question, Phrasing.State(rng, answer, closing: true), template, item.ShapeName);
        }

        return null;
    }

    /// <summary>Which object is partly hidden, or what is in front of one: only for scenes where objects overlap.</summary>
    public static QaPair? Occluded(SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.Occlusions.Count == 0)
        {
            return null;
        }

        var occlusion = rng.Pick(scene.Occlusions);
        var front = scene.Objects[occlusion.Front];
        var back = scene.Objects[occlusion.Back];
        if (ReferenceWords.The(front, scene, rng) is not { } f || ReferenceWords.The(back, scene, rng) is not { } b)
        {
            return null;
        }

        if (rng.NextBool() && scene.Occlusions.Count == 1)
        {
            string question = rng.Pick(["What is partly hidden?", $"What is partly hidden in this {Phrasing.Picture(rng)}?",
                "What is partly covered?", "Which shape is partly hidden?"]);
            string answer = rng.Pick([$"{PromptSpec.Capitalize(b)} is partly hidden behind {f}.",
                $"{PromptSpec.Capitalize(f)} covers part of {b}.",
                $"Part of {b} is hidden by {f}, which lies in front of it."]);
            return new QaPair(question, Phrasing.State(rng, answer), "occlusion", back.ShapeName);
        }

        if (scene.Occlusions.Count(o => o.Back == occlusion.Back) != 1)
        {
            return null;
        }

        string q = rng.Pick([$"What is in front of {b}?", $"What is in front of {b} in the {Phrasing.Picture(rng)}?",
            $"Which shape is in front of {b}?"]);
        string a = rng.Pick([$"{PromptSpec.Capitalize(f)} is in front of {b}, partly covering it.",
            $"{PromptSpec.Capitalize(f)}; it hides part of {b}.",
            $"{PromptSpec.Capitalize(b)} is partly hidden behind {f}."]);
        return new QaPair(q, Phrasing.State(rng, a), "occlusion", front.ShapeName);
    }
}
