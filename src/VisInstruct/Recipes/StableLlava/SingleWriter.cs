using VisInstruct.Randomness;
using VisInstruct.Rendering;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The template dialogue of one single-image sample, per kind: which questions to ask about its scene, with the
/// outcomes drawn before the scene (<paramref name="yesFirst"/>: whether the yes turn of a yes/no pair comes first;
/// <paramref name="relation"/>: the relation to ask about), and the slots the kind's LLM instruction names.
/// </summary>
internal sealed class SingleWriter(SceneSpec scene, DeterministicRandom rng, bool yesFirst, string relation)
{
    /// <summary>The objects in an order drawn per sample.</summary>
    private List<SceneObject> Shuffled()
    {
        var items = scene.Objects.ToList();
        rng.Shuffle(items);
        return items;
    }

    /// <summary>The first question <paramref name="ask"/> writes about any object, trying them in a random order.</summary>
    private QaPair? First(Func<SceneObject, QaPair?> ask) => Shuffled().Select(ask).FirstOrDefault(q => q is not null);

    /// <summary>A yes/no pair: one turn answered yes and one no, in the drawn order, so both answers are equally common.</summary>
    private IEnumerable<QaPair> YesNo(Func<bool, QaPair?> ask)
    {
        foreach (bool yes in yesFirst ? new[] { true, false } : [false, true])
        {
            if (ask(yes) is { } turn)
            {
                yield return turn;
            }
        }
    }

    private List<QaPair> Whole(Func<bool, QaPair?> ask)
    {
        var turns = YesNo(ask).ToList();
        return turns.Count == 2 ? turns : [];
    }

    public IEnumerable<QaPair> ColourName(Dictionary<string, string> slots)
    {
        foreach (var item in Shuffled())
        {
            if (AttributeQuestions.ColourName(scene, item, rng) is { } turn)
            {
                slots["subject"] = ReferenceWords.Words(item, scene, null, Cue.Colour) ?? item.ShapeName;
                slots["color"] = item.Color.Name;
                return [turn];
            }
        }

        slots["subject"] = "shapes";
        slots["color"] = SceneWords.List(scene.Objects.Select(o => o.Color.Name).Distinct().ToList());
        return [CountQuestions.Colours(scene, rng)];
    }

    /// <summary>
    /// The pattern, finish or size of an object: the answer drawn first (uniformly over the values), then an object that
    /// has it where the scene has one.
    /// </summary>
    public IEnumerable<QaPair> Attribute(int choice)
    {
        var kind = (AttributeQuestions.Kind)(choice % 3);
        if (scene.Style is DrawingStyle.Shaded or DrawingStyle.Sketch && kind != AttributeQuestions.Kind.Size)
        {
            // These styles draw no pattern or finish: every object is plain and matte, nothing to ask.
            kind = AttributeQuestions.Kind.Size;
        }

        int wanted = rng.NextInt(kind == AttributeQuestions.Kind.Size ? 3 : 4);
        int Value(SceneObject o) => kind switch
        {
            AttributeQuestions.Kind.Texture => (int)o.Texture,
            AttributeQuestions.Kind.Material => (int)o.Material,
            _ => (int)o.Size,
        };
        var ordered = Shuffled().OrderBy(o => Value(o) == wanted ? 0 : 1).ToList();
        return ordered.Select(o => AttributeQuestions.Name(scene, o, kind, rng)).FirstOrDefault(q => q is not null) is { } turn
            ? [turn] : [];
    }

    public List<QaPair> ColourChecks(Dictionary<string, string> slots)
    {
        var items = Shuffled();
        var turns = Whole(yes => items.Select(o => AttributeQuestions.ColourCheck(scene, o, yes, rng)).FirstOrDefault(q => q is not null));
        var target = items.FirstOrDefault(o => ReferenceWords.Words(o, scene, null, Cue.Colour) is not null) ?? items[0];
        slots["subject"] = ReferenceWords.Words(target, scene, null, Cue.Colour) ?? target.ShapeName;
        slots["color"] = target.Color.Name;
        slots["asked_color"] = yesFirst ? target.Color.Name : NamedColor.Palette.First(c => c != target.Color).Name;
        slots["yes_no"] = yesFirst ? "Yes" : "No";
        return turns.Count > 0 ? turns : [CountQuestions.Total(scene, rng)];
    }

    public IEnumerable<QaPair> Unusual(Dictionary<string, string> slots)
    {
        int odd = ProceduralScenes.OddIndex(scene);
        if (odd >= 0 && SceneQuestions.OddOneOut(scene, rng) is { } turn)
        {
            var common = scene.Objects[odd == 0 ? 1 : 0];
            slots["unusual"] = $"{ReferenceWords.Full(scene.Objects[odd])} among {English.Number(scene.Objects.Count - 1)} "
                + SceneQuestions.Plural(common, null, scene);
            return [turn];
        }

        slots["unusual"] = "nothing: " + SceneQuestions.Grouped(scene);
        return [SceneQuestions.Missing(scene, rng)];
    }

    public IEnumerable<QaPair> Count(Dictionary<string, string> slots, int choice, bool counting)
    {
        var most = scene.Objects.GroupBy(o => o.Shape).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().First();
        ObjectSet? set = (choice % 5) switch
        {
            0 or 1 when counting => CountQuestions.ByShape(most.Shape),
            0 or 1 or 2 => CountQuestions.BalancedSet(scene, rng),
            _ => null,
        };
        if (set is null && choice % 5 == 4 && (counting ? CountQuestions.CommonShape(scene, rng) : CountQuestions.CommonColour(scene, rng))
            is { } common)
        {
            slots["objects"] = "shapes";
            slots["number"] = English.Number(scene.Objects.Count);
            return [common];
        }

        if (set is not null)
        {
            var turn = CountQuestions.Count(scene, set, counting ? "count.shape" : "count.set", rng);
            slots["objects"] = set.Plural;
            slots["number"] = English.Number(scene.Objects.Count(set.Fits));
            return [turn];
        }

        slots["objects"] = "shapes";
        slots["number"] = English.Number(scene.Objects.Count);
        return choice % 5 == 3 ? [CountQuestions.Total(scene, rng)] : [CountQuestions.Colours(scene, rng)];
    }

    public IEnumerable<QaPair> Position(Dictionary<string, string> slots, int choice)
    {
        if (PlaceQuestions.Pair(scene, relation, rng) is { } pair)
        {
            slots["first"] = pair.RefA[4..];
            slots["second"] = pair.RefB[4..];
            slots["relation"] = $"{pair.RefA} is {pair.Relation} {pair.RefB}";
        }
        else
        {
            var item = scene.Objects[0];
            slots["first"] = ReferenceWords.Words(item, scene) ?? item.ShapeName;
            slots["second"] = "picture";
            slots["relation"] = $"the {slots["first"]} is {SceneWords.Place(item, scene)} of the picture";
        }

        IEnumerable<QaPair> turns = (choice % 4) switch
        {
            0 => Optional(PlaceQuestions.Relation(scene, relation, rng)),
            1 => Whole(yes => PlaceQuestions.RelationCheck(scene, relation, yes, rng)),
            2 => Optional(PlaceQuestions.Superlative(scene, bySize: false, rng)),
            _ => Optional(First(o => PlaceQuestions.Place(scene, o, rng))),
        };
        var list = turns.ToList();
        if (list.Count == 0)
        {
            list = [.. Optional(First(o => PlaceQuestions.Place(scene, o, rng)))];
        }

        // A scene whose objects no words single out gets a question that needs no reference.
        return list.Count > 0 ? list : [CountQuestions.Total(scene, rng)];
    }

    public IEnumerable<QaPair> Size(Dictionary<string, string> slots, int choice)
    {
        var largest = scene.Objects.OrderByDescending(o => o.Box.Area).First();
        slots["larger"] = ReferenceWords.The(largest, scene) ?? ReferenceWords.FullThe(largest);
        var turns = (choice % 3) switch
        {
            0 => PlaceQuestions.Compare(scene, rng).ToList(),
            1 => Optional(PlaceQuestions.Superlative(scene, bySize: true, rng)).ToList(),
            _ => Optional(First(o => AttributeQuestions.Name(scene, o, AttributeQuestions.Kind.Size, rng))).ToList(),
        };
        return turns.Count > 0 ? turns : PlaceQuestions.Compare(scene, rng).DefaultIfEmpty(CountQuestions.Total(scene, rng));
    }

    private static IEnumerable<QaPair> Optional(QaPair? turn) => turn is null ? [] : [turn];

    /// <summary>Three or more turns of different intents, drawn from all the writer knows, each that fits the scene.</summary>
    public IEnumerable<QaPair> Mixed(int choice)
    {
        var intents = new List<Func<IEnumerable<QaPair>>>
        {
            () => [CountQuestions.Total(scene, rng)],
            () => [CountQuestions.Colours(scene, rng)],
            () => Optional(First(o => AttributeQuestions.ColourName(scene, o, rng))),
            () => Whole(yes => First(o => AttributeQuestions.ColourCheck(scene, o, yes, rng))),
            () => Attribute(choice),
            () => Whole(yes => First(o => AttributeQuestions.Check(scene, o, (AttributeQuestions.Kind)rng.NextInt(3), yes, rng))),
            () => [CountQuestions.Count(scene, CountQuestions.BalancedSet(scene, rng), "count.set", rng)],
            () => Whole(yes => CountQuestions.Exists(scene, yes, rng)),
            () => Optional(First(o => PlaceQuestions.Place(scene, o, rng))),
            () => Optional(PlaceQuestions.Relation(scene, relation, rng)),
            () => Optional(PlaceQuestions.Superlative(scene, rng.NextBool(), rng)),
            () => Optional(rng.NextBool() ? CountQuestions.CommonShape(scene, rng) ?? CountQuestions.CommonColour(scene, rng)
                : CountQuestions.CommonColour(scene, rng) ?? CountQuestions.CommonShape(scene, rng)),
            () => [SceneQuestions.Style(scene, rng)],
            () => [SceneQuestions.Background(scene, rng)],
            () => [SceneQuestions.Missing(scene, rng)],
            () => Optional(SceneQuestions.OddOneOut(scene, rng)),
        };
        rng.Shuffle(intents);
        var turns = new List<QaPair>();
        if (scene.Occlusions.Count > 0)
        {
            // Overlapping objects are the scene's most telling feature: asked about first.
            turns.AddRange(Optional(PlaceQuestions.Occluded(scene, rng)));
        }

        foreach (var intent in intents)
        {
            turns.AddRange(intent());
            if (turns.Count >= 4)
            {
                break;
            }
        }

        return turns;
    }
}
