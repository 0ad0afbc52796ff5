using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Text;

namespace VisInstruct.Recipes.Annotated;

/// <summary>English for the procedural questions: name keys, singular and plural, numbers, lists and sentences.</summary>
internal static partial class Words
{
    private static readonly Dictionary<string, string> IrregularPlural = new(StringComparer.Ordinal)
    {
        ["man"] = "men", ["woman"] = "women", ["person"] = "people", ["child"] = "children", ["foot"] = "feet",
        ["tooth"] = "teeth", ["mouse"] = "mice", ["goose"] = "geese", ["knife"] = "knives", ["leaf"] = "leaves",
        ["shelf"] = "shelves", ["wolf"] = "wolves", ["sheep"] = "sheep", ["deer"] = "deer", ["fish"] = "fish",
    };

    private static readonly Dictionary<string, string> IrregularSingular =
        IrregularPlural.Where(p => p.Key != p.Value).ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The object name as the questions use it: lower-case, trimmed, single spaces.</summary>
    public static string Normalize(string text) => Spaces().Replace(text.Trim(), " ").ToLowerInvariant();

    /// <summary>Whether a normalised name is plain words (letters, spaces, hyphens, apostrophes) fit for a sentence.</summary>
    public static bool IsWordy(string name) => name.Length is > 0 and <= 40 && WordyName().IsMatch(name);

    /// <summary>
    /// The grouping key of a normalised name: its last word made singular, naively (on words of four letters or more
    /// that end in <c>s</c> but not <c>ss</c>: <c>ies</c> → <c>y</c>; <c>sses</c>, <c>xes</c>, <c>zes</c>,
    /// <c>ches</c>, <c>shes</c> lose <c>es</c>; else the <c>s</c> goes; a few irregular plurals are mapped), so that
    /// "bike" and "bikes", "man" and "men", "wine glass" and "wine glasses" fall in one group.
    /// </summary>
    public static string Key(string name)
    {
        int space = name.LastIndexOf(' ');
        string head = space < 0 ? "" : name[..(space + 1)];
        string last = space < 0 ? name : name[(space + 1)..];
        if (IrregularSingular.TryGetValue(last, out string? singular))
        {
            return head + singular;
        }

        if (last.Length < 4 || !last.EndsWith('s') || last.EndsWith("ss", StringComparison.Ordinal))
        {
            return name;
        }

        if (last.Length > 4 && last.EndsWith("ies", StringComparison.Ordinal))
        {
            return head + last[..^3] + "y";
        }

        string[] esEndings = ["sses", "xes", "zes", "ches", "shes"];
        return esEndings.Any(e => last.EndsWith(e, StringComparison.Ordinal)) ? head + last[..^2] : head + last[..^1];
    }

    /// <summary>Whether a name reads as a plural ("bikes", "glasses", "men"): its key differs from it.</summary>
    public static bool IsPlural(string name) => Key(name) != name;

    /// <summary>The plural of a singular name (its last word): "bike" → "bikes", "bus" → "buses", "man" → "men".</summary>
    public static string Plural(string name)
    {
        if (IsPlural(name))
        {
            return name;
        }

        int space = name.LastIndexOf(' ');
        string head = space < 0 ? "" : name[..(space + 1)];
        string last = space < 0 ? name : name[(space + 1)..];
        if (IrregularPlural.TryGetValue(last, out string? plural))
        {
            return head + plural;
        }

        if (last.EndsWith('s') || last.EndsWith('x') || last.EndsWith('z') || last.EndsWith("ch", StringComparison.Ordinal)
            || last.EndsWith("sh", StringComparison.Ordinal))
        {
            return head + last + "es";
        }

        if (last.Length > 1 && last.EndsWith('y') && !"aeiou".Contains(last[^2], StringComparison.Ordinal))
        {
            return head + last[..^1] + "ies";
        }

        return head + last + "s";
    }

    /// <summary><c>is</c> or <c>are</c>, agreeing with the name.</summary>
    public static string Be(string name) => IsPlural(name) ? "are" : "is";

    /// <summary>"a clock", "an apple"; a plural name has no article.</summary>
    public static string Indefinite(string name) =>
        IsPlural(name) ? name : ("aeiou".Contains(name[0], StringComparison.Ordinal) ? "an " : "a ") + name;

    /// <summary>Like <see cref="English.Number"/> but "none" for zero, for "none in the left half".</summary>
    public static string NumberOrNone(int n) => n == 0 ? "none" : English.Number(n);

    /// <summary>The value of a number word from <see cref="English.Number"/> or <see cref="NumberOrNone"/>; -1 when it is none.</summary>
    public static int ParseNumber(string word)
    {
        if (word == "none")
        {
            return 0;
        }

        for (int n = 0; n <= 10; n++)
        {
            if (English.Number(n) == word)
            {
                return n;
            }
        }

        return int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : -1;
    }

    /// <summary>"one clock", "two men": a count with the name in agreement.</summary>
    public static string Count(int n, string singularName) => English.Number(n) + " " + (n == 1 ? singularName : Plural(singularName));

    /// <summary>A list in words: <c>a</c>, <c>a and b</c>, <c>a, b and c</c>.</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    public static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];

    /// <summary>
    /// A well-formed sentence from a caption or phrase: trimmed, single spaces, no space before punctuation, a capital
    /// first letter and a final period unless it already ends with <c>.</c>, <c>!</c> or <c>?</c>.
    /// </summary>
    public static string Sentence(string text)
    {
        string s = Spaces().Replace(text.Trim(), " ");
        s = SpaceBeforePunctuation().Replace(s, "$1");
        s = s.TrimEnd(',', ';', ':', ' ');
        if (s.Length == 0)
        {
            return s;
        }

        s = Capitalize(s);
        return s[^1] is '.' or '!' or '?' ? s : s + ".";
    }

    /// <summary>The lower-case words of a text (letters and apostrophes), for word-level matching.</summary>
    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var sb = new StringBuilder();
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetter(c) || c == '\'' || c == '-')
            {
                sb.Append(c);
            }
            else if (sb.Length > 0)
            {
                tokens.Add(sb.ToString());
                sb.Clear();
            }
        }

        if (sb.Length > 0)
        {
            tokens.Add(sb.ToString());
        }

        return tokens;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\s+([.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();

    [GeneratedRegex(@"^[a-z]+(?:[ '-][a-z]+)*$")]
    private static partial Regex WordyName();
}
