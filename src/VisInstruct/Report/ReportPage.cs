using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace VisInstruct.Report;

/// <summary>
/// The report's single page: the card's facts, the counts, the charts (inline SVG), the failures, the quality figures
/// and the sample browser, whose index (counts and chunk numbers per group, not the samples) is embedded as JSON.
/// </summary>
internal static class ReportPage
{
    private static readonly JsonSerializerOptions IndexOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static string Render(ReportContent content)
    {
        var sb = new StringBuilder(64 * 1024);
        var stats = content.Statistics;
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<link rel=\"icon\" href=\"data:,\">")
            .Append("<title>").Append(H(content.Title)).Append(" - visinstruct report</title><style>").Append(PageStyle.Text)
            .Append("</style></head><body>\n<header class=\"top\"><h1>").Append(H(content.Title)).Append("</h1><p>")
            .Append(H(Summary(content))).Append("</p></header>\n")
            .Append("<nav><a href=\"#card\">Card</a><a href=\"#counts\">Counts</a><a href=\"#lengths\">Lengths</a>")
            .Append("<a href=\"#openings\">Openings</a><a href=\"#failures\">Failures</a><a href=\"#quality\">Quality</a>")
            .Append(content.Filters is null ? "" : "<a href=\"#filters\">Filters</a>")
            .Append(stats.Boxes.Boxes > 0 ? "<a href=\"#boxes\">Boxes</a>" : "").Append("<a href=\"#browser\">Samples</a></nav><main>\n");
        Card(sb, content);
        Counts(sb, content);
        Lengths(sb, content);
        Openings(sb, stats);
        Failures(sb, content.Facts);
        Quality(sb, content.Facts);
        if (content.Filters is { } filters)
        {
            FilterSection.Render(sb, filters, content.GroupNoun);
        }

        Boxes(sb, stats);
        Browser(sb, content);
        sb.Append("</main>\n<script type=\"application/json\" id=\"visinstruct-index\">")
            .Append(IndexJson(content).Replace("</", "<\\/", StringComparison.Ordinal))
            .Append("</script>\n<script>").Append(PageScript.Text).Append("</script>\n</body></html>\n");
        return sb.ToString();
    }

    private static string Summary(ReportContent content)
    {
        var s = content.Statistics;
        string what = content.RenderOnly
            ? FormattableString.Invariant($"{s.Images} images with their prompts (a render folder: no dialogues)")
            : FormattableString.Invariant($"{s.Samples} samples, {s.Images} images, {s.Questions} questions, {s.Answers} answers");
        return what + " · " + content.SourceDescription;
    }

    private static void Card(StringBuilder sb, ReportContent content)
    {
        var facts = content.Facts;
        sb.Append("<section id=\"card\"><h2>Card</h2>");
        if (facts.Card.Count == 0)
        {
            sb.Append("<p class=\"muted\">No manifest.json: a plain LLaVA file, so no run facts (recipe, seed, backends, cost).</p>");
        }
        else
        {
            Table(sb, ["fact", "value"], facts.Card.Select(f => new[] { f.Name, f.Value }), numeric: []);
        }

        if (facts.Usage.Count > 0)
        {
            sb.Append("<h3>Backends and models</h3>");
            Table(sb, ["backend", "model", "requests", "cache hits", "errors", "input tokens", "output tokens", "images"],
                facts.Usage.Select(u => new[] { u.Backend, u.Model, N(u.Requests), N(u.CacheHits), N(u.Errors), N(u.InputTokens),
                    N(u.OutputTokens), N(u.Images) }), numeric: [2, 3, 4, 5, 6, 7]);
        }

        if (content.ChartFiles.Count > 0)
        {
            sb.Append("<p class=\"muted\">The charts as PNG (and SVG) for papers and slides: ")
                .AppendJoin(", ", content.ChartFiles.Where(f => f.EndsWith(".png", StringComparison.Ordinal))
                    .Select(f => $"<a href=\"{H(f)}\">{H(Path.GetFileName(f))}</a>")).Append(".</p>");
        }

        sb.Append("</section>\n");
    }

    private static void Counts(StringBuilder sb, ReportContent content)
    {
        var stats = content.Statistics;
        var kinds = stats.Kinds.Keys.ToList();
        sb.Append("<section id=\"counts\"><h2>Counts per ").Append(H(content.GroupNoun)).Append(" and dialogue kind</h2>");
        sb.Append("<table id=\"groups-table\"><tr><th>").Append(H(content.GroupNoun)).Append("</th><th class=\"n\">samples</th>")
            .Append("<th class=\"n\">share</th><th></th>");
        foreach (string kind in kinds)
        {
            sb.Append("<th class=\"n\">").Append(H(kind)).Append("</th>");
        }

        sb.Append("</tr>");
        long max = stats.Groups.Count == 0 ? 1 : stats.Groups.Values.Max();
        foreach (var (group, count) in stats.Groups)
        {
            double share = stats.Samples == 0 ? 0 : (double)count / stats.Samples;
            sb.Append("<tr data-group=\"").Append(H(group)).Append("\"><td class=\"group\">").Append(H(group))
                .Append("</td><td class=\"n count\">").Append(N(count)).Append("</td><td class=\"n\">")
                .Append((share * 100).ToString("0.0", CultureInfo.InvariantCulture))
                .Append(" %</td><td><span class=\"share\" style=\"width:")
                .Append(((int)Math.Round(120.0 * count / max)).ToString(CultureInfo.InvariantCulture)).Append("px\"></span></td>");
            var byKind = stats.KindsByGroup.GetValueOrDefault(group);
            foreach (string kind in kinds)
            {
                sb.Append("<td class=\"n\">").Append(N(byKind?.GetValueOrDefault(kind) ?? 0)).Append("</td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("<tr><th>total</th><th class=\"n\" id=\"total-count\">").Append(N(stats.Samples)).Append("</th><th></th><th></th>");
        foreach (string kind in kinds)
        {
            sb.Append("<th class=\"n\">").Append(N(stats.Kinds[kind])).Append("</th>");
        }

        sb.Append("</tr></table><div class=\"charts\">");
        foreach (string svg in content.CountCharts)
        {
            sb.Append(svg);
        }

        sb.Append("</div></section>\n");
    }

    private static void Lengths(StringBuilder sb, ReportContent content)
    {
        if (content.RenderOnly)
        {
            return;
        }

        var s = content.Statistics;
        sb.Append("<section id=\"lengths\"><h2>Turns and lengths</h2>");
        Table(sb, ["measure", "count", "mean", "min", "max"],
            new[] { s.Turns, s.QuestionWords, s.QuestionTokens, s.AnswerWords, s.AnswerTokens }.Select(h => new[]
            {
                h.Name + " (" + h.Unit + ")", N(h.Count), h.Mean.ToString("0.0", CultureInfo.InvariantCulture),
                N(h.Count == 0 ? 0 : h.Min), N(h.Max),
            }), numeric: [1, 2, 3, 4]);
        sb.Append("<p class=\"muted\">Tokens are counted with o200k_base (GPT-4o's tokenizer), an estimate for a model's own; ")
            .Append("the image token is not counted.</p><div class=\"charts\">");
        foreach (string svg in content.LengthCharts)
        {
            sb.Append(svg);
        }

        sb.Append("</div></section>\n");
    }

    private static void Openings(StringBuilder sb, DatasetStatistics stats)
    {
        if (stats.Openings.Questions == 0)
        {
            return;
        }

        var top = stats.Openings.Top(30);
        sb.Append("<section id=\"openings\"><h2>Top question openings (first ").Append(stats.Openings.Words)
            .Append(" words)</h2>");
        long max = top.Count == 0 ? 1 : top[0].Count;
        sb.Append("<table><tr><th>opening</th><th class=\"n\">questions</th><th class=\"n\">share</th><th></th></tr>");
        foreach (var (opening, count) in top)
        {
            sb.Append("<tr><td>").Append(H(opening)).Append(" …</td><td class=\"n\">").Append(N(count)).Append("</td><td class=\"n\">")
                .Append((100.0 * count / stats.Openings.Questions).ToString("0.0", CultureInfo.InvariantCulture))
                .Append(" %</td><td><span class=\"share\" style=\"width:")
                .Append(((int)Math.Round(160.0 * count / max)).ToString(CultureInfo.InvariantCulture)).Append("px\"></span></td></tr>");
        }

        sb.Append("</table>");
        if (stats.Openings.Pruned)
        {
            sb.Append("<p class=\"muted\">There were more distinct openings than kept in memory: rare ones were dropped on the way, ")
                .Append("so these counts are lower bounds.</p>");
        }

        sb.Append("</section>\n");
    }

    private static void Failures(StringBuilder sb, RunFacts facts)
    {
        sb.Append("<section id=\"failures\"><h2>Failures and drops by stage and cause</h2>");
        if (facts.Failures.Count == 0)
        {
            sb.Append("<p class=\"muted\" id=\"no-failures\">None recorded.</p>");
        }
        else
        {
            Table(sb, ["status", "stage", "kind", "count", "first message"],
                facts.Failures.OrderByDescending(f => f.Count).Select(f => new[]
                {
                    f.Status, f.Stage, f.Kind, N(f.Count), f.Example is null ? "" : (f.ExampleKey + ": " + f.Example),
                }), numeric: [3]);
        }

        sb.Append("</section>\n");
    }

    private static void Quality(StringBuilder sb, RunFacts facts)
    {
        sb.Append("<section id=\"quality\"><h2>Dedup, grounding, verification and checks</h2>");
        if (facts.Counters.Count == 0 && facts.Statistics.Count == 0)
        {
            sb.Append("<p class=\"muted\">This run recorded no such figures.</p>");
        }

        if (facts.Counters.Count > 0)
        {
            sb.Append("<h3>Counters (manifest.json)</h3>");
            Table(sb, ["counter", "value"], facts.Counters.Select(c => new[] { c.Name, N(c.Value) }), numeric: [1]);
        }

        if (facts.Statistics.Count > 0)
        {
            sb.Append("<h3>stats.json</h3>");
            Table(sb, ["figure", "value"], facts.Statistics.Select(c => new[] { c.Name, c.Value }), numeric: [1]);
        }

        sb.Append("</section>\n");
    }

    private static void Boxes(StringBuilder sb, DatasetStatistics stats)
    {
        if (stats.Boxes.Boxes == 0)
        {
            return;
        }

        sb.Append("<section id=\"boxes\"><h2>Boxes of referring data</h2><p>")
            .Append(N(stats.Boxes.Boxes)).Append(" normalised boxes [x1, y1, x2, y2] in ").Append(N(stats.Boxes.Samples))
            .Append(" samples.</p><div class=\"charts\">")
            .Append(Svg.HeatMap("Box centres (position in the image)", stats.Boxes.Centres, "x", "y"))
            .Append(Svg.HeatMap("Box sizes (width against height)", stats.Boxes.Sizes, "width", "height"))
            .Append("</div></section>\n");
    }

    private static void Browser(StringBuilder sb, ReportContent content)
    {
        sb.Append("<section id=\"browser\"><h2>Samples</h2><div class=\"controls\"><label>").Append(H(content.GroupNoun))
            .Append(" <select id=\"group-select\"><option value=\"\">all (").Append(N(content.Index.Total))
            .Append(")</option></select></label>")
            .Append("<label>text <input id=\"filter\" type=\"search\" placeholder=\"words in the dialogue, prompt or id\"></label>")
            .Append("<button id=\"prev\">previous</button><span id=\"page-info\"></span><button id=\"next\">next</button>")
            .Append("<span id=\"status\" class=\"muted\"></span></div><div id=\"samples\"></div></section>\n");
    }

    private static string IndexJson(ReportContent content)
    {
        var index = new
        {
            total = content.Index.Total,
            chunkSize = content.Index.ChunkSize,
            chunks = content.Index.Chunks,
            imageBase = content.ImageBase,
            groups = content.Index.Groups.Select(g => new { name = g.Name, key = g.Key, count = g.Count, chunks = g.Chunks }),
        };
        return JsonSerializer.Serialize(index, IndexOptions);
    }

    internal static void Table(StringBuilder sb, string[] headers, IEnumerable<string[]> rows, int[] numeric)
    {
        sb.Append("<table><tr>");
        for (int i = 0; i < headers.Length; i++)
        {
            sb.Append(numeric.Contains(i) ? "<th class=\"n\">" : "<th>").Append(H(headers[i])).Append("</th>");
        }

        sb.Append("</tr>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            for (int i = 0; i < row.Length; i++)
            {
                sb.Append(numeric.Contains(i) ? "<td class=\"n\">" : "<td>").Append(H(row[i])).Append("</td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("</table>");
    }

    internal static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string H(string text) => Svg.Encode(text);
}
