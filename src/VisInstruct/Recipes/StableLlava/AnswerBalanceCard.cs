using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Engine;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The card's section on how balanced and varied the template answers are: per question template its pairs and its
/// most common canonical answer with that answer's share; the distinct words of all answers; and the share of the
/// most common answer template (an answer with its colour, shape, number, size, texture, material and place words masked).
/// The assemble stage records what it needs as counters (<see cref="Count"/>).
/// </summary>
internal static partial class AnswerBalanceCard
{
    private static readonly HashSet<string> Masked = BuildMasked();

    /// <summary>Records a sample's turns: template and answer counters for template pairs, words and answer templates for all.</summary>
    public static void Count(ItemResult result, IReadOnlyList<QaPair> turns)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(turns);
        foreach (var turn in turns)
        {
            if (turn.Template is { } template)
            {
                result.Count(StableLlavaCounters.TemplatePrefix + template, 1)
                    .Count(StableLlavaCounters.AnswerPrefix + template + "=" + (turn.Value ?? ""), 1);
            }

            foreach (string word in Words(turn.Answer).Distinct(StringComparer.Ordinal))
            {
                result.Count(StableLlavaCounters.WordPrefix + word, 1);
            }

            result.Count(StableLlavaCounters.AnswerFormPrefix + Form(turn.Answer), 1).Count(StableLlavaCounters.Answers, 1);
        }
    }

    /// <summary>The lower-cased word tokens of a text.</summary>
    public static IEnumerable<string> Words(string text) =>
        WordPattern().Matches((text ?? "").ToLowerInvariant()).Select(m => m.Value);

    /// <summary>The answer template of an answer: its words, with scene words (colours, shapes, numbers, ...) as <c>#</c>.</summary>
    public static string Form(string answer) => string.Join(' ', Words(answer).Select(w => Masked.Contains(w)
        || w.All(char.IsAsciiDigit) ? "#" : w));

    public static void Append(StringBuilder sb, IReadOnlyDictionary<string, long> counters)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(counters);
        var templates = counters.Where(c => c.Key.StartsWith(StableLlavaCounters.TemplatePrefix, StringComparison.Ordinal))
            .OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        if (templates.Count == 0)
        {
            return;
        }

        sb.Append("## Answer balance\n\n")
            .Append("Per question template of the template writer: its pairs, its most common answer and that answer's share.\n\n")
            .Append("| template | pairs | most common answer | share |\n|---|---|---|---|\n");
        foreach (var (key, pairs) in templates)
        {
            string template = key[StableLlavaCounters.TemplatePrefix.Length..];
            string prefix = StableLlavaCounters.AnswerPrefix + template + "=";
            var top = counters.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First();
            sb.Append(CultureInfo.InvariantCulture,
                $"| {template} | {pairs} | {top.Key[prefix.Length..]} | {Percent(top.Value, pairs)} |\n");
        }

        long words = counters.Count(c => c.Key.StartsWith(StableLlavaCounters.WordPrefix, StringComparison.Ordinal));
        long answers = counters.GetValueOrDefault(StableLlavaCounters.Answers);
        long largest = counters.Where(c => c.Key.StartsWith(StableLlavaCounters.AnswerFormPrefix, StringComparison.Ordinal))
            .Select(c => c.Value).DefaultIfEmpty(0).Max();
        sb.Append(CultureInfo.InvariantCulture, $"\n{answers} answers use {words} distinct words; the most common answer template ")
            .Append(CultureInfo.InvariantCulture, $"(colours, shapes, numbers, sizes, textures, materials and places masked) is ")
            .Append(CultureInfo.InvariantCulture, $"{Percent(largest, answers)} of them.\n\n");
    }

    private static string Percent(long part, long whole) =>
        whole == 0 ? "0 %" : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(100.0 * part / whole)} %");

    private static HashSet<string> BuildMasked()
    {
        var words = new HashSet<string>(StringComparer.Ordinal)
        {
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "small", "little", "tiny", "medium", "medium-sized", "large", "big", "huge",
            "plain", "solid", "striped", "dotted", "spotted", "polka-dot", "checked", "checkered",
            "matte", "glossy", "shiny", "metallic", "metal", "glass",
            "top", "bottom", "left", "right", "centre", "center", "middle", "lightning",
        };
        foreach (var colour in NamedColor.Palette.Concat(NamedColor.Backgrounds))
        {
            words.UnionWith(colour.Name.Split(' '));
        }

        foreach (var shape in Enum.GetValues<ShapeKind>())
        {
            words.UnionWith(ShapeNames.Name(shape).Split(' '));
            words.UnionWith(ShapeNames.Plural(shape).Split(' '));
        }

        return words;
    }

    [GeneratedRegex("[a-z0-9]+(?:[-'][a-z0-9]+)*")]
    private static partial Regex WordPattern();
}
