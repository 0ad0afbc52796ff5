using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The question families: each turns a <see cref="Scene"/> into candidate question-answer pairs whose answers follow
/// from the annotations alone. The wording of each candidate is drawn with the generator; the candidates come
/// shuffled. A family that the data cannot support yields nothing.
/// </summary>
internal static partial class QuestionFamilies
{
    /// <summary>Centres closer than this share of a side are not called left/right (or above/below) of each other.</summary>
    public const double Margin = 0.1;

    /// <summary>
    /// Centres must be more than <see cref="Margin"/> apart by this much, so a difference that is 0.1 only up to rounding never counts.
    /// </summary>
    private const double Tolerance = 1e-9;

    /// <summary>An area ratio below this is not called "larger".</summary>
    public const double LargerRatio = 1.5;

    /// <summary>Objects that overlap this much (intersection over the smaller box) are parts or duplicates, not neighbours.</summary>
    public const double ContainOverlap = 0.5;

    /// <summary>How many unique objects are paired for relations (the first in annotation order).</summary>
    private const int PairLimit = 30;

    /// <summary>
    /// Names for "No" answers to existence questions: each is only asked when none of its words (nor the listed related
    /// words) appear in any object name, region phrase or caption of the image. The words after '|' block a name whose
    /// answer could be wrong through a synonym or a broader word ("motorcycle" when a "bike" is annotated).
    /// </summary>
    private static readonly string[] AbsentNames =
    [
        "giraffe|animal", "elephant|animal", "zebra|animal", "cow|cattle|bull|calf|animal", "sheep|lamb|animal",
        "horse|pony|animal", "cat|kitten|animal", "dog|puppy|animal", "bird|pigeon|seagull|duck|animal",
        "airplane|plane|jet|aircraft", "boat|ship|canoe|kayak", "train|locomotive|railway", "motorcycle|motorbike|bike",
        "surfboard|surf|board", "skateboard|board", "kite", "frisbee", "umbrella|parasol", "suitcase|luggage|bag",
        "toilet", "laptop|computer", "television|tv|monitor|screen", "refrigerator|fridge", "microwave", "oven|stove",
        "sink", "bed", "couch|sofa", "pizza|food", "banana|fruit|food", "cake|food|dessert", "donut|doughnut|food",
        "sandwich|food", "broccoli|vegetable|food", "scissors", "toothbrush", "vase|flower", "teddy bear|toy|bear",
        "tennis racket|racquet|racket", "baseball bat|bat", "fire hydrant|hydrant", "bench|seat", "clock|watch",
        "book", "bowl", "spoon|utensil", "fork|utensil", "wine glass|glass|glasses|cup", "keyboard", "cell phone|phone|mobile",
        "chair|seat", "guitar", "piano", "balloon", "candle", "snowboard|board", "skis|ski",
    ];

    // The families by kind are in QuestionFamilies.Conversation.cs, .Reasoning.cs and .Referring.cs; what they share is below.

    /// <summary>Pairs of unique objects (distinct names) that are not parts or duplicates of each other, in a random order each.</summary>
    private static List<(SceneItem A, SceneItem B)> UniquePairs(Scene scene, DeterministicRandom rng)
    {
        var unique = scene.UniqueItems.Take(PairLimit).ToList();
        var pairs = new List<(SceneItem, SceneItem)>();
        for (int i = 0; i < unique.Count; i++)
        {
            for (int j = i + 1; j < unique.Count; j++)
            {
                if (unique[i].Overlap(unique[j]) < ContainOverlap)
                {
                    pairs.Add(rng.NextBool() ? (unique[i], unique[j]) : (unique[j], unique[i]));
                }
            }
        }

        return pairs;
    }

    /// <summary>
    /// The one object of that name the region is about: the only object named so whose box and the region's overlap by
    /// half the smaller of the two; null when there is none or more than one.
    /// </summary>
    public static SceneItem? Anchor(Scene scene, SceneRegion region, string name)
    {
        SceneItem? found = null;
        foreach (var item in scene.Items)
        {
            if (item.Name == name && item.Overlap(region.X1, region.Y1, region.X2, region.Y2) >= ContainOverlap)
            {
                if (found is not null)
                {
                    return null;
                }

                found = item;
            }
        }

        return found;
    }

    /// <summary>Region phrases "(a|the) SUBJECT (is|are) VERB REST" whose subject anchors to one object.</summary>
    private static IEnumerable<(SceneRegion Region, SceneItem Subject, string Verb, string Tail)> Activities(Scene scene)
    {
        foreach (var region in scene.Regions)
        {
            var m = ActivityPhrase().Match(region.Phrase);
            if (!m.Success)
            {
                continue;
            }

            string rest = m.Groups["rest"].Value;
            if (Words.Tokens(rest).Count is 0 or > 6)
            {
                continue;
            }

            var subject = Anchor(scene, region, m.Groups["subject"].Value);
            if (subject is not null)
            {
                yield return (region, subject, m.Groups["verb"].Value, rest);
            }
        }
    }

    /// <summary>
    /// Marks the object names in a region phrase as <c>&lt;st&gt;name&lt;ed&gt; [box]</c>: each whole-word name
    /// (longest first, first occurrence, no overlaps) whose object anchors to the region (see <see cref="Anchor"/>).
    /// </summary>
    public static string Wrap(string text, SceneRegion region, Scene scene, SceneItem? exclude)
    {
        var spans = new List<(int Start, int End, SceneItem Item)>();
        var names = scene.Items.Select(i => i.Name).Distinct(StringComparer.Ordinal)
            .OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal);
        foreach (string name in names)
        {
            int at = FindWords(text, name, 0);
            while (at >= 0 && spans.Any(s => at < s.End && at + name.Length > s.Start))
            {
                at = FindWords(text, name, at + 1);
            }

            if (at < 0)
            {
                continue;
            }

            var item = Anchor(scene, region, name);
            if (item is not null && item != exclude)
            {
                spans.Add((at, at + name.Length, item));
            }
        }

        if (spans.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder();
        int done = 0;
        foreach (var (start, end, item) in spans.OrderBy(s => s.Start))
        {
            sb.Append(text, done, start - done).Append(item.Mention);
            done = end;
        }

        return sb.Append(text, done, text.Length - done).ToString();
    }

    /// <summary>
    /// The first index at or after <paramref name="start"/> where <paramref name="words"/> stands as whole words; -1 if none.
    /// </summary>
    private static int FindWords(string text, string words, int start)
    {
        for (int i = text.IndexOf(words, start, StringComparison.Ordinal); i >= 0; i = text.IndexOf(words, i + 1, StringComparison.Ordinal))
        {
            int end = i + words.Length;
            if ((i == 0 || !IsWordChar(text[i - 1])) && (end == text.Length || !IsWordChar(text[end])))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetter(c) || c is '\'' or '-';

    [GeneratedRegex(
        @"^(?:a |an |the )?(?<subject>[a-z][a-z' -]*?) (?:is |are )?(?<verb>wearing|holding|carrying|riding|"
        + @"eating|using|pulling|watching|drinking|throwing|reading) (?<rest>[a-z][a-z' -]*)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ActivityPhrase();
}
