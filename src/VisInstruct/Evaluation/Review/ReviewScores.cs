using System.Globalization;
using VisInstruct.Python;

namespace VisInstruct.Evaluation.Review;

/// <summary>
/// The judge's two scores and the LLaVA-Bench summary, by LLaVA's rules: the scores are the first line of the review,
/// commas read as spaces, split on single spaces (so "9, 8" gives three parts); exactly two Python floats, otherwise the
/// pair is (-1, -1) and, as in
/// <c>summarize_gpt_review.py</c>, it still counts in the means. Per category: the means rounded to 3 places, the
/// relative score round(mean2 / mean1 x 100, 1), and each mean x 10 rounded to 1.
/// </summary>
public static partial class ReviewScores
{
    public static (double First, double Second) Parse(string review)
    {
        ArgumentNullException.ThrowIfNull(review);
        string line = review.Split('\n')[0].Replace(",", " ", StringComparison.Ordinal);
        string[] parts = line.Split(' ');
        return parts.Length == 2 && TryFloat(parts[0], out double a) && TryFloat(parts[1], out double b) ? (a, b) : (-1, -1);
    }

    /// <summary>Python's <c>float(text)</c>: surrounding whitespace, a sign, decimals, an exponent, inf and nan.</summary>
    public static bool TryFloat(string text, out double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        string unsigned = t.TrimStart('+', '-');
        bool negative = t.StartsWith('-');
        if (unsigned.Length == t.Length - 1 || unsigned.Length == t.Length)
        {
            switch (unsigned.ToLowerInvariant())
            {
                case "inf" or "infinity":
                    value = negative ? double.NegativeInfinity : double.PositiveInfinity;
                    return true;
                case "nan":
                    value = double.NaN;
                    return true;
            }
        }

        value = 0;
        return Decimal().IsMatch(t) && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")]
    private static partial System.Text.RegularExpressions.Regex Decimal();

    /// <summary>One row of the summary: the category, relative score, and the two means x 10.</summary>
    public sealed record Row(string Category, int Count, double Relative, double Reference, double Model, int Unparsed);

    public static IReadOnlyList<Row> Summarize(IEnumerable<(string Category, double First, double Second)> reviews)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        var groups = new SortedDictionary<string, List<(double, double)>>(StringComparer.Ordinal);
        foreach (var (category, first, second) in reviews)
        {
            foreach (string key in new[] { category, "all" })
            {
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                }

                list.Add((first, second));
            }
        }

        return groups.Select(g =>
        {
            double first = PythonFloat.Round(g.Value.Sum(p => p.Item1) / g.Value.Count, 3);
            double second = PythonFloat.Round(g.Value.Sum(p => p.Item2) / g.Value.Count, 3);
            double relative = first == 0 ? double.NaN : PythonFloat.Round(second / first * 100, 1);
            return new Row(g.Key, g.Value.Count, relative, PythonFloat.Round(first * 10, 1), PythonFloat.Round(second * 10, 1),
                g.Value.Count(p => p is (-1, -1)));
        }).ToList();
    }

    internal static string Format(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F1", CultureInfo.InvariantCulture);
}
