using System.Globalization;
using VisInstruct.Randomness;
using VisInstruct.Rendering;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The abilities the procedural renderer can express, each as a generator of scenes and of the facts about them.
/// Every answer is computed from the scene itself, so the dialogues are exact.
/// </summary>
public static class ProceduralScenarios
{
    public static readonly IReadOnlySet<string> Generators = new HashSet<string>(StringComparer.Ordinal)
    {
        "color", "style", "odd_one_out", "counting", "position", "size", "difference", "similarity", "reasoning", "multi_turn",
    };

    /// <summary>The scenario of one sample: its scene(s), facts, exact template dialogue.</summary>
    public static Scenario Build(AbilitySpec ability, string kind, long index, DeterministicRandom rng, SceneComposer composer,
        IReadOnlyList<string> captions)
    {
        ArgumentNullException.ThrowIfNull(ability);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(composer);
        string generator = ability.Procedural ?? throw new InvalidOperationException($"{ability.Name} has no procedural generator");
        return generator switch
        {
            "difference" => Difference(ability, index, rng, composer),
            "similarity" => Similarity(ability, index, rng, composer),
            "reasoning" => Reasoning(ability, index, rng, composer),
            "multi_turn" => MultiTurn(ability, index, rng, composer),
            _ => Single(ability, generator, kind, index, rng, composer, captions),
        };
    }

    private static string File(AbilitySpec ability, long index, int image, int images) =>
        images == 1 ? string.Create(CultureInfo.InvariantCulture, $"{ability.Name}/{index}.jpg")
            : string.Create(CultureInfo.InvariantCulture, $"{ability.Name}/{index}_{image + 1}.jpg");

    private static ImagePlan Plan(AbilitySpec ability, long index, int image, int images, SceneSpec scene) =>
        new(File(ability, index, image, images), SceneWords.Prompt(scene), scene, null);

    private static List<ObjectRequest> Distinct(DeterministicRandom rng, int count)
    {
        // Objects that differ in shape, so that "the circle" names exactly one.
        var shapes = Enum.GetValues<ShapeKind>().ToList();
        rng.Shuffle(shapes);
        return shapes.Take(count).Select(s => new ObjectRequest(s)).ToList();
    }

    private static Scenario Single(AbilitySpec ability, string generator, string kind, long index, DeterministicRandom rng,
        SceneComposer composer, IReadOnlyList<string> captions)
    {
        var scene = generator switch
        {
            "odd_one_out" => OddOneOut(rng, composer),
            "counting" => Counting(rng, composer),
            "size" => SizeScene(rng, composer),
            _ => composer.Compose(rng, Distinct(rng, rng.NextInt(1, 5))),
        };

        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        var turns = new List<QaPair>();
        string? fixedQuestion = null;
        bool after = false;
        var target = scene.Objects[rng.NextInt(scene.Objects.Count)];
        switch (kind)
        {
            case "caption":
                fixedQuestion = rng.Pick(captions);
                after = rng.NextBool();
                slots["question"] = fixedQuestion;
                turns.Add(new QaPair(fixedQuestion, Caption(generator, scene)));
                break;
            case "color_name":
                slots["subject"] = target.ShapeName;
                slots["color"] = target.Color.Name;
                turns.Add(new QaPair(rng.Pick(["What colour is the {0}?", "Which colour does the {0} have?",
                    "Tell me the colour of the {0}."]).Replace("{0}", target.ShapeName, StringComparison.Ordinal),
                    $"The {target.ShapeName} is {target.Color.Name}."));
                break;
            case "color_check":
            {
                bool yes = rng.NextBool();
                var asked = yes ? target.Color : rng.Pick(NamedColor.Palette.Where(c => c != target.Color).ToList());
                slots["subject"] = target.ShapeName;
                slots["color"] = target.Color.Name;
                slots["asked_color"] = asked.Name;
                slots["yes_no"] = yes ? "Yes" : "No";
                turns.Add(new QaPair($"Is the {target.ShapeName} {asked.Name}?",
                    yes ? $"Yes, the {target.ShapeName} is {target.Color.Name}."
                        : $"No, the {target.ShapeName} is {target.Color.Name}, not {asked.Name}."));
                break;
            }

            case "style":
                slots["style"] = SceneWords.StyleName(scene.Style);
                turns.Add(new QaPair(rng.Pick(["In what style is this image drawn?", "How would you describe the drawing style?",
                    "What kind of drawing style is this?"]),
                    PromptSpec.Capitalize($"It is drawn in {SceneWords.Style(scene.Style)}.")));
                break;
            case "unusual":
            {
                var (odd, common, count) = Odd(scene);
                slots["unusual"] = $"{SceneWords.Object(odd)} among {English.Number(count)} {common}";
                turns.Add(new QaPair(rng.Pick(["What is unusual in this image?", "Which shape does not belong here?",
                    "Is anything out of place in this picture?"]),
                    $"All the shapes are {common} except one: {SceneWords.Object(odd)} {SceneWords.Place(odd, scene)} "
                        + $"is the odd one out."));
                break;
            }

            case "count":
            {
                var shape = MostCommonShape(scene);
                int n = scene.Objects.Count(o => o.Shape == shape);
                slots["objects"] = ShapeNames.Plural(shape);
                slots["number"] = English.Number(n);
                turns.Add(new QaPair($"How many {ShapeNames.Plural(shape)} are there in the image?",
                    n == 1 ? $"There is one {ShapeNames.Name(shape)}." : $"There are {English.Number(n)} {ShapeNames.Plural(shape)}."));
                break;
            }

            case "position":
            {
                var (a, b) = Pair(scene, rng);
                slots["first"] = $"{a.Color.Name} {a.ShapeName}";
                if (ReferenceEquals(a, b))
                {
                    // One object: no relation to ask about, so ask where it is in the picture.
                    string place = $"{SceneWords.The(a)} is {SceneWords.Place(a, scene)} of the picture";
                    slots["second"] = "picture";
                    slots["relation"] = place;
                    turns.Add(new QaPair($"Where is {SceneWords.The(a)} in the picture?", PromptSpec.Capitalize(place + ".")));
                    break;
                }

                string relation = SceneWords.Relation(a, b);
                slots["second"] = $"{b.Color.Name} {b.ShapeName}";
                slots["relation"] = $"{SceneWords.The(a)} is {relation} {SceneWords.The(b)}";
                turns.Add(new QaPair($"Where is {SceneWords.The(a)} relative to {SceneWords.The(b)}?",
                    PromptSpec.Capitalize($"{SceneWords.The(a)} is {relation} {SceneWords.The(b)}.")));
                break;
            }

            case "size":
            {
                var ordered = scene.Objects.OrderByDescending(o => o.Box.Area).ToList();
                // The options in an order drawn per sample, so that the larger one is not always named last.
                List<SceneObject> options = rng.NextBool() ? ordered : [ordered[1], ordered[0]];
                slots["larger"] = SceneWords.The(ordered[0]);
                turns.Add(new QaPair($"Which is larger, {SceneWords.The(options[0])} or {SceneWords.The(options[1])}?",
                    PromptSpec.Capitalize($"{SceneWords.The(ordered[0])} is larger; {SceneWords.The(ordered[1])} is much smaller.")));
                break;
            }

            default:
                slots["turns"] = "three";
                turns.AddRange(Questions(scene, rng));
                break;
        }

        return new Scenario
        {
            Kind = kind,
            Images = [Plan(ability, index, 0, 1, scene)],
            Facts = SceneWords.Describe(scene),
            Slots = slots,
            TemplateTurns = turns,
            FixedQuestion = fixedQuestion,
            ImageTokenAfter = after,
        };
    }

    private static SceneSpec SizeScene(DeterministicRandom rng, SceneComposer composer)
    {
        var shapes = Distinct(rng, 2);
        return composer.Compose(rng, [shapes[0] with { Size = SizeClass.Large }, shapes[1] with { Size = SizeClass.Small }]);
    }

    private static string Caption(string generator, SceneSpec scene)
    {
        if (generator == "odd_one_out")
        {
            var (odd, common, count) = Odd(scene);
            return PromptSpec.Capitalize(
                $"{English.Number(count)} {common} and {SceneWords.Object(odd)} on {SceneWords.Background(scene.Background)}.");
        }

        if (generator == "counting")
        {
            var shape = MostCommonShape(scene);
            int n = scene.Objects.Count(o => o.Shape == shape);
            var others = scene.Objects.Where(o => o.Shape != shape).Select(o => SceneWords.Object(o)).ToList();
            return PromptSpec.Capitalize($"{English.Number(n)} {(n == 1 ? ShapeNames.Name(shape) : ShapeNames.Plural(shape))}"
                + $"{(others.Count > 0 ? " with " + SceneWords.List(others) : "")} on {SceneWords.Background(scene.Background)}.");
        }

        return SceneWords.Caption(scene);
    }

    private static IEnumerable<QaPair> Questions(SceneSpec scene, DeterministicRandom rng)
    {
        int n = scene.Objects.Count;
        yield return new QaPair("How many shapes are in the image?",
            n == 1 ? $"There is one shape: {SceneWords.Object(scene.Objects[0])}."
                : $"There are {English.Number(n)} shapes: {SceneWords.List(scene.Objects.Select(o => SceneWords.Object(o)).ToList())}.");
        var item = scene.Objects[rng.NextInt(n)];
        yield return ColourQuestion(item, scene);
        var placed = scene.Objects[rng.NextInt(n)];
        yield return PlaceQuestion(placed, scene);
    }

    /// <summary>
    /// The colour of an object named by its shape (or size) when that fits it alone, else the colours of all of that shape.
    /// </summary>
    private static QaPair ColourQuestion(SceneObject item, SceneSpec scene)
    {
        if (SceneWords.Unique(item, scene, colour: false) is { } name)
        {
            return new QaPair($"What colour is the {name}?", $"It is {item.Color.Name}.");
        }

        string plural = ShapeNames.Plural(item.Shape);
        var same = scene.Objects.Where(o => o.Shape == item.Shape).ToList();
        var colours = same.GroupBy(o => o.Color.Name).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{English.Number(g.Count())} {g.Key}").ToList();
        return new QaPair($"What colours are the {plural}?", colours.Count == 1
            ? $"All {English.Number(same.Count)} {plural} are {same[0].Color.Name}."
            : $"There are {English.Number(same.Count)} {plural}: {SceneWords.List(colours)}.");
    }

    /// <summary>Where an object is, named so that the name fits it alone; where all of its colour and shape are when none does.</summary>
    private static QaPair PlaceQuestion(SceneObject placed, SceneSpec scene)
    {
        if (SceneWords.Unique(placed, scene) is { } name)
        {
            string subject = name == placed.ShapeName ? SceneWords.The(placed) : "the " + name;
            return new QaPair($"Where is the {name}?",
                PromptSpec.Capitalize($"{subject} is {SceneWords.Place(placed, scene)} of the picture."));
        }

        string group = $"{placed.Color.Name} {ShapeNames.Plural(placed.Shape)}";
        var places = scene.Objects.Where(o => o.Shape == placed.Shape && o.Color == placed.Color)
            .Select(o => SceneWords.Place(o, scene)).Distinct(StringComparer.Ordinal).ToList();
        return new QaPair($"Where are the {group}?",
            PromptSpec.Capitalize($"the {group} are {SceneWords.List(places)} of the picture."));
    }

    private static SceneSpec OddOneOut(DeterministicRandom rng, SceneComposer composer)
    {
        var shape = rng.Pick(Enum.GetValues<ShapeKind>());
        var color = rng.Pick(NamedColor.Palette);
        int count = rng.NextInt(3, 6);
        bool byColor = rng.NextBool();
        var odd = byColor
            ? new ObjectRequest(shape, rng.Pick(NamedColor.Palette.Where(c => c != color).ToList()), SizeClass.Medium)
            : new ObjectRequest(rng.Pick(Enum.GetValues<ShapeKind>().Where(s => s != shape).ToList()), color, SizeClass.Medium);
        var requests = Enumerable.Repeat(new ObjectRequest(shape, color, SizeClass.Medium), count).Append(odd).ToList();
        rng.Shuffle(requests);
        return composer.Compose(rng, requests);
    }

    private static (SceneObject Odd, string Common, int Count) Odd(SceneSpec scene)
    {
        var groups = scene.Objects.GroupBy(o => (o.Shape, o.Color)).OrderByDescending(g => g.Count()).ToList();
        var common = groups[0].First();
        var odd = groups[^1].First();
        return (odd, $"{common.Color.Name} {ShapeNames.Plural(common.Shape)}", groups[0].Count());
    }

    private static SceneSpec Counting(DeterministicRandom rng, SceneComposer composer)
    {
        var shape = rng.Pick(Enum.GetValues<ShapeKind>());
        int count = rng.NextInt(1, 7);
        var requests = Enumerable.Range(0, count).Select(_ => new ObjectRequest(shape, null, SizeClass.Small)).ToList();
        foreach (var other in Enum.GetValues<ShapeKind>().Where(s => s != shape).OrderBy(_ => rng.NextUInt64()).Take(rng.NextInt(0, 3)))
        {
            requests.Add(new ObjectRequest(other, null, SizeClass.Small));
        }

        rng.Shuffle(requests);
        return composer.Compose(rng, requests);
    }

    private static ShapeKind MostCommonShape(SceneSpec scene) =>
        scene.Objects.GroupBy(o => o.Shape).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

    private static (SceneObject A, SceneObject B) Pair(SceneSpec scene, DeterministicRandom rng)
    {
        if (scene.Objects.Count < 2)
        {
            return (scene.Objects[0], scene.Objects[0]);
        }

        int a = rng.NextInt(scene.Objects.Count);
        int b = (a + 1 + rng.NextInt(scene.Objects.Count - 1)) % scene.Objects.Count;
        return (scene.Objects[a], scene.Objects[b]);
    }

    private static Scenario Difference(AbilitySpec ability, long index, DeterministicRandom rng, SceneComposer composer)
    {
        var first = composer.Compose(rng, Distinct(rng, rng.NextInt(2, 5)));
        int changed = rng.NextInt(first.Objects.Count);
        var original = first.Objects[changed];
        var objects = first.Objects.ToList();
        string difference;
        switch (rng.NextInt(3))
        {
            case 0:
            {
                var color = rng.Pick(NamedColor.Palette.Where(c => c != original.Color).ToList());
                objects[changed] = original with { Color = color };
                difference = $"the {original.ShapeName} is {original.Color.Name} in the first image and {color.Name} in the second";
                break;
            }

            case 1:
            {
                var shape = rng.Pick(Enum.GetValues<ShapeKind>()
                    .Where(s => s != original.Shape && s != ShapeKind.Rectangle && objects.All(o => o.Shape != s)).ToList());
                objects[changed] = original with { Shape = shape,
                    Box = original.Shape == ShapeKind.Rectangle ? original.Box with { X2 = original.Box.X1 + original.Box.Height }
                    : original.Box };
                difference = $"the {original.Color.Name} {original.ShapeName} {SceneWords.Place(original, first)} of the first image is "
                    + $"{PromptSpec.Article(original.Color.Name + " " + ShapeNames.Name(shape))} in the second";
                break;
            }

            default:
                objects.RemoveAt(changed);
                difference = $"the second image has no {original.Color.Name} {original.ShapeName}; the first has one "
                    + $"{SceneWords.Place(original, first)}";
                break;
        }

        var second = first with { Objects = objects };
        return new Scenario
        {
            Kind = "difference",
            Images = [Plan(ability, index, 0, 2, first), Plan(ability, index, 1, 2, second)],
            Facts = $"first image: {SceneWords.Describe(first)}. Second image: {SceneWords.Describe(second)}",
            Slots = new Dictionary<string, string> { ["difference"] = difference },
            TemplateTurns = [
                new QaPair(rng.Pick(["What is different between these two images?", "Spot the difference between the two pictures.",
                "How does the second image differ from the first?"]),
                PromptSpec.Capitalize(difference) + "; everything else is the same.")],
        };
    }

    private static Scenario Similarity(AbilitySpec ability, long index, DeterministicRandom rng, SceneComposer composer)
    {
        var shapes = Enum.GetValues<ShapeKind>().ToList();
        rng.Shuffle(shapes);
        var colors = NamedColor.Palette.ToList();
        rng.Shuffle(colors);
        var shared = new ObjectRequest(shapes[0], colors[0]);
        // Apart from the shared object, the two images use different shapes and colours: the shared one is the only thing in common.
        var first = composer.Compose(rng, [shared, new ObjectRequest(shapes[1], colors[1]), new ObjectRequest(shapes[2], colors[2])]);
        var second = composer.Compose(rng, [shared, new ObjectRequest(shapes[3], colors[3]), new ObjectRequest(shapes[4], colors[4])]);
        string common = $"{colors[0].Name} {ShapeNames.Name(shapes[0])}";
        return new Scenario
        {
            Kind = "similarity",
            Images = [Plan(ability, index, 0, 2, first), Plan(ability, index, 1, 2, second)],
            Facts = $"first image: {SceneWords.Describe(first)}. Second image: {SceneWords.Describe(second)}",
            Slots = new Dictionary<string, string> { ["similarity"] = $"both contain {PromptSpec.Article(common)}" },
            TemplateTurns = [
                new QaPair(rng.Pick(["What do these two images have in common?", "Is there something both pictures share?",
                "Which shape appears in both images?"]),
                $"Both images contain {PromptSpec.Article(common)}; the other shapes differ.")],
        };
    }

    private static Scenario Reasoning(AbilitySpec ability, long index, DeterministicRandom rng, SceneComposer composer)
    {
        var shape = rng.Pick(Enum.GetValues<ShapeKind>());
        int a = rng.NextInt(1, 6);
        int b = rng.NextInt(1, 6);
        SceneSpec Make(int n) => composer.Compose(rng, Enumerable.Range(0, n).Select(_ => new ObjectRequest(shape, null, SizeClass.Small))
            .Concat(Enum.GetValues<ShapeKind>().Where(s => s != shape).Take(rng.NextInt(0, 2))
                .Select(s => new ObjectRequest(s, null, SizeClass.Small))).ToList());
        var first = Make(a);
        var second = Make(b);
        string plural = ShapeNames.Plural(shape);
        string Count(int n) => n == 1 ? $"one {ShapeNames.Name(shape)}" : $"{English.Number(n)} {plural}";
        string answer = a == b
            ? $"Neither: both images have {Count(a)}."
            : $"The {(a > b ? "first" : "second")} image: it has {Count(Math.Max(a, b))}, while the {(a > b ? "second" : "first")} has "
                + $"{Count(Math.Min(a, b))}.";
        return new Scenario
        {
            Kind = "reasoning",
            Images = [Plan(ability, index, 0, 2, first), Plan(ability, index, 1, 2, second)],
            Facts = $"first image: {SceneWords.Describe(first)}. Second image: {SceneWords.Describe(second)}",
            Slots = new Dictionary<string, string> { ["comparison"] = $"which image has more {plural} ({a} against {b})" },
            TemplateTurns = [new QaPair($"Which of the two images has more {plural}?", answer)],
        };
    }

    private static Scenario MultiTurn(AbilitySpec ability, long index, DeterministicRandom rng, SceneComposer composer)
    {
        var scenes = Enumerable.Range(0, 3).Select(_ => composer.Compose(rng, Distinct(rng, rng.NextInt(1, 4)))).ToList();
        var turns = new List<QaPair>
        {
            new("What shapes do you see in this image?",
                PromptSpec.Capitalize($"I see {SceneWords.List(scenes[0].Objects.Select(o => SceneWords.Object(o)).ToList())}.")),
        };
        var second = scenes[1].Objects[rng.NextInt(scenes[1].Objects.Count)];
        turns.Add(new QaPair($"And in this one, what colour is the {second.ShapeName}?",
            $"Here the {second.ShapeName} is {second.Color.Name}."));
        int previous = scenes[0].Objects.Count + scenes[1].Objects.Count;
        int last = scenes[2].Objects.Count;
        turns.Add(new QaPair("How many shapes are in this last image, and is that more than the first two together?",
            $"This image has {English.Number(last)} {(last == 1 ? "shape" : "shapes")}, "
                + $"{(last > previous ? "more than" : last == previous ? "as many as" : "fewer than")} the {English.Number(previous)} in "
                + $"the first two together."));
        return new Scenario
        {
            Kind = "multi_turn",
            Images = scenes.Select((s, i) => Plan(ability, index, i, 3, s)).ToList(),
            Facts = string.Join(". ", scenes.Select((s, i) => $"image {i + 1}: {SceneWords.Describe(s)}")),
            Slots = new Dictionary<string, string> { ["turns"] = "three" },
            TemplateTurns = turns,
        };
    }
}
