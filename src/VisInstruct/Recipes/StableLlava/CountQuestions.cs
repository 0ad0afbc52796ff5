using System.Globalization;
using VisInstruct.Randomness;
using VisInstruct.Rendering;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>A set of objects a plural reference names: which fit, and its words (<c>red circles</c>, <c>striped shapes</c>).</summary>
internal sealed record ObjectSet(Func<SceneObject, bool> Fits, string Plural, string Singular);

/// <summary>Questions about how many: one kind of object, all of them, the colours, the most common, whether one exists.</summary>
internal static class CountQuestions
{
    public static ObjectSet ByShape(ShapeKind shape) => new(o => o.Shape == shape, ShapeNames.Plural(shape), ShapeNames.Name(shape));

    public static ObjectSet ByColourShape(NamedColor colour, ShapeKind shape) => new(o => o.Shape == shape && o.Color == colour,
        colour.Name + " " + ShapeNames.Plural(shape), colour.Name + " " + ShapeNames.Name(shape));

    public static ObjectSet ByColour(NamedColor colour, DeterministicRandom rng)
    {
        string noun = ReferenceWords.Noun(rng);
        return new(o => o.Color == colour, colour.Name + " " + noun + "s", colour.Name + " " + noun);
    }

    /// <summary>The objects with the pattern, finish or size of <paramref name="item"/>: <c>striped shapes</c>.</summary>
    public static ObjectSet ByAttribute(SceneObject item, AttributeQuestions.Kind kind, DeterministicRandom rng)
    {
        string noun = ReferenceWords.Noun(rng);
        var (fits, word) = kind switch
        {
            AttributeQuestions.Kind.Texture => ((Func<SceneObject, bool>)(o => o.Texture == item.Texture),
                ReferenceWords.TextureWord(item.Texture, rng)),
            AttributeQuestions.Kind.Material => (o => o.Material == item.Material, ReferenceWords.MaterialWord(item.Material, rng)),
            _ => (o => o.Size == item.Size, ReferenceWords.SizeWord(item.Size, rng)),
        };
        return new(fits, word + " " + noun + "s", word + " " + noun);
    }

    /// <summary>
    /// A set to count with its count drawn first: every set the scene offers (each shape, one it lacks, each colour,
    /// colour and shape, a pattern, a finish, a size) grouped by how many it holds, a count drawn uniformly, then a set.
    /// </summary>
    public static ObjectSet BalancedSet(SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var sets = new List<ObjectSet>();
        foreach (var item in scene.Objects)
        {
            sets.Add(ByShape(item.Shape));
            sets.Add(ByColourShape(item.Color, item.Shape));
            sets.Add(ByColour(item.Color, rng));
            sets.Add(ByAttribute(item, (AttributeQuestions.Kind)rng.NextInt(3), rng));
        }

        sets.Add(ByShape(rng.Pick(ProceduralScenes.Shapes.Where(s => scene.Objects.All(o => o.Shape != s)).ToList())));
        var byCount = sets.GroupBy(s => scene.Objects.Count(s.Fits)).OrderBy(g => g.Key).ToList();
        return rng.Pick(rng.Pick(byCount).ToList());
    }

    /// <summary>A number in words (digits now and then).</summary>
    public static string Number(int n, DeterministicRandom rng) =>
        n > 0 && rng.NextInt(6) == 0 ? n.ToString(CultureInfo.InvariantCulture) : English.Number(n);

    /// <summary>How many objects of a set there are.</summary>
    public static QaPair Count(SceneSpec scene, ObjectSet set, string template, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(set);
        var members = scene.Objects.Where(set.Fits).ToList();
        int n = members.Count;
        string pl = set.Plural, pic = Phrasing.Picture(rng), N = Number(n, rng);
        string question = rng.Pick([$"How many {pl} are there?", $"How many {pl} can you see in the {pic}?",
            $"How many {pl} does the {pic} contain?", $"What is the number of {pl} in the {pic}?",
            $"Can you tell me how many {pl} there are?", $"How many {pl} are in this {pic}?"]);
        string answer = n switch
        {
            0 => rng.Pick([$"There are no {pl}.", $"There are no {pl} at all.", $"I do not see any {pl}; the count is zero.",
                $"Zero: the {pic} has no {pl}.", $"None at all; there are no {pl} here."]),
            1 => rng.Pick([$"There is one {set.Singular}.", $"Just one: {ReferenceWords.Full(members[0], rng)}.",
                $"Only one {set.Singular}.", $"The {pic} contains a single {set.Singular}, {SceneWords.Place(members[0], scene)}.",
                $"I count one {set.Singular}.",
                    $"A single one, {Phrasing.Gloss(members[0].Shape)}, {SceneWords.Place(members[0], scene)}."]),
            _ => rng.Pick([$"There are {N} {pl}.", $"{PromptSpec.Capitalize(N)} {pl}.", $"I count {N} {pl}.",
                $"The {pic} has {N} {pl}.", $"{PromptSpec.Capitalize(N)} in total: {List(members, rng)}.",
                $"Altogether {N}: {List(members, rng)}.", $"There are {N} of them.",
                $"Counting them up, the total is {N}.", $"Exactly {N} {pl} are visible.", $"You can find {N} {pl} here."]),
        };
        return new QaPair(question, Phrasing.State(rng, answer), template, n.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>How many objects there are in all.</summary>
    public static QaPair Total(SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        int n = scene.Objects.Count;
        string nouns = ReferenceWords.Nouns(rng), pic = Phrasing.Picture(rng), N = Number(n, rng);
        string question = rng.Pick([$"How many {nouns} are there in total?", $"How many {nouns} are in the {pic}?",
            $"How many {nouns} can you count?", $"How many {nouns} does this {pic} show?", $"How many {nouns} are there altogether?"]);
        string list = List(scene.Objects, rng);
        string answer = n == 1
            ? rng.Pick([$"There is one {ReferenceWords.Noun(rng)}: {list}.", $"Just one, {list}.", $"Only one: {list}."])
            : rng.Pick([$"There are {N} {nouns}: {list}.", $"{PromptSpec.Capitalize(N)} {nouns} in total.", $"I count {N}: {list}.",
                $"The {pic} shows {N} {nouns}.", $"{PromptSpec.Capitalize(N)} altogether: {list}.",
                    $"{Phrasing.See(rng)} {list}; that makes {N}."]);
        return new QaPair(question, Phrasing.State(rng, answer), "count.total", n.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>How many different colours the objects have.</summary>
    public static QaPair Colours(SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var colours = scene.Objects.Select(o => o.Color.Name).Distinct(StringComparer.Ordinal).ToList();
        int n = colours.Count;
        string pic = Phrasing.Picture(rng), N = Number(n, rng), nouns = ReferenceWords.Nouns(rng), list = SceneWords.List(colours);
        string question = rng.Pick([$"How many different colours are there?", $"How many different colours do the {nouns} have?",
            $"How many different colours can you see in the {pic}?", $"How many different colors appear in this {pic}?",
            $"How many colours do the {nouns} come in?"]);
        string answer = n == 1
            ? rng.Pick([$"Just one colour: everything is {list}.", $"Only one; all the {nouns} are {list}.", $"One colour, {list}."])
            : rng.Pick([$"There are {N} different colours: {list}.", $"{PromptSpec.Capitalize(N)} colours: {list}.",
                $"The {nouns} come in {N} colours, namely {list}.", $"I count {N} distinct colours ({list}).",
                $"{PromptSpec.Capitalize(N)}; the {pic} mixes {list}."]);
        return new QaPair(question, Phrasing.State(rng, answer), "count.colours", n.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Which shape is the most common, when one is strictly more common than every other; null otherwise.</summary>
    public static QaPair? CommonShape(SceneSpec scene, DeterministicRandom rng)
    {
        var groups = scene.Objects.GroupBy(o => o.Shape).OrderByDescending(g => g.Count()).ToList();
        if (groups.Count < 2 || groups[0].Count() == groups[1].Count())
        {
            return null;
        }

        var shape = groups[0].Key;
        string pl = ShapeNames.Plural(shape), pic = Phrasing.Picture(rng), N = Number(groups[0].Count(), rng);
        string question = rng.Pick([$"Which shape is most common?", $"Which shape is the most common in the {pic}?",
            $"In this {pic}, which shape is most common?", $"Which shape is most common here?"]);
        string answer = rng.Pick([$"{PromptSpec.Capitalize(pl)} are the most common: there are {N} of them.",
            $"The most common shape is the {ShapeNames.Name(shape)}, with {N}.", $"{PromptSpec.Capitalize(pl)}; {N} of them appear.",
            $"The {ShapeNames.Name(shape)}: it appears {N} times, more than any other shape.",
            $"{PromptSpec.Capitalize(pl)} outnumber the rest, {N} in all."]);
        return new QaPair(question, Phrasing.State(rng, answer), "common.most", ShapeNames.Name(shape));
    }

    /// <summary>Which colour is the most common, when one is strictly more common than every other; null otherwise.</summary>
    public static QaPair? CommonColour(SceneSpec scene, DeterministicRandom rng)
    {
        var groups = scene.Objects.GroupBy(o => o.Color.Name).OrderByDescending(g => g.Count()).ToList();
        if (groups.Count < 2 || groups[0].Count() == groups[1].Count())
        {
            return null;
        }

        string c = groups[0].Key, pic = Phrasing.Picture(rng), N = Number(groups[0].Count(), rng), nouns = ReferenceWords.Nouns(rng);
        string question = rng.Pick([$"Which colour is most common?", $"Which colour is the most common in the {pic}?",
            $"Which colour is most common among the {nouns}?", $"In this {pic}, which color is most common?"]);
        string answer = rng.Pick([$"{PromptSpec.Capitalize(c)} is the most common colour: {N} {nouns} are {c}.",
            $"The most common colour is {c}, with {N} {nouns}.",
                $"{PromptSpec.Capitalize(c)}; {N} of the {nouns} have that {Phrasing.Hue(rng)}.",
            $"{PromptSpec.Capitalize(c)} wins, with {N} {nouns}."]);
        return new QaPair(question, Phrasing.State(rng, answer), "common.most", c);
    }

    /// <summary>
    /// Whether an object exists: yes names an object of the scene by colour and shape, no a colour and shape the scene
    /// lacks (a shape it has in another colour where it can, so the answer can say what is there instead).
    /// </summary>
    public static QaPair Exists(SceneSpec scene, bool yes, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var item = rng.Pick(scene.Objects);
        var colour = yes ? item.Color
            : rng.Pick(NamedColor.Palette.Where(c => !scene.Objects.Any(o => o.Shape == item.Shape && o.Color == c)).ToList());
        var set = ByColourShape(colour, item.Shape);
        var members = scene.Objects.Where(set.Fits).ToList();
        bool plural = rng.NextBool();
        string pic = Phrasing.Picture(rng);
        string question = plural
            ? rng.Pick([$"Are there any {set.Plural}?", $"Are there any {set.Plural} in the {pic}?", $"Are there any {set.Plural} here?"])
            : rng.Pick([$"Is there {PromptSpec.Article(set.Singular)}?", $"Is there {PromptSpec.Article(set.Singular)} in the {pic}?",
                $"Is there {PromptSpec.Article(set.Singular)} anywhere in this {pic}?",
                    $"Is there {PromptSpec.Article(set.Singular)} here?"]);
        string answer;
        if (yes)
        {
            string where = SceneWords.Place(members[0], scene);
            answer = members.Count > 1
                ? rng.Pick([$"Yes, there are {English.Number(members.Count)} {set.Plural}.",
                    $"Yes: {English.Number(members.Count)} {set.Plural} appear in the {pic}."])
                : rng.Pick([$"Yes, there is one, {where}.", $"Yes, there is {PromptSpec.Article(set.Singular)} {where}.",
                    $"Yes; {ReferenceWords.Full(members[0], rng)} sits {where}.", $"Yes, exactly one, {where}.",
                    $"Yes, there is one {where}, {Phrasing.Gloss(item.Shape)}."]);
        }
        else
        {
            var same = scene.Objects.Where(o => o.Shape == item.Shape).ToList();
            string instead = same.Count == 1 ? $"the {item.ShapeName} here is {item.Color.Name}"
                : $"the {ShapeNames.Plural(item.Shape)} here are {SceneWords.List(same.Select(o => o.Color.Name).Distinct().ToList())}";
            answer = rng.Pick([$"No, there are no {set.Plural}; {instead}.", $"No. {PromptSpec.Capitalize(instead)}.",
                $"No, there is no {set.Singular} in the {pic}; {instead}.", $"No; {instead}, not {colour.Name}."]);
        }

        return new QaPair(question, answer, "exist.object", yes ? "yes" : "no");
    }

    /// <summary>The objects as a list of full descriptions.</summary>
    public static string List(IEnumerable<SceneObject> items, DeterministicRandom rng) =>
        SceneWords.List(items.Select(o => ReferenceWords.Full(o, rng)).ToList());
}
