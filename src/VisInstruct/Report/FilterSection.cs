using System.Globalization;
using System.Text;
using static VisInstruct.Report.ReportPage;

namespace VisInstruct.Report;

/// <summary>The Filters section's figures: the summary, each filter's score chart (SVG) and the examples' thumbnails.</summary>
internal sealed record FilterFigures(FilterSummary Summary, IReadOnlyDictionary<string, string> ScoreCharts,
    IReadOnlyDictionary<string, string> Thumbnails);

/// <summary>
/// The report's Filters section, shown when the folder holds a <c>filters.jsonl</c>: per filter the samples checked,
/// flagged and dropped, the counts by reason, the hit share per group (for the blind filter, the share of closed-form
/// questions a model answers without the image), a score histogram, and thumbnails of flagged examples made from the
/// lines' own image paths (a missing or unreadable file shows a placeholder).
/// </summary>
internal static class FilterSection
{
    /// <summary>The examples' thumbnails, under the report folder.</summary>
    public const string ThumbFolder = "filter-thumbs";

    private const int ImagesPerExample = 2;

    public static FilterFigures Prepare(string path, string reportFolder, ReportCharts charts, bool thumbnails,
        CancellationToken cancellationToken)
    {
        var summary = FilterSummary.Read(path, cancellationToken);
        var scoreCharts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tally, i) in summary.Filters.Select((t, i) => (t, i)))
        {
            if (tally.Scores.Count == 0)
            {
                continue;
            }

            string title = $"{tally.Name} scores";
            var bars = tally.Scores.Bars();
            scoreCharts[tally.Name] = charts.Bins(FormattableString.Invariant($"filter-{i}-scores"), title, bars, "score")
                ?? Svg.Bars(title, bars);
        }

        var jobs = new List<(string Source, string Destination)>();
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        var images = summary.Filters.SelectMany(f => f.Examples.Values).SelectMany(e => e).SelectMany(l => l.Images.Take(ImagesPerExample));
        foreach (string image in images)
        {
            if (thumbnails && !numbers.ContainsKey(image) && Path.IsPathFullyQualified(image) && File.Exists(image))
            {
                string relative = FormattableString.Invariant($"{ThumbFolder}/{numbers.Count}.jpg");
                numbers[image] = relative;
                jobs.Add((image, Path.Combine(reportFolder, relative)));
            }
        }

        bool[] written = Thumbnailer.Write(jobs, cancellationToken);
        var thumbs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < jobs.Count; i++)
        {
            if (written[i])
            {
                thumbs[jobs[i].Source] = numbers[jobs[i].Source];
            }
        }

        return new FilterFigures(summary, scoreCharts, thumbs);
    }

    public static void Render(StringBuilder sb, FilterFigures figures, string groupNoun)
    {
        sb.Append("<section id=\"filters\"><h2>Filters</h2>");
        if (figures.Summary.Filters.Count == 0)
        {
            sb.Append("<p class=\"muted\">filters.jsonl holds no lines.</p>");
        }
        else
        {
            ReportPage.Table(sb, ["filter", "samples checked", "flagged", "dropped", "flagged share"],
                figures.Summary.Filters.Select(f => new[]
                {
                    f.Name, N(f.Samples), N(f.Flagged), N(f.Dropped), Percent(f.Flagged, f.Samples),
                }),
                numeric: [1, 2, 3, 4]);
        }

        foreach (var tally in figures.Summary.Filters)
        {
            Filter(sb, tally, figures, groupNoun);
        }

        sb.Append("</section>\n");
    }

    private static void Filter(StringBuilder sb, FilterTally tally, FilterFigures figures, string groupNoun)
    {
        sb.Append("<div class=\"filter\" data-filter=\"").Append(H(tally.Name)).Append("\"><h3>").Append(H(tally.Name)).Append("</h3>");
        if (tally.Reasons.Count > 0)
        {
            ReportPage.Table(sb, ["reason", "flagged", "dropped"],
                tally.Reasons.Select(r => new[] { r.Key, N(r.Value.Flagged), N(r.Value.Dropped) }), numeric: [1, 2]);
        }
        else
        {
            sb.Append("<p class=\"muted\">No sample flagged.</p>");
        }

        if (tally.HasParts)
        {
            sb.Append("<p class=\"muted\">Parts checked and hits per ").Append(H(groupNoun))
                .Append(" (blind: closed-form questions answered right without the image; consistency: judges that accept).</p>");
            ReportPage.Table(sb, [groupNoun, "samples", "flagged", "checked", "hits", "hit share"],
                tally.Groups.Select(g => new[]
                {
                    g.Key, N(g.Value.Samples), N(g.Value.Flagged), N(g.Value.Checked), N(g.Value.Hits),
                    Percent(g.Value.Hits, g.Value.Checked),
                }).Append(
                [
                    "total", N(tally.Samples), N(tally.Flagged), N(tally.Groups.Values.Sum(g => g.Checked)),
                    N(tally.Groups.Values.Sum(g => g.Hits)),
                    Percent(tally.Groups.Values.Sum(g => g.Hits), tally.Groups.Values.Sum(g => g.Checked)),
                ]), numeric: [1, 2, 3, 4, 5]);
        }

        if (figures.ScoreCharts.TryGetValue(tally.Name, out string? svg))
        {
            var s = tally.Scores;
            sb.Append("<p class=\"muted\">").Append(s.Min == s.Max
                    ? "All " + N(s.Count) + " scores are " + Number(s.Min)
                    : N(s.Count) + " scores from " + Number(s.Min) + " to " + Number(s.Max))
                .Append(".</p><div class=\"charts\">").Append(svg).Append("</div>");
        }

        foreach (var (reason, examples) in tally.Examples)
        {
            sb.Append("<h4>").Append(H(reason)).Append(" <span class=\"muted\">(").Append(N(examples.Count)).Append(" of ")
                .Append(N(tally.Reasons[reason].Samples)).Append(")</span></h4><div class=\"pics filter-examples\">");
            foreach (var line in examples)
            {
                sb.Append("<figure class=\"filter-example\" data-id=\"").Append(H(line.Verdict.SampleId)).Append("\">");
                if (line.Images.Count == 0)
                {
                    sb.Append("<div class=\"noimage\">no image</div>");
                }

                foreach (string image in line.Images.Take(ImagesPerExample))
                {
                    if (figures.Thumbnails.TryGetValue(image, out string? thumb))
                    {
                        sb.Append("<img loading=\"lazy\" src=\"").Append(H(thumb)).Append("\" alt=\"").Append(H(Path.GetFileName(image)))
                            .Append("\" title=\"").Append(H(image)).Append("\">");
                    }
                    else
                    {
                        sb.Append("<div class=\"noimage\" title=\"").Append(H(image)).Append("\">image not found</div>");
                    }
                }

                sb.Append("<figcaption><b>").Append(H(line.Verdict.SampleId)).Append("</b> · ").Append(H(line.Group)).Append(" · ")
                    .Append(H(reason)).Append(line.Dropped ? " · dropped" : "");
                if (line.Verdict.Score is { } score)
                {
                    sb.Append(" · score ").Append(Number(score));
                }

                if (line.Verdict.Detail is { } detail)
                {
                    sb.Append("<br>").Append(H(detail));
                }

                sb.Append("</figcaption></figure>");
            }

            sb.Append("</div>");
        }

        sb.Append("</div>");
    }

    private static string Percent(long part, long whole) =>
        whole == 0 ? "" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
