using System.Globalization;
using VisInstruct.Randomness;
using VisInstruct.Rendering;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>Questions about the whole scene: its style, background, odd one out, what a description gets wrong, captions.</summary>
internal static class SceneQuestions
{
    private static readonly string[] CaptionFrames = ["{0} on {1}.", "A {2} drawing of {0} on {1}.", "{0}, set against {1}.",
        "An illustration showing {0} over {1}.", "{0}, drawn in {2} style on {1}.", "Simple {2} artwork: {0} on {1}.",
        "A tidy composition of {0} arranged on {1}.", "Geometric clip art with {0} against {1}.",
        "{0} scattered across {1}, in {2} style.", "A playful graphic featuring {0} on {1}.",
        "Colourful {2} shapes: {0}, resting on {1}.", "A minimal scene of {0}, placed on {1}.",
        "An abstract picture made of {0}, with {1} underneath.", "A digital drawing: {0} over {1}.",
        "{0} on {1}, rendered with {3}.", "A {2} picture of {0}; behind them lies {1}, {4}.",
        "{0} against {1}, a design with {3}.", "Shapes on {1}, {4}: {0}."];

    public static QaPair Style(SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        string pic = Phrasing.Picture(rng), style = SceneWords.Style(scene.Style), name = SceneWords.StyleName(scene.Style);
        string question = rng.Pick(["What style is this image?", "How is it drawn?", $"What style is the {pic} drawn in?",
            $"In what style is this {pic} drawn?", $"How is this {pic} drawn?", $"What drawing style does this {pic} use?"]);
        string answer = rng.Pick([$"It is drawn in {style}.", $"The {pic} uses {style}.", $"This is {name} style: {style}.",
            $"{PromptSpec.Capitalize(name)}. Everything is done in {style}.", $"The artist chose {style}.",
            $"It looks like {name} artwork: {Phrasing.Manner(scene.Style, rng)}.",
                $"{PromptSpec.Capitalize(name)} style, with {Phrasing.Manner(scene.Style, rng)}.",
            $"The {pic} is drawn in {style}, which gives it {Phrasing.Manner(scene.Style, rng)}."]);
        return new QaPair(question, Phrasing.State(rng, answer), "style.name", scene.Style.ToString().ToLowerInvariant());
    }

    public static QaPair Background(SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        string pic = Phrasing.Picture(rng), bg = SceneWords.Background(scene.Background), nouns = ReferenceWords.Nouns(rng);
        string question = rng.Pick(["What is the background?", "What is the background like?", $"What is the background of this {pic}?",
            "What is behind the shapes?", $"What is behind the objects in this {pic}?", $"What is the background of the {pic} like?"]);
        string answer = rng.Pick([$"The background is {bg}.", $"{PromptSpec.Capitalize(bg)}.", $"Behind the {nouns} there is {bg}.",
            $"It is {bg}, quiet enough for the {nouns} to stand out.", $"The {nouns} sit on {bg}.",
            $"The {nouns} are drawn over {bg}.", $"The background is {bg}: {Phrasing.Backdrop(scene.Background.Kind, rng)}.",
            $"{PromptSpec.Capitalize(bg)}, that is, {Phrasing.Backdrop(scene.Background.Kind, rng)}."]);
        return new QaPair(question, Phrasing.State(rng, answer), "background.kind",
            scene.Background.Kind.ToString().ToLowerInvariant());
    }

    /// <summary>The odd one out of a scene where all objects but one are alike; null when there is no such object.</summary>
    public static QaPair? OddOneOut(SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        int index = ProceduralScenes.OddIndex(scene);
        if (index < 0)
        {
            return null;
        }

        var odd = scene.Objects[index];
        var common = scene.Objects[index == 0 ? 1 : 0];
        var (value, why) = Difference(odd, common, rng);
        string commons = Plural(common, rng, scene), full = ReferenceWords.FullThe(odd, rng), place = SceneWords.Place(odd, scene);
        int others = scene.Objects.Count - 1;
        string question = rng.Pick(["What is unusual in this image?", "Which shape does not belong here?",
            $"What is out of place in this {Phrasing.Picture(rng)}?", "Which object does not belong with the others?",
            $"What looks unusual in this {Phrasing.Picture(rng)}?", "Which figure is out of place?"]);
        string answer = rng.Pick([
            $"All the {ReferenceWords.Nouns(rng)} are {commons} except one: {full} {place} is the odd one out, because {why}.",
            $"{PromptSpec.Capitalize(full)} {place} does not belong: {why}, while the other {English.Number(others)} are {commons}.",
            $"The odd one out is {full} {place}. The rest are {English.Number(others)} {commons}, and {why}.",
            $"{PromptSpec.Capitalize(full)} stands out {place}; {why}, unlike the {commons}.",
            $"Among {English.Number(others)} {commons}, {full} {place} is out of place since {why}.",
            $"The {ShapeNames.Plural(common.Shape)} here, each {Phrasing.Gloss(common.Shape)}, are {commons} "
                + $"except {full} {place}: {why}."]);
        return new QaPair(question, Phrasing.State(rng, answer, closing: true), "odd.one_out", value);
    }

    /// <summary>The word that sets <paramref name="odd"/> apart and a clause saying how.</summary>
    private static (string Value, string Why) Difference(SceneObject odd, SceneObject common, DeterministicRandom rng)
    {
        if (odd.Color != common.Color)
        {
            return (odd.Color.Name, $"its {Phrasing.Hue(rng)} is {odd.Color.Name} instead of {common.Color.Name}");
        }

        if (odd.Shape != common.Shape)
        {
            return (odd.ShapeName, $"it is {PromptSpec.Article(odd.ShapeName)}, {Phrasing.Gloss(odd.Shape)}");
        }

        if (odd.Size != common.Size)
        {
            string s = ReferenceWords.SizeWord(odd.Size);
            return (s, $"it is {s} while the others are {ReferenceWords.SizeWord(common.Size)}");
        }

        if (odd.Texture != common.Texture)
        {
            string t = ReferenceWords.TextureWord(odd.Texture);
            return (t, $"it is {t}, {Phrasing.Looks(odd.Texture, rng)}");
        }

        string m = ReferenceWords.MaterialWord(odd.Material);
        return (m, $"it {Phrasing.LooksWord(m)}, {Phrasing.Finish(odd.Material, rng)}");
    }

    /// <summary>The plural of an object's full description: <c>medium striped red hearts</c>.</summary>
    public static string Plural(SceneObject item, DeterministicRandom? rng, SceneSpec? scene = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        // Where another object of the scene differs only in pattern or finish, "plain" or "matte" is said, so that the
        // words (and a number before them) name exactly the alike objects.
        var alike = scene?.Objects.Where(o => o.Shape == item.Shape && o.Color == item.Color && o.Size == item.Size).ToList() ?? [];
        bool texture = item.Texture != Texture.Plain || alike.Any(o => o.Texture != item.Texture);
        bool material = item.Material != Material.Matte || alike.Any(o => o.Material != item.Material);
        var cues = Cue.Colour | Cue.Size | (texture ? Cue.Texture : Cue.None) | (material ? Cue.Material : Cue.None);
        return ReferenceWords.Phrase(item, cues, ShapeNames.Plural(item.Shape), rng);
    }

    /// <summary>The objects grouped by their full description, with counts: <c>two small red circles and a blue star</c>.</summary>
    public static string Grouped(SceneSpec scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var groups = scene.Objects.GroupBy(o => ReferenceWords.Full(o), StringComparer.Ordinal).ToList();
        return SceneWords.List(groups.Select(g => g.Count() == 1 ? g.Key : English.Number(g.Count()) + " " + Plural(g.First(), null, scene))
            .ToList());
    }

    /// <summary>
    /// A described list of the scene's objects with one object it lacks among them: which is not in the picture.
    /// The lacking one shares its shape or its colour with an object that is there.
    /// </summary>
    public static QaPair Missing(SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var pick = rng.Pick(scene.Objects);
        var colours = NamedColor.Palette.Where(c => !scene.Objects.Any(o => o.Shape == pick.Shape && o.Color == c)).ToList();
        var shapes = ProceduralScenes.Shapes.Where(s => !scene.Objects.Any(o => o.Shape == s && o.Color == pick.Color)).ToList();
        var (shape, colour) = rng.NextBool() ? (pick.Shape, rng.Pick(colours)) : (rng.Pick(shapes), pick.Color);
        string missing = colour.Name + " " + ShapeNames.Name(shape);
        var named = scene.Objects.GroupBy(o => (o.Color.Name, o.Shape)).Select(g => g.Count() == 1
            ? PromptSpec.Article(g.Key.Name + " " + ShapeNames.Name(g.Key.Shape))
            : English.Number(g.Count()) + " " + g.Key.Name + " " + ShapeNames.Plural(g.Key.Shape)).ToList();
        var described = named.Append(PromptSpec.Article(missing)).ToList();
        rng.Shuffle(described);
        string list = SceneWords.List(described), pic = Phrasing.Picture(rng), present = SceneWords.List(named);
        string question = rng.Pick([$"Someone describes this {pic} as showing {list}; what is missing?",
            $"Which of these is not in the {pic}: {list}?", $"Someone describes the {pic} with {list}. What is missing?",
            $"Which of these is not in the {pic}? {PromptSpec.Capitalize(list)}."]);
        string answer = rng.Pick([$"The {missing} is missing: the {pic} has {present}, but no {missing}.",
            $"There is no {missing}; everything else ({present}) is there.", $"{PromptSpec.Capitalize(PromptSpec.Article(missing))}. "
                + $"The {pic} shows {present} and nothing more.",
            $"The description is wrong about the {missing}; only {present} appear.",
            $"No {missing} can be seen. The {pic} contains {present}.",
            $"The {missing} is absent; {PromptSpec.Article(ShapeNames.Name(shape))} would be {Phrasing.Gloss(shape)}, "
                + $"and none is drawn in {colour.Name}."]);
        return new QaPair(question, Phrasing.State(rng, answer), "missing.object", ShapeNames.Name(shape));
    }

    /// <summary>A one-sentence caption: every object named with its colour and shape, counts as they are.</summary>
    public static QaPair Caption(string question, SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        string text = rng.NextInt(5) == 0 ? SceneWords.Caption(scene)
            : PromptSpec.Capitalize(string.Format(CultureInfo.InvariantCulture, rng.Pick(CaptionFrames), Grouped(scene),
                SceneWords.Background(scene.Background), SceneWords.StyleName(scene.Style), Phrasing.Manner(scene.Style, rng),
                Phrasing.Backdrop(scene.Background.Kind, rng)));
        return new QaPair(question, text, "caption", scene.Objects.Count.ToString(CultureInfo.InvariantCulture));
    }
}
