namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The cleaning of Visual Genome's free-text names before they become question subjects: names that are not objects
/// and body parts are dropped as objects (they stay in region phrases, where they read as written), doubled words are
/// made single, and a few common misspellings are corrected.
/// </summary>
internal static class SceneCleaning
{
    /// <summary>
    /// Whole names (group keys) that Visual Genome boxes but that are not objects one can ask about on their own: a
    /// colour or a material quality ("colour"), a part or side of some other object ("back", "front", "top", "edge"),
    /// a stretch of the image rather than a thing ("area", "background", "section"), or an effect of light ("shadow",
    /// "shade", "reflection"). "Where is the colour?" or "the back is white" has no one referent. Only whole names
    /// match, so "back pack" or "street light" stay. "light" itself is kept: in Visual Genome it is mostly a lamp.
    /// </summary>
    public static readonly IReadOnlySet<string> NotObjects = new HashSet<string>(StringComparer.Ordinal)
    {
        "colour", "color", "back", "front", "side", "top", "bottom", "part", "edge", "area", "background", "foreground",
        "shadow", "shade", "reflection", "line", "spot", "section", "piece", "surface", "middle", "center", "centre",
        "corner", "end", "half", "distance", "view", "scene", "day", "daytime", "design", "pattern", "patch", "tip",
    };

    /// <summary>
    /// Body parts. Visual Genome boxes a person's chin, arm or hair and tags them with trivial attributes ("the chin is
    /// raised", "the hand is on the left"); as question subjects they read as noise and crowd out the objects, so they
    /// are dropped as objects. The person stays, and region phrases ("man is holding his chin") keep them.
    /// </summary>
    public static readonly IReadOnlySet<string> BodyParts = new HashSet<string>(StringComparer.Ordinal)
    {
        "chin", "nose", "ear", "eye", "eyebrow", "eyelash", "hand", "finger", "fingernail", "thumb", "arm", "elbow",
        "wrist", "shoulder", "leg", "knee", "foot", "toe", "head", "hair", "mouth", "lip", "tooth", "tongue", "face",
        "neck", "cheek", "forehead", "chest", "stomach", "belly", "beard", "mustache", "moustache", "skin", "body",
        "torso", "hip", "thigh", "ankle", "heel", "palm", "fist", "jaw", "eyeball",
    };

    /// <summary>
    /// Misspellings seen in Visual Genome names and phrases whose correction is certain: each is not an English word and
    /// has one intended word ("bckground", "prked" in the fixture records; the rest are frequent in the full set).
    /// Nothing ambiguous ("re", "ot") is corrected.
    /// </summary>
    private static readonly Dictionary<string, string> Spelling = new(StringComparer.Ordinal)
    {
        ["bckground"] = "background", ["backround"] = "background", ["prked"] = "parked", ["buidling"] = "building",
        ["builing"] = "building", ["sidwalk"] = "sidewalk", ["sidewak"] = "sidewalk", ["windwo"] = "window",
        ["whte"] = "white", ["blakc"] = "black", ["grren"] = "green", ["yelow"] = "yellow", ["tshirt"] = "t-shirt",
        ["tshirts"] = "t-shirts", ["giraff"] = "giraffe", ["elepant"] = "elephant", ["umbrela"] = "umbrella",
    };

    /// <summary>
    /// Visual Genome synsets of body parts and non-objects whose head word is not itself in <see cref="NotObjects"/> or
    /// <see cref="BodyParts"/> (an animal's parts, marks and writing): an object with one of them is no question subject,
    /// whatever its name ("his tail", "zebra stripes").
    /// </summary>
    public static readonly IReadOnlySet<string> DroppedSynsets = new HashSet<string>(StringComparer.Ordinal)
    {
        "tail.n.01", "mane.n.01", "paw.n.01", "hoof.n.01", "fur.n.01", "horn.n.02", "trunk.n.04", "body_part.n.01",
        "stripe.n.01", "stripe.n.05", "writing.n.01", "word.n.01", "letter.n.02", "mark.n.01", "crack.n.01",
    };

    /// <summary>The head word of a synset, underscores as spaces: "gym_shoe.n.01" → "gym shoe".</summary>
    public static string SynsetHead(string synset)
    {
        ArgumentNullException.ThrowIfNull(synset);
        int dot = synset.IndexOf('.', StringComparison.Ordinal);
        return (dot < 0 ? synset : synset[..dot]).Replace('_', ' ');
    }

    /// <summary>
    /// Whether a synset marks a body part or a non-object: one of <see cref="DroppedSynsets"/>, or a synset whose head
    /// word is a name dropped by <see cref="IsDropped"/> ("hand.n.01", "shade.n.01"). Null (no synset) is never dropped.
    /// </summary>
    public static bool IsDroppedSynset(string? synset) =>
        synset is not null && (DroppedSynsets.Contains(synset) || IsDropped(SynsetHead(synset)));

    /// <summary>Whether a group key names something that is not a question subject: a non-object or a body part.</summary>
    public static bool IsDropped(string key) => NotObjects.Contains(key) || BodyParts.Contains(key);

    /// <summary>
    /// A normalised text with known misspellings corrected and doubled words made single: a word repeated ("the the")
    /// keeps one, and a word followed by a form derived from it ("wood wooden", "glass glassy")
    /// keeps the derived form, the adjective.
    /// </summary>
    public static string Clean(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var words = text.Split(' ').Select(w => Spelling.TryGetValue(w, out string? fixedWord) ? fixedWord : w).ToList();
        var result = new List<string>(words.Count);
        foreach (string word in words)
        {
            if (result.Count > 0 && IsDoubled(result[^1], word))
            {
                result[^1] = word;
                continue;
            }

            result.Add(word);
        }

        return string.Join(' ', result);
    }

    /// <summary>Whether two neighbouring words are one word twice, or a word and its derived form ("wood wooden").</summary>
    public static bool IsDoubled(string first, string second)
    {
        if (first.Length == 0 || !first.All(char.IsAsciiLetter) || !second.All(char.IsAsciiLetter))
        {
            return false;
        }

        if (first == second)
        {
            return true;
        }

        string[] suffixes = ["en", "ic", "ical", "y", "ed", "ish"];
        return first.Length >= 3 && second.StartsWith(first, StringComparison.Ordinal)
            && suffixes.Contains(second[first.Length..], StringComparer.Ordinal);
    }
}
