using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The phrasing bank of the template writer: openings, synonyms and short true remarks about shapes, patterns, finishes
/// and colours, drawn per sample so that the same fact is said in many ways. No phrase here carries a colour, shape,
/// number or place word of its own, so an opening never changes what an answer states.
/// </summary>
internal static class Phrasing
{
    private static readonly string[] Openings =
    [
        "Looking at the picture, ", "From what I can see, ", "In this image, ", "As far as I can tell, ", "Judging by the image, ",
        "On close inspection, ", "Having looked carefully, ", "Taking a careful look, ", "At a glance, ", "Scanning the scene, ",
        "Studying the picture, ", "If you look closely, ", "Examining the image, ", "Upon inspection, ", "Observing the scene, ",
        "Checking the drawing, ", "Going by what is shown, ", "Based on the image, ", "Peering at the illustration, ",
        "Surveying the composition, ", "Glancing over the artwork, ", "Inspecting the graphic, ", "Zooming in, ",
        "Viewing the artwork, ", "To my eye, ", "By my reading, ", "Evidently, ", "Notably, ", "Interestingly, ",
        "Paying attention to detail, ", "After a quick look, ", "Considering the whole frame, ",
    ];

    private static readonly string[] Sure =
        ["Sure. ", "Certainly. ", "Of course. ", "Happy to help. ", "Good question. ", "Let me check. ", "Easy enough. ", "Gladly. ",
        "Absolutely. ", "With pleasure. ", "Here goes. "];

    /// <summary>An opening for a statement (empty about a third of the time): <c>Looking at the picture, </c>.</summary>
    public static string Opening(DeterministicRandom rng) => rng.NextInt(3) == 0 ? "" : rng.Pick(Openings);

    /// <summary>A short courtesy before an answer (empty most of the time).</summary>
    public static string Courtesy(DeterministicRandom rng) => rng.NextInt(4) == 0 ? rng.Pick(Sure) : "";

    /// <summary>
    /// <paramref name="sentence"/> with an opening, capitalised, with a full stop; with a closing remark now and then
    /// when <paramref name="closing"/> (for answers that point at one object).
    /// </summary>
    public static string State(DeterministicRandom rng, string sentence, bool closing = false)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        string opening = Opening(rng);
        string text = Courtesy(rng) + PromptSpec.Capitalize(opening.Length == 0 ? sentence : opening + LowerFirst(sentence));
        return (text.EndsWith('.') || text.EndsWith('!') ? text : text + ".") + (closing ? Closing(rng) : "");
    }

    /// <summary>The sentence with its first letter lower-cased, unless it is <c>I</c> or part of a capitalised word.</summary>
    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) && !text.StartsWith("I ", StringComparison.Ordinal)
            ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    /// <summary>The sentence capitalised with a full stop, no opening (yes/no answers begin with Yes or No).</summary>
    public static string Plain(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        string text = PromptSpec.Capitalize(sentence);
        return text.EndsWith('.') ? text : text + ".";
    }

    /// <summary><c>picture</c>, <c>image</c>, ...</summary>
    public static string Picture(DeterministicRandom rng) => rng.Pick(["picture", "image", "image", "picture", "scene", "illustration"]);

    /// <summary>The word for colour in an answer: <c>colour</c>, <c>hue</c>, <c>shade</c>, <c>tone</c>.</summary>
    public static string Hue(DeterministicRandom rng) => rng.Pick(["colour", "hue", "shade", "tone", "colour"]);

    /// <summary>A remark that is true of every drawn shape of this kind (no number or place words).</summary>
    public static string Gloss(ShapeKind shape) => shape switch
    {
        ShapeKind.Circle => "perfectly round",
        ShapeKind.Square => "with equal sides and square corners",
        ShapeKind.Rectangle => "wider than it is tall",
        ShapeKind.Triangle => "made of straight edges meeting at sharp corners",
        ShapeKind.Diamond => "like a square standing on its tip",
        ShapeKind.Hexagon => "shaped like a honeycomb cell",
        ShapeKind.Star => "with sharp pointed arms",
        ShapeKind.Heart => "the familiar symbol of love",
        ShapeKind.Ring => "hollow, like a donut",
        ShapeKind.Cross => "made of crossing bars",
        ShapeKind.Pentagon => "a regular polygon with straight edges",
        ShapeKind.Octagon => "shaped like a stop sign",
        ShapeKind.Oval => "a stretched, egg-like round",
        ShapeKind.Crescent => "curved like a new moon",
        ShapeKind.Arrow => "pointing like a signpost",
        ShapeKind.Trapezoid => "with slanted sides and flat edges",
        ShapeKind.Semicircle => "like half a disc",
        ShapeKind.Teardrop => "like a falling drop of water",
        ShapeKind.Cloud => "with a puffy, billowing outline",
        ShapeKind.Bolt => "a jagged zigzag",
        ShapeKind.Flower => "with rounded petals",
        _ => "with a pointed tip and a smooth curve",
    };

    /// <summary>How a texture looks: <c>covered in stripes</c>.</summary>
    public static string Looks(Texture texture, DeterministicRandom rng) => texture switch
    {
        Texture.Plain => rng.Pick(["filled evenly without any pattern", "a single even fill", "free of any pattern"]),
        Texture.Striped => rng.Pick(["covered in stripes", "patterned with parallel bands", "decorated with stripes"]),
        Texture.Dotted => rng.Pick(["sprinkled with dots", "covered in little spots", "speckled with round dots"]),
        _ => rng.Pick(["marked with a checkerboard pattern", "patterned like a chessboard", "covered in alternating tiles"]),
    };

    /// <summary>
    /// <c>looks</c> with an attribute word: <c>looks striped</c>, but <c>looks like glass</c> and <c>looks like metal</c>
    /// for the two that are nouns.
    /// </summary>
    public static string LooksWord(string word) => word is "glass" or "metal" ? "looks like " + word : "looks " + word;

    /// <summary>How a finish looks: <c>with a shiny, glossy surface</c>.</summary>
    public static string Finish(Material material, DeterministicRandom rng) => material switch
    {
        Material.Matte => rng.Pick(["with a dull, flat finish", "without any shine", "with a soft matte surface"]),
        Material.Glossy => rng.Pick(["with a shiny, glossy surface", "gleaming like polished plastic", "with a bright highlight"]),
        Material.Metallic => rng.Pick(["with a brushed-metal look", "gleaming like steel", "with bands of metallic sheen"]),
        _ => rng.Pick(["see-through like glass", "transparent, with a bright rim", "half clear, like a glass pane"]),
    };

    /// <summary>The family of a colour: warm, cool or neutral.</summary>
    public static string Family(NamedColor colour)
    {
        ArgumentNullException.ThrowIfNull(colour);
        return colour.Name switch
        {
            "red" or "orange" or "yellow" or "pink" or "magenta" or "maroon" => "warm",
            "black" or "gray" or "brown" => "neutral",
            _ => "cool",
        };
    }

    /// <summary>What a colour brings to mind (no other colour word): <c>like a ripe tomato</c>.</summary>
    public static string Like(NamedColor colour, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(colour);
        string[] options = colour.Name switch
        {
            "red" => ["like a ripe tomato", "like a fire engine", "like a strawberry"],
            "orange" => ["like a tangerine", "like a pumpkin", "like autumn leaves"],
            "yellow" => ["like a sunflower", "like a lemon", "like a rubber duck"],
            "green" => ["like fresh grass", "like a garden hedge", "like a frog"],
            "blue" => ["like the open sky", "like a sapphire", "like deep water"],
            "purple" => ["like ripe plums", "like violets", "like an amethyst"],
            "pink" => ["like candy floss", "like a flamingo", "like bubble gum"],
            "brown" => ["like chocolate", "like tree bark", "like roasted coffee"],
            "black" => ["like coal", "like ink", "like a moonless night"],
            "gray" => ["like storm clouds", "like a pebble", "like concrete"],
            "cyan" => ["like tropical water", "like a swimming pool", "like a clear lagoon"],
            "navy" => ["like a deep night sky", "like a sailor's uniform", "like dark denim"],
            "teal" => ["like a peacock feather", "like a mountain lake", "like sea glass"],
            "olive" => ["like an olive", "like army canvas", "like dry moss"],
            "maroon" => ["like dark cherries", "like red wine", "like a brick wall in shade"],
            "lime" => ["like a fresh lime", "like a tennis ball", "like spring shoots"],
            _ => ["like a fuchsia bloom", "like a neon sign", "like an orchid"],
        };
        return rng.Pick(options);
    }

    /// <summary>
    /// <paramref name="answer"/> with what its colour brings to mind added a third of the time, when it ends on the colour
    /// (<c>The star is red.</c> becomes <c>The star is red, like a strawberry.</c>).
    /// </summary>
    public static string WithLike(string answer, NamedColor colour, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(colour);
        return rng.NextInt(3) == 0 && answer.EndsWith(" " + colour.Name + ".", StringComparison.Ordinal)
            ? answer[..^1] + ", " + Like(colour, rng) + "." : answer;
    }

    /// <summary>A remark on a kind of background (no colour words): <c>a smooth fade</c>.</summary>
    public static string Backdrop(BackgroundKind kind, DeterministicRandom rng) => kind switch
    {
        BackgroundKind.Plain => rng.Pick(["an even, unpatterned backdrop", "a calm, uniform backdrop"]),
        BackgroundKind.Gradient => rng.Pick(["a smooth fade from one tone to another", "a gentle gradient"]),
        BackgroundKind.Checker => rng.Pick(["a board of alternating tiles", "a checkerboard backdrop"]),
        BackgroundKind.Stripes => rng.Pick(["a backdrop of parallel bands", "even bands running across"]),
        BackgroundKind.Dots => rng.Pick(["a scattering of dots", "a backdrop dusted with dots"]),
        BackgroundKind.Grid => rng.Pick(["a lattice of thin lines", "a grid like graph paper"]),
        BackgroundKind.Diagonal => rng.Pick(["slanting lines running across", "a pattern of diagonal lines"]),
        BackgroundKind.Horizon => rng.Pick(["a horizon dividing sky from ground", "a landscape-like split with a horizon"]),
        _ => rng.Pick(["rippling wavy lines", "a backdrop of gentle waves"]),
    };

    /// <summary>A remark on a drawing style: <c>crisp fills like a poster</c>.</summary>
    public static string Manner(DrawingStyle style, DeterministicRandom rng) => style switch
    {
        DrawingStyle.Flat => rng.Pick(["crisp fills like a poster", "clean, graphic colour areas", "a minimalist, vector look"]),
        DrawingStyle.Outlined => rng.Pick(["bold dark contours like a comic", "inked edges like a colouring book",
            "the look of a cartoon"]),
        DrawingStyle.Shaded => rng.Pick(["soft gradients that give depth", "gentle lighting that makes things look rounded",
            "an airbrushed, three-dimensional feel"]),
        _ => rng.Pick(["loose strokes without fill, like a pencil drawing", "a hand-drawn, doodle-like feel",
            "rough outlines like a quick marker sketch"]),
    };

    /// <summary>A closing remark for a statement (empty most of the time).</summary>
    public static string Closing(DeterministicRandom rng) => rng.NextInt(4) != 0 ? "" : rng.Pick([
        " It is easy to spot.", " Nothing else here looks quite like it.", " That stands out immediately.",
        " You cannot miss it.", " It is clearly visible.", " The drawing makes that quite obvious.", " There is little doubt about it.",
        " Hopefully that helps.", " It catches the eye at once."]);

    /// <summary>Verbs of seeing, for answers: <c>I can see</c>, <c>I notice</c>.</summary>
    public static string See(DeterministicRandom rng) =>
        rng.Pick(["I can see", "I see", "I notice", "I can make out", "I spot", "I observe", "I count"]);
}
