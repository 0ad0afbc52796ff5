using System.Globalization;
using System.Text.RegularExpressions;
using VisInstruct.Annotations;
using VisInstruct.Formats;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The grounding check of referring QA: every <c>&lt;st&gt;name&lt;ed&gt; [x1, y1, x2, y2](, [...])*</c> mention in a
/// question or answer must carry well-formed boxes (4 numbers), inside [0, 1], with x1 &lt; x2 and y1 &lt; y2, each
/// matching a box of the image's objects or regions (IoU at least <see cref="DefaultIoU"/> against the box as the
/// context printed it). A pair with no mention at all fails ("refer to at least one object"), as does one whose markers
/// do not pair up. A failing pair is dropped whole, counted under its first reason in the order of
/// <see cref="Reasons"/>. Boxes written outside a mention are not checked.
/// </summary>
public static partial class Grounding
{
    public const double DefaultIoU = 0.5;

    public const string UnbalancedMarkers = "unbalanced-markers";
    public const string NoReference = "no-reference";
    public const string MalformedBox = "malformed-box";
    public const string OutOfRange = "out-of-range";
    public const string InvertedBox = "inverted-box";
    public const string NoMatchingBox = "no-matching-box";

    /// <summary>The drop reasons, most basic first: a pair is counted under the first that applies.</summary>
    public static IReadOnlyList<string> Reasons { get; } = [UnbalancedMarkers, NoReference, MalformedBox, OutOfRange, InvertedBox,
        NoMatchingBox];

    /// <summary>
    /// The boxes a mention may match: every object and region box of the image, normalised and rounded as in the context.
    /// </summary>
    public static IReadOnlyList<NormalizedBox> ReferenceBoxes(ImageAnnotations a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return
        [
            .. a.Objects.Select(o => o.Box.Normalize(a.Width, a.Height)),
            .. a.Regions.Select(r => r.Box.Normalize(a.Width, a.Height)),
        ];
    }

    /// <summary>Checks the pairs of one image against its annotations.</summary>
    public static GroundingResult Check(IEnumerable<SvitConversation> pairs, ImageAnnotations a, double iouThreshold = DefaultIoU) =>
        Check(pairs, ReferenceBoxes(a), iouThreshold);

    /// <summary>Checks the pairs against the given reference boxes.</summary>
    public static GroundingResult Check(IEnumerable<SvitConversation> pairs, IReadOnlyList<NormalizedBox> reference,
        double iouThreshold = DefaultIoU)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(reference);
        var kept = new List<SvitConversation>();
        var dropped = new Dictionary<string, int>(StringComparer.Ordinal);
        int pairsChecked = 0;
        int boxesChecked = 0;
        int boxesPassed = 0;
        foreach (var pair in pairs)
        {
            pairsChecked++;
            var verdict = CheckPair(pair, reference, iouThreshold);
            boxesChecked += verdict.BoxesChecked;
            boxesPassed += verdict.BoxesPassed;
            if (verdict.Reason is null)
            {
                kept.Add(pair);
            }
            else
            {
                dropped[verdict.Reason] = dropped.GetValueOrDefault(verdict.Reason) + 1;
            }
        }

        return new GroundingResult(kept, dropped, pairsChecked, boxesChecked, boxesPassed);
    }

    /// <summary>The verdict on one pair (all its turns).</summary>
    public static PairVerdict CheckPair(SvitConversation pair, IReadOnlyList<NormalizedBox> reference, double iouThreshold = DefaultIoU)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(reference);
        var reasons = new HashSet<string>(StringComparer.Ordinal);
        int mentions = 0;
        int boxesChecked = 0;
        int boxesPassed = 0;
        foreach (var turn in pair.Content)
        {
            if (!Balanced(turn.Value))
            {
                reasons.Add(UnbalancedMarkers);
            }

            foreach (var mention in ExtractMentions(turn.Value))
            {
                mentions++;
                if (mention.Boxes.Count == 0)
                {
                    boxesChecked++;
                    reasons.Add(MalformedBox);
                    continue;
                }

                foreach (string boxText in mention.Boxes)
                {
                    boxesChecked++;
                    string? reason = CheckBox(boxText, reference, iouThreshold);
                    if (reason is null)
                    {
                        boxesPassed++;
                    }
                    else
                    {
                        reasons.Add(reason);
                    }
                }
            }
        }

        if (mentions == 0)
        {
            reasons.Add(NoReference);
        }

        string? first = Reasons.FirstOrDefault(reasons.Contains);
        return new PairVerdict(first, mentions, boxesChecked, boxesPassed);
    }

    /// <summary>Every mention in a text: the name between the markers and the box texts after it (<c>[...]</c>, comma-separated).</summary>
    public static IReadOnlyList<Mention> ExtractMentions(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<Mention>();
        foreach (Match m in MentionPattern().Matches(text))
        {
            var boxes = m.Groups["box"].Captures.Select(c => c.Value).ToList();
            result.Add(new Mention(m.Groups["name"].Value, boxes));
        }

        return result;
    }

    /// <summary>Null when the box text passes; otherwise the reason it fails.</summary>
    public static string? CheckBox(string boxText, IReadOnlyList<NormalizedBox> reference, double iouThreshold = DefaultIoU)
    {
        ArgumentNullException.ThrowIfNull(boxText);
        ArgumentNullException.ThrowIfNull(reference);
        if (!TryParseBox(boxText, out var box))
        {
            return MalformedBox;
        }

        if (!InUnitRange(box.X1) || !InUnitRange(box.Y1) || !InUnitRange(box.X2) || !InUnitRange(box.Y2))
        {
            return OutOfRange;
        }

        if (box.X1 >= box.X2 || box.Y1 >= box.Y2)
        {
            return InvertedBox;
        }

        foreach (var candidate in reference)
        {
            if (box.IoU(candidate) >= iouThreshold)
            {
                return null;
            }
        }

        return NoMatchingBox;
    }

    /// <summary>Parses <c>[x1, y1, x2, y2]</c>: exactly four finite decimal numbers, comma-separated, any spacing.</summary>
    public static bool TryParseBox(string boxText, out NormalizedBox box)
    {
        ArgumentNullException.ThrowIfNull(boxText);
        box = default;
        var span = boxText.AsSpan().Trim();
        if (span.Length < 2 || span[0] != '[' || span[^1] != ']')
        {
            return false;
        }

        Span<double> values = stackalloc double[4];
        var inner = span[1..^1];
        int index = 0;
        foreach (var range in inner.Split(','))
        {
            if (index == 4 || !double.TryParse(inner[range].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[index])
                || !double.IsFinite(values[index]))
            {
                return false;
            }

            index++;
        }

        if (index != 4)
        {
            return false;
        }

        box = new NormalizedBox(values[0], values[1], values[2], values[3]);
        return true;
    }

    private static bool InUnitRange(double v) => v is >= 0 and <= 1;

    /// <summary>Markers alternate &lt;st&gt;, &lt;ed&gt;, starting with &lt;st&gt; and ending with &lt;ed&gt;.</summary>
    private static bool Balanced(string text)
    {
        bool open = false;
        foreach (Match m in Marker().Matches(text))
        {
            bool start = m.Value.Equals("<st>", StringComparison.OrdinalIgnoreCase);
            if (start == open)
            {
                return false;
            }

            open = start;
        }

        return !open;
    }

    [GeneratedRegex(
        @"<st>(?<name>(?:(?!<st>|<ed>).)*?)<ed>(?:[ \t]*(?<box>\[[^\[\]\n]*\])(?:[ \t]*,[ \t]*"
        + @"(?<box>\[[^\[\]\n]*\]))*)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex MentionPattern();

    [GeneratedRegex("<st>|<ed>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Marker();
}

/// <summary>One <c>&lt;st&gt;name&lt;ed&gt;</c> mention and the box texts written after it.</summary>
public sealed record Mention(string Name, IReadOnlyList<string> Boxes);

/// <summary>The verdict on one pair: the drop reason (null: kept) and its counts.</summary>
public sealed record PairVerdict(string? Reason, int Mentions, int BoxesChecked, int BoxesPassed);

/// <summary>What the grounding check kept and dropped for one image (or, added up, a run).</summary>
public sealed record GroundingResult(
    IReadOnlyList<SvitConversation> Kept,
    IReadOnlyDictionary<string, int> Dropped,
    int PairsChecked,
    int BoxesChecked,
    int BoxesPassed)
{
    public int DroppedCount => Dropped.Values.Sum();

    /// <summary>Boxes passed / boxes checked (1 when none were checked), for the dataset card.</summary>
    public double BoxPassRate => BoxesChecked == 0 ? 1 : (double)BoxesPassed / BoxesChecked;

    /// <summary>Pairs kept / pairs checked (1 when none were checked).</summary>
    public double PairPassRate => PairsChecked == 0 ? 1 : (double)Kept.Count / PairsChecked;
}
