using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>Questions about one object's attributes: its colour, pattern, finish and size, asked or checked.</summary>
internal static class AttributeQuestions
{
    /// <summary>The attributes a question may ask about besides the colour.</summary>
    public enum Kind
    {
        Texture,
        Material,
        Size,
    }

    /// <summary>What colour an object is, named without its colour; null when no words single it out.</summary>
    public static QaPair? ColourName(SceneSpec scene, SceneObject item, DeterministicRandom rng)
    {
        if (ReferenceWords.The(item, scene, rng, Cue.Colour) is not { } r)
        {
            return null;
        }

        string c = item.Color.Name, pic = Phrasing.Picture(rng), hue = Phrasing.Hue(rng), R = PromptSpec.Capitalize(r);
        string question = rng.Pick([$"What colour is {r}?", $"Which colour is {r}?", $"What is the colour of {r}?",
            $"What color is {r} in the {pic}?", $"Can you tell me what colour {r} is?", $"In this {pic}, what colour is {r}?"]);
        string answer = rng.Pick([$"{R} is {c}.", $"It is {c}.", $"{R} is coloured {c}.", $"{R} has a {c} {hue}.",
            $"The {hue} of {r} is {c}.", $"{R} is {c}, a {Phrasing.Family(item.Color)} {hue}.",
            $"{R} appears {c}.", $"That {item.ShapeName} is {c}.", $"{R} is {c}, {Phrasing.Like(item.Color, rng)}.",
            $"It is {c}, {Phrasing.Like(item.Color, rng)}.", $"{R}, {Phrasing.Gloss(item.Shape)}, is {c}.",
            $"{R} is {c}; it is {Phrasing.Gloss(item.Shape)}."]);
        return new QaPair(question, Phrasing.State(rng, Note(Phrasing.WithLike(answer, item.Color, rng), item, scene, rng), closing: true),
            "colour.name", c);
    }

    /// <summary>Whether an object is a colour: yes with its own colour, no with another (one the scene shows where it can).</summary>
    public static QaPair? ColourCheck(SceneSpec scene, SceneObject item, bool yes, DeterministicRandom rng)
    {
        if (ReferenceWords.The(item, scene, rng, Cue.Colour) is not { } r)
        {
            return null;
        }

        var others = scene.Objects.Select(o => o.Color).Where(c => c != item.Color).Distinct().ToList();
        var asked = yes ? item.Color
            : others.Count > 0 && rng.NextBool() ? rng.Pick(others) : rng.Pick(NamedColor.Palette.Where(c => c != item.Color).ToList());
        string a = asked.Name, c = item.Color.Name, pic = Phrasing.Picture(rng), hue = Phrasing.Hue(rng), R = PromptSpec.Capitalize(r);
        string question = rng.Pick([$"Is {r} {a}?", $"Tell me, is {r} {a}?", $"In this {pic}, is {r} {a}?",
            $"Looking at the {pic}, is {r} {a}?", $"Quick check: is {r} {a}?", $"Is {r} {a} in this {pic}?"]);
        string answer = yes
            ? rng.Pick([$"Yes, {r} is {c}.", $"Yes, it is {c}.", $"Yes. {R} is indeed {c}.", $"Yes, correct: {r} has a {c} {hue}.",
                $"Yes, {r} is clearly {c}.", $"Yes, {c} is exactly its {hue}.", $"Yes, it is {c}, {Phrasing.Like(item.Color, rng)}.",
                $"Yes: a {Phrasing.Family(item.Color)} {c}, {Phrasing.Like(item.Color, rng)}."])
            : rng.Pick([$"No, {r} is {c}, not {a}.", $"No, it is {c}.", $"No. {R} is actually {c}.",
                $"No, {r} has a {c} {hue} rather than {a}.", $"No; it is not {a} but {c}.", $"No, its {hue} is {c}.",
                $"No, it is {c}, {Phrasing.Like(item.Color, rng)}.", $"No, that is wrong: the real {hue} is {c}."]);
        return new QaPair(question, Phrasing.WithLike(answer, item.Color, rng), "colour.check", yes ? "yes" : "no");
    }

    /// <summary>The pattern, finish or size of an object, named without that attribute.</summary>
    public static QaPair? Name(SceneSpec scene, SceneObject item, Kind kind, DeterministicRandom rng)
    {
        var without = kind switch { Kind.Texture => Cue.Texture, Kind.Material => Cue.Material, _ => Cue.Size };
        if (ReferenceWords.The(item, scene, rng, without) is not { } r)
        {
            return null;
        }

        string R = PromptSpec.Capitalize(r), pic = Phrasing.Picture(rng);
        switch (kind)
        {
            case Kind.Texture:
            {
                string t = ReferenceWords.TextureWord(item.Texture, rng), looks = Phrasing.Looks(item.Texture, rng);
                string question = rng.Pick([$"What pattern does {r} have?", $"What texture is {r}?", $"What pattern is on {r}?",
                    $"What is the texture of {r}?", $"In this {pic}, what pattern does {r} have?"]);
                string answer = rng.Pick([$"{R} is {t}.", $"It is {t}: {looks}.", $"{R} is {looks}, so its texture is {t}.",
                    $"The pattern is {t}.", $"{R} has a {t} texture.", $"{R} looks {t}, {looks}."]);
                return new QaPair(question, Phrasing.State(rng, answer), "attribute.texture", ReferenceWords.TextureWord(item.Texture));
            }

            case Kind.Material:
            {
                string m = ReferenceWords.MaterialWord(item.Material, rng), finish = Phrasing.Finish(item.Material, rng);
                string question = rng.Pick([$"What is {r} made of?", $"What material is {r}?", $"What is the material of {r}?",
                    $"What does {r} seem to be made of?", $"What material does {r} look like in this {pic}?"]);
                string answer = rng.Pick([$"{R} {Phrasing.LooksWord(m)}, {finish}.", $"It is {m}.", $"{R} is {m}: {finish}.",
                    $"It appears to be {m}, {finish}.", $"The material is {m}.", $"{R} has a {m} finish."]);
                return new QaPair(question, Phrasing.State(rng, answer), "attribute.material",
                    ReferenceWords.MaterialWord(item.Material));
            }

            default:
            {
                string s = ReferenceWords.SizeWord(item.Size, rng);
                string question = rng.Pick([$"What size is {r}?", $"What size would you say {r} is?", $"In this {pic}, what size is {r}?",
                    $"What size is {r} in this {pic}?", $"What is the size of {r}?"]);
                string answer = rng.Pick([$"{R} is {s}.", $"It is {s}.", $"{R} is {s} in size.", $"It is a {s} {item.ShapeName}.",
                    $"Compared with the rest, {r} is {s}.", $"{R} is drawn {s}."]);
                return new QaPair(question, Phrasing.State(rng, answer), "attribute.size", ReferenceWords.SizeWord(item.Size));
            }
        }
    }

    /// <summary>Whether an object has a pattern, finish or size: yes with its own, no with another.</summary>
    public static QaPair? Check(SceneSpec scene, SceneObject item, Kind kind, bool yes, DeterministicRandom rng)
    {
        var without = kind switch { Kind.Texture => Cue.Texture, Kind.Material => Cue.Material, _ => Cue.Size };
        if (ReferenceWords.The(item, scene, rng, without) is not { } r)
        {
            return null;
        }

        (string Real, string Asked) words = kind switch
        {
            Kind.Texture => (ReferenceWords.TextureWord(item.Texture, rng), ReferenceWords.TextureWord(yes ? item.Texture
                : rng.Pick(Enum.GetValues<Texture>().Where(t => t != item.Texture).ToList()), rng)),
            Kind.Material => (ReferenceWords.MaterialWord(item.Material, rng), ReferenceWords.MaterialWord(yes ? item.Material
                : rng.Pick(Enum.GetValues<Material>().Where(m => m != item.Material).ToList()), rng)),
            _ => (ReferenceWords.SizeWord(item.Size, rng), ReferenceWords.SizeWord(yes ? item.Size
                : rng.Pick(Enum.GetValues<SizeClass>().Where(s => s != item.Size).ToList()), rng)),
        };
        var (real, asked) = words;
        string question = rng.Pick([$"Is {r} {asked}?", $"Tell me, is {r} {asked}?", $"Looking closely, is {r} {asked}?",
            $"In this {Phrasing.Picture(rng)}, is {r} {asked}?", $"Is {r} {asked} or not?"]);
        string answer = yes
            ? rng.Pick([$"Yes, {r} is {real}.", $"Yes, it is {real}.", $"Yes, indeed: {r} {Phrasing.LooksWord(real)}.",
                $"Yes, {real} describes it well.",
                $"Yes, {r} is {real}; {Describe(item, kind, rng)}."])
            : rng.Pick([$"No, {r} is {real}, not {asked}.", $"No, it is {real}.",
                $"No. {PromptSpec.Capitalize(r)} {Phrasing.LooksWord(real)} instead.",
                $"No, it is not {asked}; it is {real}.", $"No, {r} is {real}: {Describe(item, kind, rng)}."]);
        return new QaPair(question, answer, "attribute.check", yes ? "yes" : "no");
    }

    /// <summary>How an object's pattern, finish or size looks, in words.</summary>
    private static string Describe(SceneObject item, Kind kind, DeterministicRandom rng) => kind switch
    {
        Kind.Texture => "it is " + Phrasing.Looks(item.Texture, rng),
        Kind.Material => "it is drawn " + Phrasing.Finish(item.Material, rng),
        _ => item.Size switch
        {
            SizeClass.Small => rng.Pick(["it is among the smallest sizes", "it takes up little room"]),
            SizeClass.Medium => rng.Pick(["it sits between the extremes", "it is of middling size"]),
            _ => rng.Pick(["it takes up a lot of room", "it is drawn at the largest size"]),
        },
    };

    /// <summary>The answer with the occlusion of its object stated, when another object hides part of it or it hides part of one.</summary>
    public static string Note(string answer, SceneObject item, SceneSpec scene, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(scene);
        int index = IndexOf(scene, item);
        foreach (var occlusion in scene.Occlusions)
        {
            if (occlusion.Back == index && Named(scene.Objects[occlusion.Front], scene) is { } front)
            {
                return answer.TrimEnd('.') + ", " + rng.Pick(["partly hidden behind ", "partly covered by ",
                    "partly hidden by "]) + front + ".";
            }

            if (occlusion.Front == index && Named(scene.Objects[occlusion.Back], scene) is { } back)
            {
                return answer.TrimEnd('.') + ", " + rng.Pick(["in front of ", "partly covering "]) + back + ".";
            }
        }

        return answer;
    }

    /// <summary>
    /// An object named by its colour and shape when that fits it alone (<c>the blue star</c>), else by the shortest words.
    /// </summary>
    private static string? Named(SceneObject item, SceneSpec scene) =>
        scene.Objects.Count(o => o.Shape == item.Shape && o.Color == item.Color) == 1
            ? "the " + ReferenceWords.Phrase(item, Cue.Colour, item.ShapeName, null) : ReferenceWords.The(item, scene);

    /// <summary>The index of <paramref name="item"/> in the scene (by reference, then by value).</summary>
    public static int IndexOf(SceneSpec scene, SceneObject item)
    {
        ArgumentNullException.ThrowIfNull(scene);
        for (int i = 0; i < scene.Objects.Count; i++)
        {
            if (ReferenceEquals(scene.Objects[i], item))
            {
                return i;
            }
        }

        return scene.Objects.ToList().IndexOf(item);
    }
}
