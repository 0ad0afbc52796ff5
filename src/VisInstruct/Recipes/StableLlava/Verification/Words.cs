using System.Globalization;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>What a word (or a few words read as one) means in the language of procedural dialogues.</summary>
internal enum WordKind
{
    /// <summary>Any other word, or a punctuation mark that ends a phrase.</summary>
    Other,
    Shape,
    AnyShape,
    Color,
    BackgroundColor,
    Size,
    Texture,
    Material,
    Place,
    Relation,
    Ordinal,
    Extreme,
    Direction,
    Number,
}

/// <summary>The relations between two objects the language names.</summary>
internal enum Relation
{
    LeftOf,
    RightOf,
    Above,
    Below,
    InFrontOf,
    Behind,
}

/// <summary>
/// One read word: its kind, its text (lower case, <c>grey</c> read as <c>gray</c>), the value it names (the enum's
/// number, a count, an ordinal) and whether a noun is plural.
/// </summary>
internal sealed record Word(WordKind Kind, string Text, int Value = 0, bool Plural = false)
{
    public bool Is(string text) => Kind == WordKind.Other && Text == text;

    public bool IsAttribute => Kind is WordKind.Color or WordKind.Size or WordKind.Texture or WordKind.Material
        or WordKind.Ordinal or WordKind.Extreme;

    public bool IsNoun => Kind is WordKind.Shape or WordKind.AnyShape;
}

/// <summary>
/// The verifier's own lexicon, written from <c>docs/procedural-language.md</c>: it splits a sentence into words and
/// reads the longest known phrase at each point (<c>lightning bolt</c>, <c>to the left of</c>, <c>top right</c>).
/// </summary>
internal static class Words
{
    /// <summary>The nine places by thirds: row (0 top, 1 middle, 2 bottom) * 3 + column (0 left, 1 centre, 2 right).</summary>
    public static readonly string[] PlaceNames =
        ["top left", "top", "top right", "left", "centre", "right", "bottom left", "bottom", "bottom right"];

    private static readonly Dictionary<string, Word> Phrases = Build();
    private static readonly int Longest = Phrases.Keys.Max(k => k.Split(' ').Length);

    /// <summary>The words of a sentence, lower case, punctuation kept as words of its own.</summary>
    public static List<Word> Read(string sentence)
    {
        var raw = Split(sentence);
        var result = new List<Word>();
        for (int i = 0; i < raw.Count;)
        {
            int taken = 0;
            for (int n = Math.Min(Longest, raw.Count - i); n >= 1 && taken == 0; n--)
            {
                if (Phrases.TryGetValue(string.Join(' ', raw.Skip(i).Take(n)), out var word))
                {
                    result.Add(word);
                    taken = n;
                }
            }

            if (taken == 0)
            {
                string text = raw[i];
                result.Add(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int digits)
                    ? new Word(WordKind.Number, text, digits)
                    : new Word(WordKind.Other, text));
                taken = 1;
            }

            i += taken;
        }

        return result;
    }

    /// <summary>The sentence as plain lower-case words joined by single spaces, for cue phrases.</summary>
    public static string Plain(string sentence) => " " + string.Join(' ', Split(sentence).Select(Normal)) + " ";

    public static string ShapeWord(ShapeKind shape, bool plural) => plural ? ShapeNames.Plural(shape) : ShapeNames.Name(shape);

    private static string Normal(string word) => word switch
    {
        "grey" => "gray",
        "colour" => "color",
        "colours" => "colors",
        "center" or "middle" => "centre",
        _ => word,
    };

    private static List<string> Split(string sentence)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (char c in sentence.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '-' || c == '\'')
            {
                current.Append(c);
                continue;
            }

            Flush(words, current);
            if (c is ',' or ';' or ':' or '.' or '?' or '!' or '(' or ')')
            {
                words.Add(c.ToString());
            }
        }

        Flush(words, current);
        return words;
    }

    private static void Flush(List<string> words, System.Text.StringBuilder current)
    {
        if (current.Length > 0)
        {
            string w = current.ToString().Trim('-', '\'');
            if (w.EndsWith("'s", StringComparison.Ordinal))
            {
                w = w[..^2];
            }

            if (w.Length > 0)
            {
                words.Add(w);
            }

            current.Clear();
        }
    }

    private static Dictionary<string, Word> Build()
    {
        var table = new Dictionary<string, Word>(StringComparer.Ordinal);
        void Add(WordKind kind, int value, string canonical, params string[] forms)
        {
            foreach (string form in forms)
            {
                table[form] = new Word(kind, canonical, value);
            }
        }

        foreach (var shape in Enum.GetValues<ShapeKind>())
        {
            table[ShapeNames.Name(shape)] = new Word(WordKind.Shape, ShapeNames.Name(shape), (int)shape);
            table[ShapeNames.Plural(shape)] = new Word(WordKind.Shape, ShapeNames.Name(shape), (int)shape, Plural: true);
        }

        foreach (string any in new[] { "shape", "object", "figure", "item", "thing" })
        {
            table[any] = new Word(WordKind.AnyShape, "shape");
            table[any + "s"] = new Word(WordKind.AnyShape, "shape", Plural: true);
        }

        for (int i = 0; i < NamedColor.Palette.Count; i++)
        {
            Add(WordKind.Color, i, NamedColor.Palette[i].Name, NamedColor.Palette[i].Name);
        }

        table["grey"] = table["gray"];
        for (int i = 0; i < NamedColor.Backgrounds.Count; i++)
        {
            string name = NamedColor.Backgrounds[i].Name;
            Add(WordKind.BackgroundColor, i, name, name, name.Replace("gray", "grey", StringComparison.Ordinal));
        }

        Add(WordKind.Size, (int)SizeClass.Small, "small", "small", "little", "tiny");
        Add(WordKind.Size, (int)SizeClass.Medium, "medium", "medium", "medium-sized", "medium sized");
        Add(WordKind.Size, (int)SizeClass.Large, "large", "large", "big", "huge");
        Add(WordKind.Texture, (int)Texture.Plain, "plain", "plain", "solid");
        Add(WordKind.Texture, (int)Texture.Striped, "striped", "striped");
        Add(WordKind.Texture, (int)Texture.Dotted, "dotted", "dotted", "spotted", "polka-dot", "polka dot");
        Add(WordKind.Texture, (int)Texture.Checked, "checked", "checked", "checkered");
        Add(WordKind.Material, (int)Material.Matte, "matte", "matte");
        Add(WordKind.Material, (int)Material.Glossy, "glossy", "glossy", "shiny");
        Add(WordKind.Material, (int)Material.Metallic, "metallic", "metallic", "metal");
        Add(WordKind.Material, (int)Material.Glass, "glass", "glass", "see-through", "see through", "transparent");
        for (int p = 0; p < PlaceNames.Length; p++)
        {
            Add(WordKind.Place, p, PlaceNames[p], PlaceNames[p]);
        }

        Add(WordKind.Place, 4, "centre", "center", "middle");
        Add(WordKind.Relation, (int)Relation.LeftOf, "left of", "to the left of");
        Add(WordKind.Relation, (int)Relation.RightOf, "right of", "to the right of");
        Add(WordKind.Relation, (int)Relation.Above, "above", "above");
        Add(WordKind.Relation, (int)Relation.Below, "below", "below", "beneath");
        Add(WordKind.Relation, (int)Relation.InFrontOf, "in front of", "in front of", "covering", "covers", "partly covering",
            "partly covers", "hiding", "hides", "partly hiding", "partly hides", "overlapping");
        Add(WordKind.Relation, (int)Relation.Behind, "behind", "behind", "partly hidden by", "hidden by", "partly covered by",
            "covered by", "partly behind");
        string[] ordinals = ["first", "second", "third", "fourth", "fifth", "sixth"];
        for (int i = 0; i < ordinals.Length; i++)
        {
            Add(WordKind.Ordinal, i + 1, ordinals[i], ordinals[i]);
        }

        Add(WordKind.Extreme, 0, "leftmost", "leftmost", "left-most");
        Add(WordKind.Extreme, 1, "rightmost", "rightmost", "right-most");
        Add(WordKind.Extreme, 2, "topmost", "topmost", "top-most");
        Add(WordKind.Extreme, 3, "bottom-most", "bottom-most", "bottommost", "bottom most");
        Add(WordKind.Direction, 0, "from the left", "from the left");
        Add(WordKind.Direction, 1, "from the right", "from the right");
        Add(WordKind.Direction, 2, "from the top", "from the top");
        Add(WordKind.Direction, 3, "from the bottom", "from the bottom");
        string[] numbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
        for (int i = 0; i < numbers.Length; i++)
        {
            Add(WordKind.Number, i, numbers[i], numbers[i]);
        }

        Add(WordKind.Number, 0, "zero", "none");
        Add(WordKind.Number, 1, "one", "single", "a single", "only one", "just one");
        return table;
    }
}
