using System.Globalization;
using System.Text.RegularExpressions;
using VisInstruct.Datasets;
using VisInstruct.Formats;

namespace VisInstruct.Filters.Text;

/// <summary>Limits of <see cref="TextHeuristics"/>.</summary>
public sealed record TextHeuristicOptions
{
    /// <summary>An answer with more words than this is flagged as overlong.</summary>
    public int MaxAnswerWords { get; init; } = 400;

    /// <summary>An answer whose most repeated sentence occurs this many times or more is flagged.</summary>
    public int MaxSentenceRepeats { get; init; } = 3;
}

/// <summary>
/// Cheap checks on a dialogue's text that catch what an LLM writer gets wrong: an empty answer, an overlong one, a
/// sentence said over and over, an answer that talks about its inputs (the caption, the description, the prompt it
/// was given, "as an AI") instead of the image, and the <c>&lt;image&gt;</c>-token and role problems of
/// <see cref="SampleCheck"/>. The first problem found is the verdict's reason.
/// </summary>
public static partial class TextHeuristics
{
    public const string Name = "text";

    public const string EmptyAnswer = "empty-answer";
    public const string OverlongAnswer = "overlong-answer";
    public const string RepeatedSentence = "repeated-sentence";
    public const string MentionsInputs = "mentions-inputs";

    public static FilterVerdict Judge(LlavaSample sample, TextHeuristicOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        options ??= new TextHeuristicOptions();
        var answers = sample.Conversations.Where(t => t.From == LlavaTurn.Gpt).Select(t => t.Value.Trim()).ToList();
        if (answers.Any(a => a.Length == 0))
        {
            return FilterVerdict.Flag(sample.Id, Name, EmptyAnswer);
        }

        if (SampleCheck.Dialogue(sample, requireFinalAnswer: false) is { } problem)
        {
            return FilterVerdict.Flag(sample.Id, Name, problem.Reason);
        }

        foreach (string text in answers)
        {
            int words = Words(text);
            if (words > options.MaxAnswerWords)
            {
                return FilterVerdict.Flag(sample.Id, Name, OverlongAnswer, words);
            }

            int repeats = MostRepeatedSentence(text);
            if (repeats >= options.MaxSentenceRepeats)
            {
                return FilterVerdict.Flag(sample.Id, Name, RepeatedSentence, repeats);
            }

            if (InputMention().IsMatch(text))
            {
                return FilterVerdict.Flag(sample.Id, Name, MentionsInputs);
            }
        }

        return FilterVerdict.Pass(sample.Id, Name);
    }

    /// <summary>Whitespace-separated words (LLaVA's own length measure).</summary>
    public static int Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>How often the most frequent sentence occurs (sentences compared in lower case, spaces collapsed).</summary>
    public static int MostRepeatedSentence(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int most = 0;
        foreach (string part in SentenceEnd().Split(text))
        {
            string sentence = Spaces().Replace(part.Trim().ToLower(CultureInfo.InvariantCulture), " ");
            if (sentence.Length < 8)
            {
                continue;
            }

            int count = counts[sentence] = counts.GetValueOrDefault(sentence) + 1;
            most = Math.Max(most, count);
        }

        return most;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    // The writer's inputs named as such: "the caption(s) say", "the (given|provided) description", "the prompt",
    // "bounding box(es) (given|provided)", "as an AI (language model)".
    [GeneratedRegex(@"\b(?:the\s+(?:given\s+|provided\s+)?captions?\s+(?:say|says|mention|mentions|state|states|describe|describes)"
        + @"|(?:given|provided)\s+(?:captions?|descriptions?|annotations?|bounding\s+box(?:es)?|coordinates)"
        + @"|the\s+(?:text\s+)?prompt\b|as\s+an\s+ai\b|based\s+on\s+the\s+(?:captions?|descriptions?|annotations?))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InputMention();
}
