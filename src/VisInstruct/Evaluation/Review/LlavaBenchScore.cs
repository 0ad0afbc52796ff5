using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VisInstruct.Evaluation.Review;

/// <summary>LLaVA-Bench's figures from a reviews file: per category the relative score and both means x 10.</summary>
public sealed class LlavaBenchScore(string judge) : BenchmarkScore
{
    public override string Benchmark => "llava-bench";

    public override string Rule => $"LLaVA's GPT review (eval_gpt_review_*.py + summarize_gpt_review.py) with {judge} as the judge; "
        + "judge-dependent";

    public List<ReviewScores.Row> Rows { get; } = [];

    public override IReadOnlyList<(string Name, double Value)> Headline =>
        [.. Rows.Select(r => ($"{r.Category} relative", r.Relative))];

    /// <summary>Reads LLaVA's review layout (<c>category</c>, <c>tuple</c>) and summarises it.</summary>
    public static LlavaBenchScore FromReviews(string reviewsFile, string judge)
    {
        var reviews = new List<(string, double, double)>();
        foreach (var (record, context) in JsonInput.Records(reviewsFile))
        {
            var pair = JsonInput.Required(record, "tuple", reviewsFile);
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
            {
                throw context.Error("tuple", "expected the two scores [assistant 1, assistant 2]");
            }

            string category = AnswerFile.OptionalString(record, "category", context) ?? "all";
            reviews.Add((category, pair[0].GetDouble(), pair[1].GetDouble()));
        }

        var score = new LlavaBenchScore(judge);
        score.Rows.AddRange(ReviewScores.Summarize(reviews));
        int unparsed = score.Rows.FirstOrDefault(r => r.Category == "all")?.Unparsed ?? 0;
        if (unparsed > 0)
        {
            score.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{unparsed} reviews had no readable score pair and count as (-1, -1), as in LLaVA's summary"));
        }

        return score;
    }

    public override void WriteFigures(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var row in Rows)
        {
            writer.WriteStartObject(row.Category);
            writer.WriteNumber("relative", double.IsNaN(row.Relative) ? 0 : row.Relative);
            writer.WriteNumber("reference", row.Reference);
            writer.WriteNumber("model", row.Model);
            writer.WriteNumber("count", row.Count);
            writer.WriteNumber("unparsed", row.Unparsed);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public override string Markdown()
    {
        var sb = new StringBuilder("## LLaVA-Bench\n\n")
            .Append(CultureInfo.InvariantCulture, $"Judge: {judge} (the figures depend on it).\n\n")
            .Append("| category | reviews | relative | reference x10 | model x10 |\n|---|---:|---:|---:|---:|\n");
        foreach (var row in Rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {row.Category} | {row.Count} | {ReviewScores.Format(row.Relative)} | ")
                .Append(CultureInfo.InvariantCulture, $"{ReviewScores.Format(row.Reference)} | {ReviewScores.Format(row.Model)} |\n");
        }

        return sb.ToString();
    }
}
