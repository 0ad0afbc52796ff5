using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Formats;

namespace VisInstruct.Filters.Judges;

/// <summary>What kind of closed-form question a dialogue turn is, which decides how a blind answer is compared.</summary>
public enum ClosedFormKind
{
    /// <summary>The reference answer starts with yes or no: compared by polarity.</summary>
    YesNo,

    /// <summary>The question lists lettered options and the answer is one of the letters: compared by letter.</summary>
    Option,

    /// <summary>A "how many" question answered with a number (digits or a word up to twenty): compared by value.</summary>
    Count,

    /// <summary>A "what colour" question answered with colour words: compared by the set of colours named.</summary>
    Colour,

    /// <summary>Any other question with a short reference answer: compared by the LLM judge.</summary>
    Short,
}

/// <summary>One question of a dialogue, its reference answer, and its position (1-based among the question-answer pairs).</summary>
public sealed record DialogueQuestion(int Index, string Question, string Reference);

/// <summary>A question the blind-answer filter asks: the dialogue's question and the kind it was classified as.</summary>
public sealed record ClosedFormQuestion(int Index, string Question, string Reference, ClosedFormKind Kind);

/// <summary>
/// Which questions of a dialogue are closed-form, and how an answer to one is read: the yes/no polarity, the option
/// letter, the number (digits or English words from zero to twenty), the colours named. Everything here works on
/// text alone and is culture-invariant.
/// </summary>
public static partial class ClosedFormQuestions
{
    private static readonly string[] NumberWords =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ];

    private static readonly Dictionary<string, string> Colours = new(StringComparer.Ordinal)
    {
        ["red"] = "red", ["orange"] = "orange", ["yellow"] = "yellow", ["green"] = "green", ["blue"] = "blue",
        ["purple"] = "purple", ["violet"] = "purple", ["pink"] = "pink", ["brown"] = "brown", ["black"] = "black",
        ["white"] = "white", ["gray"] = "gray", ["grey"] = "gray", ["silver"] = "silver", ["gold"] = "gold",
        ["golden"] = "gold", ["beige"] = "beige", ["tan"] = "tan", ["teal"] = "teal", ["cyan"] = "cyan",
        ["magenta"] = "magenta", ["navy"] = "navy", ["maroon"] = "maroon", ["turquoise"] = "turquoise",
    };

    /// <summary>The dialogue's questions with the answer that follows each, <c>&lt;image&gt;</c> tokens removed.</summary>
    public static IReadOnlyList<DialogueQuestion> Pairs(LlavaSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var pairs = new List<DialogueQuestion>();
        var turns = sample.Conversations;
        for (int i = 0; i + 1 < turns.Count; i++)
        {
            if (turns[i].From != LlavaTurn.Human || turns[i + 1].From != LlavaTurn.Gpt)
            {
                continue;
            }

            pairs.Add(new DialogueQuestion(pairs.Count + 1, StripImageTokens(turns[i].Value), turns[i + 1].Value.Trim()));
            i++;
        }

        return pairs;
    }

    /// <summary>The dialogue's closed-form questions, in order; long answers (descriptions, reasoning) are left out.</summary>
    public static IReadOnlyList<ClosedFormQuestion> Select(LlavaSample sample, int maxShortAnswerWords)
    {
        var selected = new List<ClosedFormQuestion>();
        foreach (var pair in Pairs(sample))
        {
            if (pair.Question.Length > 0 && Classify(pair.Question, pair.Reference, maxShortAnswerWords) is { } kind)
            {
                selected.Add(new ClosedFormQuestion(pair.Index, pair.Question, pair.Reference, kind));
            }
        }

        return selected;
    }

    /// <summary>The kind of closed-form question, or null when the reference answer is too long to compare.</summary>
    public static ClosedFormKind? Classify(string question, string reference, int maxShortAnswerWords)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Trim().Length == 0)
        {
            return null;
        }

        var letters = OptionLetters(question);
        if (letters.Count >= 2 && OptionLetter(reference) is { } letter && letters.Contains(letter))
        {
            return ClosedFormKind.Option;
        }

        if (HowMany().IsMatch(question) && Number(reference) is not null)
        {
            return ClosedFormKind.Count;
        }

        if (WhatColour().IsMatch(question) && ColourSet(reference) is not null)
        {
            return ClosedFormKind.Colour;
        }

        if (YesNo(reference) is not null && FirstWordIsYesNo(reference))
        {
            return ClosedFormKind.YesNo;
        }

        return Words(reference).Count <= maxShortAnswerWords ? ClosedFormKind.Short : null;
    }

    /// <summary>
    /// Whether a blind answer says what the reference says, for the exact kinds; null for <see cref="ClosedFormKind.Short"/>
    /// (the judge decides). An answer that cannot be read (no yes/no, no letter, no number) does not match.
    /// </summary>
    public static bool? Matches(ClosedFormKind kind, string blind, string reference)
    {
        ArgumentNullException.ThrowIfNull(blind);
        ArgumentNullException.ThrowIfNull(reference);
        if (Unanswered(blind))
        {
            return kind == ClosedFormKind.Short ? null : false;
        }

        return kind switch
        {
            ClosedFormKind.YesNo => YesNo(blind) is { } b && b == YesNo(reference),
            ClosedFormKind.Option => OptionLetter(blind) is { } l && l == OptionLetter(reference),
            ClosedFormKind.Count => Number(blind) is { } n && n == Number(reference),
            ClosedFormKind.Colour => ColourSet(blind) is { } c && ColourSet(reference) is { } r && c.SetEquals(r),
            _ => null,
        };
    }

    /// <summary>
    /// Whether an answer says it cannot answer (no image, cannot tell, not sure): it answers nothing, so that "No image
    /// is available" is not read as a "no".
    /// </summary>
    public static bool Unanswered(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Words(answer).Count == 0 || CannotAnswer().IsMatch(answer);
    }

    /// <summary>The text without <c>&lt;image&gt;</c> tokens, trimmed.</summary>
    public static string StripImageTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ImageToken().Replace(text, " ").Trim();
    }

    /// <summary>The letters of the options a question lists (<c>A. ..</c>, <c>(A) ..</c>, <c>A) ..</c>).</summary>
    public static IReadOnlySet<char> OptionLetters(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var letters = new HashSet<char>();
        foreach (Match match in OptionInQuestion().Matches(question))
        {
            letters.Add(match.Groups["letter"].Value[0]);
        }

        // A run of lettered options starts at A; a stray "I." or "B)" in prose is not a list.
        return letters.Contains('A') ? letters : new HashSet<char>();
    }

    /// <summary>
    /// Yes (true) or no (false) when the answer's first yes/no word is among its first three words (<c>Yes, ...</c>,
    /// <c>Answer: no</c>); null when it has none there.
    /// </summary>
    public static bool? YesNo(string answer)
    {
        foreach (string word in Words(answer).Take(3))
        {
            if (word is "yes" or "no")
            {
                return word == "yes";
            }
        }

        return null;
    }

    /// <summary>
    /// The option letter an answer gives: the letter alone (<c>B</c>, <c>B.</c>, <c>(B)</c>), at its start followed
    /// by the option (<c>B. A red cup</c>, <c>(B) cup</c>, <c>B) cup</c>), or after "the answer is"; null when none.
    /// </summary>
    public static char? OptionLetter(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        string text = answer.Trim();
        var match = OptionAtStart().Match(text);
        if (!match.Success)
        {
            match = OptionAfterAnswerIs().Match(text);
        }

        return match.Success ? char.ToUpperInvariant(match.Groups["letter"].Value[0]) : null;
    }

    /// <summary>The first number an answer gives, in digits or as an English word from zero to twenty; null when none.</summary>
    public static int? Number(string answer)
    {
        foreach (string word in Words(answer))
        {
            if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                return value;
            }

            int index = Array.IndexOf(NumberWords, word);
            if (index >= 0)
            {
                return index;
            }
        }

        return null;
    }

    /// <summary>The colours an answer names (grey and gray, violet and purple are one), or null when it names none.</summary>
    public static IReadOnlySet<string>? ColourSet(string answer)
    {
        var set = Words(answer).Where(Colours.ContainsKey).Select(w => Colours[w]).ToHashSet(StringComparer.Ordinal);
        return set.Count == 0 ? null : set;
    }

    /// <summary>The words of a text, lower case, letters and digits only.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool FirstWordIsYesNo(string reference) => Words(reference) is [var first, ..] && first is "yes" or "no";

    [GeneratedRegex(@"<image>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImageToken();

    [GeneratedRegex(@"(?:^|[\s:;,])(?:\((?<letter>[A-H])\)|(?<letter>[A-H])[.)])(?=\s+\S)", RegexOptions.CultureInvariant)]
    private static partial Regex OptionInQuestion();

    [GeneratedRegex(@"^(?:\((?<letter>[A-Ha-h])\)|(?<letter>[A-H])(?:[.):]|\s*$))", RegexOptions.CultureInvariant)]
    private static partial Regex OptionAtStart();

    [GeneratedRegex(@"\b(?i:answer|option) (?i:is):?\s*\(?(?<letter>[A-H])\b", RegexOptions.CultureInvariant)]
    private static partial Regex OptionAfterAnswerIs();

    [GeneratedRegex(@"\b(?:cannot|can ?not|can['’]?t|unable|impossible|not possible|no image|without (?:the|an|any|seeing)|"
        + @"(?:don['’]?t|do not) know|unknown|not sure|unsure|not (?:provided|visible|available)|no way to)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CannotAnswer();

    [GeneratedRegex(@"\bhow many\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HowMany();

    [GeneratedRegex(@"\b(?:what|which)\s+colou?rs?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WhatColour();
}
