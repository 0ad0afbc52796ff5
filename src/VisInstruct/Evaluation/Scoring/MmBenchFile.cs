using System.Globalization;
using CsvHelper;
using VisInstruct.Json;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>One MMBench question: its index, question, hint, options (A to D, up to the first empty one), answer and categories.</summary>
public sealed record MmBenchQuestion(long Index, string Question, string? Hint, IReadOnlyList<string> Options, string? Answer,
    string? Category, string? L2Category, string? Image, long Line)
{
    /// <summary>The byte offset where the row starts, for messages.</summary>
    public long Offset { get; init; }

    /// <summary>The question a circular pass belongs to: MMBench writes each rotation as a row with the index plus k x 1,000,000.</summary>
    public long Circle => Index % 1_000_000;
}

/// <summary>
/// Reads MMBench's TSV (<c>index, question, hint, A, B, C, D, answer, category, image, source, l2-category, comment,
/// split</c>; <c>image</c> in base64; fields quoted as pandas writes them). Options stop at the first empty (or
/// <c>nan</c>/<c>none</c>) one, as LLaVA reads them.
/// </summary>
public static class MmBenchFile
{
    private static readonly string[] Letters = ["A", "B", "C", "D"];

    public static IReadOnlyList<MmBenchQuestion> Read(string path, bool withImages = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new InputFormatException(path, "no such file");
        }

        var options = new CsvReaderOptions { Separator = '\t', TrackLineNumbers = true, AllowLineBreaksInQuotes = true };
        var rows = new List<MmBenchQuestion>();
        try
        {
            using var csv = CsvReader.FromFile(path, options);
            var header = csv.Headers.ToList();
            foreach (string required in new[] { "index", "question", "A", "B" })
            {
                if (!header.Contains(required))
                {
                    throw new InputFormatException(path, $"no '{required}' column; the header is: {string.Join(", ", header)}",
                        new SourcePosition(1, 1, 0), field: required);
                }
            }

            while (csv.Read())
            {
                string? Field(string name) => header.Contains(name) && csv.GetString(name) is { } value && !IsNone(value) ? value : null;
                string index = csv.GetString("index");
                if (!long.TryParse(index, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                {
                    throw new InputFormatException(path, $"index '{index}' is not an integer",
                        new SourcePosition(csv.LineNumber, 1, csv.ByteOffset), "index", rows.Count);
                }

                var choices = new List<string>();
                foreach (string letter in Letters)
                {
                    if (Field(letter) is not { } option)
                    {
                        break;
                    }

                    choices.Add(option);
                }

                rows.Add(new MmBenchQuestion(value, csv.GetString("question"), Field("hint"), choices, Field("answer"), Field("category"),
                    Field("l2-category"), withImages ? Field("image") : null, csv.LineNumber) { Offset = csv.ByteOffset });
            }
        }
        catch (CsvFormatException ex)
        {
            throw new InputFormatException(path, "not a readable TSV: " + ex.Message, innerException: ex);
        }

        return rows;
    }

    /// <summary>The question as LLaVA prompts it: the hint, the question, then each option as <c>A. text</c>, one per line.</summary>
    public static string Prompt(MmBenchQuestion question, IReadOnlyList<string> options)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(options);
        string text = question.Hint is { } hint ? hint + "\n" + question.Question : question.Question;
        for (int i = 0; i < options.Count; i++)
        {
            text += "\n" + Letters[i] + ". " + options[i];
        }

        return text;
    }

    /// <summary>Empty, <c>nan</c> or <c>none</c>: what pandas and LLaVA's <c>is_none</c> treat as missing.</summary>
    private static bool IsNone(string? value) =>
        string.IsNullOrEmpty(value) || value.Equals("nan", StringComparison.OrdinalIgnoreCase)
        || value.Equals("none", StringComparison.OrdinalIgnoreCase);
}
