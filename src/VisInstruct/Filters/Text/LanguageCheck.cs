using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Formats;

namespace VisInstruct.Filters.Text;

/// <summary>
/// The language filter: flags dialogues with a turn written in another language than the requested one. Detection
/// needs no model and no package: the script of the letters first (Han, kana, Hangul, Cyrillic, Arabic, Devanagari,
/// Greek, Hebrew, Thai), then for Latin script a count of frequent function words over twelve languages (en, de, fr,
/// es, it, pt, nl, sv, pl, tr, id, vi). The image token, grounding mentions (<c>&lt;st&gt;name&lt;ed&gt; [box]</c>),
/// code and numbers are left out. A turn under <see cref="MinWords"/> words is never judged, and a turn whose
/// language is unsure is not flagged.
/// </summary>
public static partial class LanguageCheck
{
    public const string Name = FilterNames.Language;

    /// <summary>The reason of a flagged sample.</summary>
    public const string WrongLanguage = "wrong-language";

    /// <summary>The fewest words a turn needs to be judged (in CJK and Thai, two letters count as a word).</summary>
    public const int MinWords = 4;

    private static readonly Dictionary<string, Dictionary<string, double>> Weights = BuildWeights();

    /// <summary>
    /// The language of <paramref name="text"/> as a short code (<c>en</c>, <c>zh</c>, <c>ru</c>, ...), or null when it is
    /// too short or no language leads clearly.
    /// </summary>
    public static string? Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Analyse(Clean(text)).Language;
    }

    /// <summary>
    /// Judges every turn of <paramref name="sample"/>: flagged when a turn of at least <see cref="MinWords"/> words is
    /// confidently in another language than <paramref name="expected"/>. The score is the share of words, among the
    /// turns whose language was detected, in turns of the expected language (null when no turn's language was).
    /// </summary>
    public static FilterVerdict Judge(LlavaSample sample, string expected = "en")
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(expected);
        var wrong = new List<string>();
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        long detectedWords = 0, expectedWords = 0;
        foreach (var turn in sample.Conversations)
        {
            int number = numbers[turn.From] = numbers.GetValueOrDefault(turn.From) + 1;
            var (language, words) = Analyse(Clean(turn.Value));
            if (language is null || words < MinWords)
            {
                continue;
            }

            detectedWords += words;
            if (string.Equals(language, expected, StringComparison.OrdinalIgnoreCase))
            {
                expectedWords += words;
            }
            else
            {
                wrong.Add(string.Create(CultureInfo.InvariantCulture, $"{turn.From} turn {number}: {language}"));
            }
        }

        double? score = detectedWords == 0 ? null : (double)expectedWords / detectedWords;
        if (wrong.Count == 0)
        {
            return FilterVerdict.Pass(sample.Id, Name, score);
        }

        string detail = string.Join("; ", wrong.Take(3)) + (wrong.Count > 3 ? $"; +{wrong.Count - 3} more" : "");
        return FilterVerdict.Flag(sample.Id, Name, WrongLanguage, score) with { Detail = detail };
    }

    /// <summary>The text without the image token, grounding mentions, code, links and numbers.</summary>
    internal static string Clean(string text)
    {
        text = CodeBlock().Replace(text, " ");
        text = Mention().Replace(text, " ");
        text = text.Replace("<image>", " ", StringComparison.Ordinal);
        return Noise().Replace(text, " ");
    }

    private static (string? Language, int Words) Analyse(string text)
    {
        var scripts = new Dictionary<string, int>(StringComparer.Ordinal);
        int latin = 0, cjkWords = 0, run = 0;
        foreach (char c in text)
        {
            if (run > 0 && char.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue; // Thai vowel and tone marks sit inside a run of letters
            }

            string? script = Script(c);
            bool cjk = IsUnspaced(script);
            if (!cjk && run > 0)
            {
                cjkWords += (run + 1) / 2;
                run = 0;
            }

            if (cjk)
            {
                run++;
            }

            if (script == "latin")
            {
                latin++;
            }
            else if (script is not null)
            {
                scripts[script] = scripts.GetValueOrDefault(script) + 1;
            }
        }

        cjkWords += (run + 1) / 2;
        var tokens = Words(text);
        int words = tokens.Count(w => !w.Any(IsCjk)) + cjkWords;
        int other = scripts.Values.Sum();
        if (words < 2 || latin + other == 0)
        {
            return (null, words);
        }

        if (other > latin)
        {
            return (ScriptLanguage(scripts, text), words);
        }

        return (LatinLanguage(tokens.Where(w => w.All(c => Script(c) == "latin")).ToList()), words);
    }

    private static string? ScriptLanguage(Dictionary<string, int> scripts, string text)
    {
        var (top, count) = scripts.MaxBy(s => s.Value);
        int han = scripts.GetValueOrDefault("han"), kana = scripts.GetValueOrDefault("kana");
        int hangul = scripts.GetValueOrDefault("hangul-syllable");
        if (han + kana + hangul > 0 && han + kana + hangul >= count)
        {
            if (hangul >= han + kana)
            {
                return "ko";
            }

            // Japanese writes kana between its kanji; Chinese has none.
            return kana * 10 >= han + kana ? "ja" : "zh";
        }

        return top switch
        {
            "cyrillic" => text.Any(c => c is 'і' or 'ї' or 'є' or 'ґ' or 'І' or 'Ї' or 'Є' or 'Ґ') ? "uk" : "ru",
            "arabic" => "ar",
            "devanagari" => "hi",
            "greek" => "el",
            "hebrew" => "he",
            "thai" => "th",
            _ => null,
        };
    }

    private static string? LatinLanguage(List<string> words)
    {
        if (words.Count < 2)
        {
            return null;
        }

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string word in words)
        {
            if (Weights.TryGetValue(word, out var languages))
            {
                foreach (var (language, weight) in languages)
                {
                    scores[language] = scores.GetValueOrDefault(language) + weight;
                }
            }

            foreach (string language in word.Select(c => LanguageStopwords.MarkLetters.GetValueOrDefault(c)).OfType<string>().Distinct())
            {
                scores[language] = scores.GetValueOrDefault(language) + 0.5;
            }
        }

        var ranked = scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
        if (ranked.Count == 0)
        {
            return null;
        }

        double best = ranked[0].Value, second = ranked.Count > 1 ? ranked[1].Value : 0;
        // A clear lead: some evidence for its length, and well ahead of the runner-up.
        bool sure = best >= 1.5 && best >= 0.12 * words.Count && best >= 1.5 * second + 0.25;
        return sure ? ranked[0].Key : null;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetter(c) || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                || (c == '\'' && word.Length > 0))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString().TrimEnd('\''));
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString().TrimEnd('\''));
        }

        return words;
    }

    private static bool IsCjk(char c) => IsUnspaced(Script(c));

    // Scripts written without spaces between words (Korean has them, but its syllable blocks are counted the same way).
    private static bool IsUnspaced(string? script) => script is "han" or "kana" or "hangul-syllable" or "thai";

    private static string? Script(char c)
    {
        if (!char.IsLetter(c))
        {
            return null;
        }

        return c switch
        {
            <= '\u024F' or (>= '\u1E00' and <= '\u1EFF') => "latin",
            >= '\u0370' and <= '\u03FF' => "greek",
            >= '\u0400' and <= '\u052F' => "cyrillic",
            >= '\u0590' and <= '\u05FF' => "hebrew",
            (>= '\u0600' and <= '\u06FF') or (>= '\u0750' and <= '\u077F') => "arabic",
            >= '\u0900' and <= '\u097F' => "devanagari",
            >= '\u0E00' and <= '\u0E7F' => "thai",
            (>= '\u3040' and <= '\u30FF') or (>= '\u31F0' and <= '\u31FF') => "kana",
            (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') => "han",
            (>= '\uAC00' and <= '\uD7AF') or (>= '\u1100' and <= '\u11FF') or (>= '\u3130' and <= '\u318F') => "hangul-syllable",
            _ => "other",
        };
    }

    private static Dictionary<string, Dictionary<string, double>> BuildWeights()
    {
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (language, words) in LanguageStopwords.Lists)
        {
            foreach (string word in words)
            {
                if (!owners.TryGetValue(word, out var set))
                {
                    owners[word] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(language);
            }
        }

        // A word in k lists is 1/k of a hit for each: shared words ("de", "la", "in") decide little.
        return owners.ToDictionary(o => o.Key, o => o.Value.ToDictionary(l => l, _ => 1.0 / o.Value.Count, StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    [GeneratedRegex(@"```.*?```|`[^`\n]*`", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"<st>.*?<ed>(\s*\[[^\[\]\n]*\])?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Mention();

    [GeneratedRegex(@"https?://\S+|\d+(?:[.,:/]\d+)*|</?[a-z]+>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Noise();
}
