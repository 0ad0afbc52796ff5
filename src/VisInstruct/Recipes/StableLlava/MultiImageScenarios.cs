using VisInstruct.Randomness;
using VisInstruct.Rendering;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The multi-image abilities: what differs between two scenes, what they share, which has more, and a conversation
/// over three. References here never use ordinals (<c>first</c> and <c>second</c> name the images).
/// </summary>
internal static class MultiImageScenarios
{
    private const Cue NoPlace = Cue.Place;

    private enum Change
    {
        Colour,
        Shape,
        Removed,
        Added,
        Size,
        Texture,
        Material,
    }

    private static string Facts(List<SceneSpec> scenes) => scenes.Count == 2
        ? $"first image: {SceneWords.Describe(scenes[0])}. Second image: {SceneWords.Describe(scenes[1])}"
        : string.Join(". ", scenes.Select((s, i) => $"image {i + 1}: {SceneWords.Describe(s)}"));

    public static Scenario Difference(AbilitySpec ability, long index, DeterministicRandom rng, SceneComposer composer)
    {
        var change = rng.Pick(Enum.GetValues<Change>());
        var first = ProceduralScenes.Varied(composer, rng, rng.NextInt(2, 5));
        var nameable = Enumerable.Range(0, first.Objects.Count)
            .Where(i => ReferenceWords.Words(first.Objects[i], first, null, NoPlace) is not null).ToList();
        int changed = nameable.Count > 0 ? rng.Pick(nameable) : 0;
        var original = first.Objects[changed];
        string r = ReferenceWords.The(original, first, rng, NoPlace) ?? ReferenceWords.FullThe(original, rng);
        string place = SceneWords.Place(original, first);
        var objects = first.Objects.ToList();
        string difference;
        var resized = original with
        {
            Size = original.Size == SizeClass.Large ? SizeClass.Small : SizeClass.Large,
            Box = Scale(original.Box, original.Size == SizeClass.Large ? 0.45 : 1.9),
        };
        if (change == Change.Size && !Fits(resized.Box, first, changed))
        {
            change = Change.Texture;
        }

        var added = change == Change.Added ? Free(first, rng) : null;
        if (change == Change.Added && added is null)
        {
            change = Change.Material;
        }

        switch (change)
        {
            case Change.Colour:
            {
                var colour = rng.Pick(NamedColor.Palette.Where(c => c != original.Color).ToList());
                objects[changed] = original with { Color = colour };
                difference = rng.Pick([$"{r} is {original.Color.Name} in the first image and {colour.Name} in the second",
                    $"{r} {place} changes colour, from {original.Color.Name} in the first image to {colour.Name} in the second",
                    $"in the second image {r} has turned {colour.Name}; in the first it is {original.Color.Name}"]);
                break;
            }

            case Change.Shape:
            {
                var shape = rng.Pick(ProceduralScenes.Shapes
                    .Where(s => s != ShapeKind.Rectangle && first.Objects.All(o => o.Shape != s)).ToList());
                var box = original.Shape == ShapeKind.Rectangle ? original.Box with { X2 = original.Box.X1 + original.Box.Height }
                    : original.Box;
                objects[changed] = original with { Shape = shape, Box = box };
                string now = PromptSpec.Article(original.Color.Name + " " + ShapeNames.Name(shape));
                difference = rng.Pick([$"{r} {place} of the first image is {now} in the second",
                    $"where the first image has {r} {place}, the second has {now}",
                    $"{r} {place} has been replaced by {now} in the second image"]);
                break;
            }

            case Change.Removed:
                objects.RemoveAt(changed);
                difference = rng.Pick([$"the second image has no {r[4..]}; the first has one {place}",
                    $"{r} {place} of the first image is gone from the second",
                    $"the first image shows {r} {place}, which is missing from the second"]);
                break;
            case Change.Added:
            {
                var extra = added!;
                objects.Add(extra);
                var after = first with { Objects = objects };
                string e = ReferenceWords.Full(extra, rng);
                difference = rng.Pick([$"the second image has an extra object, {e} {SceneWords.Place(extra, after)}",
                    $"{e} appears {SceneWords.Place(extra, after)} of the second image; the first has no such object",
                    $"the second image adds {e} {SceneWords.Place(extra, after)}"]);
                break;
            }

            case Change.Size:
                objects[changed] = resized;
                difference = rng.Pick([$"{r} {place} is {ReferenceWords.SizeWord(original.Size)} in the first image and "
                    + $"{ReferenceWords.SizeWord(resized.Size)} in the second",
                    $"{r} {place} {(resized.Size == SizeClass.Large ? "grows" : "shrinks")} from the first image to the second"]);
                break;
            case Change.Texture:
            {
                var texture = rng.Pick(Enum.GetValues<Texture>().Where(t => t != original.Texture).ToList());
                objects[changed] = original with { Texture = texture };
                difference = rng.Pick([$"{r} {place} is {ReferenceWords.TextureWord(original.Texture)} in the first image but "
                    + $"{ReferenceWords.TextureWord(texture)} in the second",
                    $"the pattern of {r} changes: {ReferenceWords.TextureWord(original.Texture)} in the first image, "
                        + $"{Phrasing.Looks(texture, rng)} in the second"]);
                break;
            }

            default:
            {
                var material = rng.Pick(Enum.GetValues<Material>().Where(m => m != original.Material).ToList());
                objects[changed] = original with { Material = material };
                string before = Phrasing.LooksWord(ReferenceWords.MaterialWord(original.Material));
                difference = rng.Pick([$"{r} {place} {before} in the first image and "
                    + $"{ReferenceWords.MaterialWord(material)} in the second",
                    $"the finish of {r} changes from {ReferenceWords.MaterialWord(original.Material)} in the first image to "
                        + $"{ReferenceWords.MaterialWord(material)} in the second, {Phrasing.Finish(material, rng)}"]);
                break;
            }
        }

        var second = first with { Objects = objects };
        var same = first.Objects.Where((_, i) => i != changed).ToList();
        string rest = same.Count == 0 ? "" : rng.Pick([$"; everything else ({CountQuestions.List(same, rng)}) is the same",
            $". The rest, {CountQuestions.List(same, rng)}, stays as it was", "; everything else is the same",
            $". Apart from that, both images show {CountQuestions.List(same, rng)} in the same places",
            "; nothing else has changed", $". The remaining objects ({CountQuestions.List(same, rng)}) are untouched",
            "; otherwise the pictures are identical"]);
        string question = rng.Pick(["What is the difference between these two images?", "Spot the difference between the two pictures.",
            "Can you find the difference between the first image and the second?",
                "What difference do you notice between these two images?",
            "Name the difference between the two images.", "Tell me the difference between these two pictures.",
            "Could you point out the difference between the two images?", "Which difference stands out between these two pictures?"]);
        return new Scenario
        {
            Kind = "difference",
            Images = [ProceduralScenarios.Plan(ability, index, 0, 2, first), ProceduralScenarios.Plan(ability, index, 1, 2, second)],
            Facts = Facts([first, second]),
            Slots = new Dictionary<string, string> { ["difference"] = difference },
            TemplateTurns = [new QaPair(question, Phrasing.Plain(PromptSpec.Capitalize(difference) + rest),
                "difference.change", change.ToString().ToLowerInvariant())],
        };
    }

    private static PixelBox Scale(PixelBox box, double factor)
    {
        double w = box.Width * factor / 2, h = box.Height * factor / 2;
        return new PixelBox((int)Math.Round(box.CenterX - w), (int)Math.Round(box.CenterY - h),
            (int)Math.Round(box.CenterX + w), (int)Math.Round(box.CenterY + h));
    }

    private static bool Fits(PixelBox box, SceneSpec scene, int skip) =>
        box.X1 >= 2 && box.Y1 >= 2 && box.X2 <= scene.Width - 2 && box.Y2 <= scene.Height - 2
        && scene.Objects.Where((_, i) => i != skip).All(o => !o.Box.Touches(box, 6));

    /// <summary>A new object in a free spot of the scene, of a shape the scene lacks; null when none fits.</summary>
    private static SceneObject? Free(SceneSpec scene, DeterministicRandom rng)
    {
        int side = (int)(Math.Min(scene.Width, scene.Height) * 0.16);
        var shape = rng.Pick(ProceduralScenes.Shapes.Where(s => s != ShapeKind.Rectangle && scene.Objects.All(o => o.Shape != s)).ToList());
        for (int attempt = 0; attempt < 300; attempt++)
        {
            int x = rng.NextInt(4, scene.Width - side - 4), y = rng.NextInt(4, scene.Height - side - 4);
            var box = new PixelBox(x, y, x + side, y + side);
            if (Fits(box, scene, -1))
            {
                return new SceneObject(shape, rng.Pick(NamedColor.Palette), SizeClass.Medium, box, ProceduralScenes.RandomTexture(rng),
                    ProceduralScenes.RandomMaterial(rng));
            }
        }

        return null;
    }

    public static Scenario Similarity(AbilitySpec ability, long index, DeterministicRandom rng, SceneComposer composer)
    {
        var shapes = ProceduralScenes.DistinctShapes(rng, 5);
        var colours = NamedColor.Palette.ToList();
        rng.Shuffle(colours);
        var shared = new ObjectRequest(shapes[0], colours[0], rng.Pick(Enum.GetValues<SizeClass>()), ProceduralScenes.RandomTexture(rng),
            ProceduralScenes.RandomMaterial(rng));
        // Apart from the shared object, the two images use different shapes and colours: it is the only thing in common.
        var first = ProceduralScenes.Compose(composer, rng,
            [shared, new ObjectRequest(shapes[1], colours[1]), new ObjectRequest(shapes[2], colours[2])]);
        var second = ProceduralScenes.Compose(composer, rng,
            [shared, new ObjectRequest(shapes[3], colours[3]), new ObjectRequest(shapes[4], colours[4])]);
        string common = ReferenceWords.Full(first.Objects[0], rng);
        string one = CountQuestions.List(first.Objects.Skip(1), rng), two = CountQuestions.List(second.Objects.Skip(1), rng);
        string question = rng.Pick(["What do these two images have in common?", "What do the two pictures have in common?",
            "Is there anything these two images have in common?", "What object do the two images have in common?",
            "Which shape do both images have in common?"]);
        string answer = rng.Pick([$"Both images contain {common}; the other shapes differ.",
            $"They have {common} in common. Otherwise the first image shows {one}, and the second {two}.",
            $"The shared object is {common}, {Phrasing.Gloss(shapes[0])}; nothing else repeats.",
            $"Both include {common}. The first image adds {one}, while the second adds {two}.",
            $"Only {common} appears in both; the remaining objects are different.",
            $"The common element is {common}. Every other object is unique to its own image.",
            $"Each picture includes {common}, and that is the sole match: the first pairs it with {one}, the second with {two}.",
            $"What links them is {common}, present in both; their companions vary completely."]);
        return new Scenario
        {
            Kind = "similarity",
            Images = [ProceduralScenarios.Plan(ability, index, 0, 2, first), ProceduralScenarios.Plan(ability, index, 1, 2, second)],
            Facts = Facts([first, second]),
            Slots = new Dictionary<string, string> { ["similarity"] = $"both contain {common}" },
            TemplateTurns = [new QaPair(question, Phrasing.Plain(answer), "similarity.shared", ShapeNames.Name(shapes[0]))],
        };
    }

    public static Scenario Reasoning(AbilitySpec ability, long index, DeterministicRandom rng, SceneComposer composer)
    {
        // The outcome first: the first image has more, the second, or neither; then counts that give it.
        int outcome = rng.NextInt(3);
        bool byColour = rng.NextInt(3) == 0;
        int low = rng.NextInt(0, 5);
        int high = rng.NextInt(low + 1, 6);
        var (a, b) = outcome switch { 0 => (high, low), 1 => (low, high), _ => (high, high) };
        var shape = rng.Pick(ProceduralScenes.Shapes);
        var colour = rng.Pick(NamedColor.Palette);
        SceneSpec Make(int n)
        {
            if (!byColour)
            {
                return ProceduralScenes.Counting(composer, rng, shape, n, n == 0 ? rng.NextInt(1, 3) : rng.NextInt(0, 3));
            }

            var others = NamedColor.Palette.Where(c => c != colour).ToList();
            var requests = Enumerable.Range(0, n).Select(_ => new ObjectRequest(null, colour, SizeClass.Small))
                .Concat(Enumerable.Range(0, n == 0 ? rng.NextInt(1, 3) : rng.NextInt(0, 3))
                    .Select(_ => new ObjectRequest(null, rng.Pick(others), SizeClass.Small))).ToList();
            rng.Shuffle(requests);
            return ProceduralScenes.Compose(composer, rng, requests);
        }

        var first = Make(a);
        var second = Make(b);
        string noun = ReferenceWords.Noun(rng);
        string plural = byColour ? $"{colour.Name} {noun}s" : ShapeNames.Plural(shape);
        string singular = byColour ? $"{colour.Name} {noun}" : ShapeNames.Name(shape);
        string Count(int n) => n == 0 ? $"no {plural}" : n == 1 ? $"one {singular}" : $"{English.Number(n)} {plural}";
        string question = rng.Pick([$"Which image has more {plural}?", $"Which image has more {plural}, the first or the second?",
            $"Looking at both, which image has more {plural}?", $"Comparing the two pictures, which image has more {plural}?"]);
        string more = outcome == 0 ? "first" : "second", fewer = outcome == 0 ? "second" : "first";
        int gap = Math.Abs(a - b);
        string answer = outcome == 2
            ? rng.Pick([$"Neither: both images have {Count(a)}.", $"Neither; each image shows {Count(a)}, so they are level.",
                $"Neither of them. The first image has {Count(a)} and so does the second.",
                $"Neither: it is a tie, with {Count(a)} in each image."])
            : rng.Pick([$"The {more} image: it has {Count(Math.Max(a, b))}, while the {fewer} has {Count(Math.Min(a, b))}.",
                $"The {more} one, with {Count(Math.Max(a, b))} against {Count(Math.Min(a, b))} in the {fewer} image.",
                $"The {more} image has more: {Count(Math.Max(a, b))}, which is {English.Number(gap)} more than the {fewer} image's "
                    + $"{English.Number(Math.Min(a, b))}.",
                $"The {more} image wins: the {fewer} has {Count(Math.Min(a, b))} and the {more} has {Count(Math.Max(a, b))}.",
                $"Counting carefully, the {more} image comes out ahead with {Count(Math.Max(a, b))}; the {fewer} image only has "
                    + $"{Count(Math.Min(a, b))}."]);
        return new Scenario
        {
            Kind = "reasoning",
            Images = [ProceduralScenarios.Plan(ability, index, 0, 2, first), ProceduralScenarios.Plan(ability, index, 1, 2, second)],
            Facts = Facts([first, second]),
            Slots = new Dictionary<string, string> { ["comparison"] = $"which image has more {plural} ({a} against {b})" },
            TemplateTurns = [new QaPair(question, Phrasing.Plain(answer), "reasoning.more", outcome == 2 ? "neither" : more)],
        };
    }

    public static Scenario MultiTurn(AbilitySpec ability, long index, DeterministicRandom rng, SceneComposer composer)
    {
        // The last answer first: more, fewer or as many as the first two images together.
        int outcome = rng.NextInt(3);
        int one = rng.NextInt(1, 4), two = rng.NextInt(1, 4), sum = one + two;
        int last = outcome switch { 0 => Math.Min(8, sum + rng.NextInt(1, 3)), 1 => rng.NextInt(1, sum), _ => sum };
        var scenes = new[] { one, two, last }.Select(n => ProceduralScenes.Varied(composer, rng, n)).ToList();
        var turns = new List<QaPair>
        {
            new(rng.Pick(["What shapes do you see in this image?", "What shapes are in this image?",
                "Which shapes do you see in this image?",
                "What shapes does this image show?"]),
                Phrasing.Plain(rng.Pick([$"{Phrasing.See(rng)} {CountQuestions.List(scenes[0].Objects, rng)}",
                    $"This image holds {CountQuestions.List(scenes[0].Objects, rng)}, on {SceneWords.Background(scenes[0].Background)}",
                    $"It contains {CountQuestions.List(scenes[0].Objects, rng)}, drawn in {SceneWords.StyleName(scenes[0].Style)} style",
                    $"{Phrasing.See(rng)} {CountQuestions.List(scenes[0].Objects, rng)} over "
                        + Phrasing.Backdrop(scenes[0].Background.Kind, rng),
                    $"Just {CountQuestions.List(scenes[0].Objects, rng)} and the background"])), "multi.shapes",
                English.Number(one)),
        };
        var nameable = scenes[1].Objects.Where(o => ReferenceWords.Words(o, scenes[1], null, Cue.Colour | NoPlace) is not null).ToList();
        if (nameable.Count == 0)
        {
            // No object is singled out without its colour and place: one that its place singles out is asked about.
            nameable = [.. scenes[1].Objects.Where(o => ReferenceWords.Words(o, scenes[1], null, Cue.Colour) is not null)];
        }

        if (nameable.Count > 0)
        {
            var second = rng.Pick(nameable);
            // An object no words but its colour single out is named by its place (or order) instead.
            string r = ReferenceWords.The(second, scenes[1], rng, Cue.Colour | NoPlace)
                ?? ReferenceWords.The(second, scenes[1], rng, Cue.Colour) ?? "the " + second.ShapeName;
            turns.Add(new QaPair(rng.Pick([$"And in this one, what colour is {r}?", $"What about this one: what colour is {r}?",
                $"Now this one: what colour is {r}?", $"And in this one, which colour is {r}?"]),
                rng.Pick([$"Here {r} is {second.Color.Name}.", $"Here it is {second.Color.Name}.",
                    $"Here {r} has a {second.Color.Name} {Phrasing.Hue(rng)}.",
                        $"Here {r} is {second.Color.Name}, a {Phrasing.Family(second.Color)} colour.",
                    $"Here {r} is {second.Color.Name}, {Phrasing.Like(second.Color, rng)}.",
                    $"Here {r} comes in {second.Color.Name}."]) is var said ? Phrasing.WithLike(said, second.Color, rng) : "",
                "colour.name", second.Color.Name));
        }
        else
        {
            // No words single out any object of this image: it is asked how many shapes it has instead.
            turns.Add(CountQuestions.Total(scenes[1], rng));
        }

        string N = English.Number(last), S = English.Number(sum), noun = last == 1 ? "shape" : "shapes";
        string cmp = outcome switch { 0 => "more than", 1 => "fewer than", _ => "as many as" };
        string question = rng.Pick(["How many shapes are in this last image, and is that more than the first two together?",
            "How many objects does this last image have, and is that more than the first two together?",
            "In this last image, how many shapes are there, and is that more than in the first two together?",
            "And how many shapes are in this last image? Is that more than the first two together?"]);
        string answer = outcome == 0
            ? rng.Pick([$"Yes: this image has {N} {noun}, {cmp} the {S} in the first two together.",
                $"Yes. There are {N} {noun} here, and the first two together have {S}.",
                $"Yes, {N} {noun}, which beats the {S} of the first two together.",
                $"Yes, it does: {N} {noun} against {S} for the first two together."])
            : rng.Pick([$"No: this image has {N} {noun}, {cmp} the {S} in the first two together.",
                $"No. There are {N} {noun} here, {cmp} the {S} in the first two together.",
                $"No, it has {N} {noun}; the first two together have {S}, so this is {cmp} them.",
                $"No; with {N} {noun} it has {cmp} the {S} that the first two together hold."]);
        turns.Add(new QaPair(question, answer, "multi.more", outcome switch { 0 => "more", 1 => "fewer", _ => "same" }));
        return new Scenario
        {
            Kind = "multi_turn",
            Images = scenes.Select((s, i) => ProceduralScenarios.Plan(ability, index, i, 3, s)).ToList(),
            Facts = Facts(scenes),
            Slots = new Dictionary<string, string> { ["turns"] = "three" },
            TemplateTurns = turns,
        };
    }
}
