using System.Text.RegularExpressions;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>
/// VQA answer normalisation, two ways. <see cref="Official"/>: the VQA evaluation's punctuation and digit/article steps
/// (applied, as there, only when the ten human answers disagree). <see cref="EvalAi"/>: EvalAI's processor as LLaVA's
/// TextVQA scorer and VQAv2/VizWiz submission converters use it (lower case, <c>,</c> and <c>?</c> dropped, <c>'s</c>
/// split off, then the same two steps, always).
/// </summary>
public static partial class VqaNormalizer
{
    /// <summary>
    /// The punctuation step: each mark is removed where it touches a space (or the text has a digit-comma-digit),
    /// otherwise replaced by a space; then periods not followed by a digit are removed, at most 32 of them (the
    /// original passes <c>re.UNICODE</c>, 32, where <c>re.sub</c> takes its count).
    /// </summary>
    public static string Punctuation(string text, bool evalAiCommaRule = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool digitComma = evalAiCommaRule ? EvalAiCommaStrip().IsMatch(text) : CommaStrip().IsMatch(text);
        string result = text;
        foreach (string mark in VqaWords.Punctuation)
        {
            bool touchesSpace = text.Contains(mark + " ", StringComparison.Ordinal) || text.Contains(" " + mark, StringComparison.Ordinal);
            result = result.Replace(mark, touchesSpace || digitComma ? "" : " ", StringComparison.Ordinal);
        }

        return PeriodStrip().Replace(result, "", 32);
    }

    /// <summary>The digit/article step: lower-cased words, number words as digits, articles dropped, contractions restored.</summary>
    public static string DigitArticle(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        foreach (string raw in text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            string word = VqaWords.Numbers.GetValueOrDefault(raw, raw);
            if (!VqaWords.Articles.Contains(word))
            {
                words.Add(VqaWords.Contractions.GetValueOrDefault(word, word));
            }
        }

        return string.Join(' ', words);
    }

    /// <summary>The official evaluation's whitespace clean-up (newlines and tabs to spaces, trimmed).</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace('\n', ' ').Replace('\t', ' ').Trim();
    }

    /// <summary>The official processing of one answer: punctuation, then digits and articles.</summary>
    public static string Official(string text) => DigitArticle(Punctuation(text));

    /// <summary>EvalAI's processor.</summary>
    public static string EvalAi(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string item = text.ToLowerInvariant().Replace(",", "", StringComparison.Ordinal).Replace("?", "", StringComparison.Ordinal)
            .Replace("'s", " 's", StringComparison.Ordinal).Trim();
        item = Clean(item);
        return DigitArticle(Punctuation(item, evalAiCommaRule: true));
    }

    [GeneratedRegex(@"(?!<=\d)(\.)(?!\d)")]
    private static partial Regex PeriodStrip();

    [GeneratedRegex(@"(\d)(\,)(\d)")]
    private static partial Regex CommaStrip();

    [GeneratedRegex(@"(?<=\d)(\,)+(?=\d)")]
    private static partial Regex EvalAiCommaStrip();
}
