using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.Engine;

namespace VisInstruct.Filters.Run;

/// <summary>
/// The filtered dataset's card (<c>README.md</c>: each filter's settings and counts, the reasons, the blind-answerable
/// share and the judges' acceptance per group) and <c>stats.json</c> (the same counts for programs), both from the
/// run's counters, so that merged shards describe themselves the same way.
/// </summary>
internal static class FilterCard
{
    public static string Card(DatasetSummary summary, string source, FilterSettings settings, IReadOnlyList<ISampleJudge> models,
        FilterScan? scan)
    {
        var c = summary.Counters;
        long Get(string name) => c.GetValueOrDefault(name);
        var sb = new StringBuilder("# Filtered dataset\n\n");
        sb.Append(CultureInfo.InvariantCulture,
                $"{Get("samples")} samples of `{source}` went through {settings.Filters.Count} filters: ")
            .Append(CultureInfo.InvariantCulture, $"**{Get("kept")} kept**, {Get("dropped")} dropped")
            .Append(summary.Failed > 0 ? string.Create(CultureInfo.InvariantCulture, $", {summary.Failed} failed (`failures.jsonl`)") : "")
            .Append(CultureInfo.InvariantCulture, $". Made by {ToolInfo.Name} {ToolInfo.Version}.\n\n");
        sb.Append("A filter that does not drop only flags: its verdicts are in `filters.jsonl` and counted here, ")
            .Append("and the samples stay.\n\n");
        sb.Append("## Filters\n\n| filter | settings | drops | flagged | flagged share | dropped by it |\n|---|---|---|---|---|---|\n");
        long samples = Math.Max(1, Get("samples"));
        foreach (string filter in settings.Filters)
        {
            string describe = settings.Described ? settings.Describe(filter) : "as recorded in `manifest.json`";
            if (models.FirstOrDefault(m => m.Name == filter) is { } model)
            {
                describe = model.Settings;
            }

            long flagged = Get("flagged/" + filter);
            sb.Append(CultureInfo.InvariantCulture, $"| `{filter}` | {describe} | {(settings.Drop.Contains(filter) ? "yes" : "no")} | ")
                .Append(CultureInfo.InvariantCulture, $"{flagged} | {Percent(flagged, samples)} | {Get("dropped/" + filter)} |\n");
        }

        sb.Append('\n');
        AppendReasons(sb, c);
        AppendShares(sb, summary, FilterNames.Blind, "Blind-answerable questions",
            "Closed-form questions (yes/no, options, counts, colours, short answers) the `llm:` model answered right without the image: "
            + "a high share means the questions do not need the image (the measure MMStar and Cambrian report).",
            "closed-form questions", "answered without the image");
        AppendShares(sb, summary, FilterNames.Consistency, "Image-text consistency",
            "Judge verdicts per group: how many judges were asked and how many found the dialogue's claims in the image.",
            "judge verdicts", "accepted");
        if (scan is not null && settings.Runs(FilterNames.ImageDup))
        {
            sb.Append(CultureInfo.InvariantCulture, $"Images: {scan.ImageFiles} distinct files hashed, {scan.ImageClusters} distinct ")
                .Append(CultureInfo.InvariantCulture, $"after near-duplicate clustering (distance {settings.Distance})")
                .Append(scan.ReferenceImages > 0
                    ? string.Create(CultureInfo.InvariantCulture, $", checked against {scan.ReferenceImages} reference images")
                    : "").Append(".\n\n");
        }

        sb.Append("## Files\n\n- `llava.json` (`llava_multi.json`): the kept samples, images under `images/`")
            .Append(settings.Images == ImageHandling.Keep ? " (not copied: `--images keep`; paths as in the source)" : "").Append('\n')
            .Append("- `filters.jsonl`: one line per sample and filter (key, id, group, filter, flagged, dropped, reason, score, ")
            .Append("checked, hits, detail; the image paths of flagged samples)\n")
            .Append("- `dropped/llava.json`: the dropped samples as the source wrote them (image paths as in the source)\n\n");
        DatasetWriter.AppendFiles(sb, summary);
        DatasetWriter.AppendBackends(sb, summary);
        DatasetWriter.AppendReproduce(sb, summary);
        return sb.ToString();
    }

    /// <summary>
    /// The filters a run's counters say ran and dropped (every sample counts <c>ran/NAME</c>, and <c>drops/NAME</c> for a
    /// dropping filter): what a merge of shards knows without the command line.
    /// </summary>
    public static FilterSettings FromCounters(DatasetSummary summary)
    {
        var c = summary.Counters;
        return new FilterSettings
        {
            Filters = [.. FilterNames.All.Where(f => c.ContainsKey("ran/" + f))],
            Drop = new HashSet<string>(FilterNames.All.Where(f => c.ContainsKey("drops/" + f)), StringComparer.Ordinal),
            Described = false,
        };
    }

    public static string Statistics(DatasetSummary summary, FilterSettings settings)
    {
        var c = summary.Counters;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("samples", c.GetValueOrDefault("samples"));
            w.WriteNumber("kept", c.GetValueOrDefault("kept"));
            w.WriteNumber("dropped", c.GetValueOrDefault("dropped"));
            w.WriteNumber("failed", summary.Failed);
            w.WriteStartObject("filters");
            var groups = summary.CountersByTag.GetValueOrDefault(AssembleStage.GroupTag) ?? [];
            foreach (string filter in settings.Filters)
            {
                w.WriteStartObject(filter);
                w.WriteBoolean("drops", settings.Drop.Contains(filter));
                w.WriteNumber("flagged", c.GetValueOrDefault("flagged/" + filter));
                w.WriteNumber("dropped", c.GetValueOrDefault("dropped/" + filter));
                w.WriteStartObject("reasons");
                foreach (var (name, count) in c.Where(p => p.Key.StartsWith("reason/" + filter + "/", StringComparison.Ordinal)))
                {
                    w.WriteNumber(name[("reason/" + filter + "/").Length..], count);
                }

                w.WriteEndObject();
                w.WriteStartObject("groups");
                foreach (var (group, counters) in groups)
                {
                    w.WriteStartObject(group);
                    w.WriteNumber("samples", counters.GetValueOrDefault("samples"));
                    w.WriteNumber("flagged", counters.GetValueOrDefault("flagged/" + filter));
                    if (counters.TryGetValue("checked/" + filter, out long parts))
                    {
                        w.WriteNumber("checked", parts);
                        w.WriteNumber("hits", counters.GetValueOrDefault("hits/" + filter));
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void AppendReasons(StringBuilder sb, SortedDictionary<string, long> counters)
    {
        var reasons = counters.Where(p => p.Key.StartsWith("reason/", StringComparison.Ordinal)).ToList();
        if (reasons.Count == 0)
        {
            sb.Append("No filter flagged a sample.\n\n");
            return;
        }

        sb.Append("## Reasons\n\n| filter | reason | samples |\n|---|---|---|\n");
        foreach (var (name, count) in reasons)
        {
            string[] parts = name.Split('/', 3);
            sb.Append(CultureInfo.InvariantCulture, $"| `{parts[1]}` | {parts[2]} | {count} |\n");
        }

        sb.Append('\n');
    }

    private static void AppendShares(StringBuilder sb, DatasetSummary summary, string filter, string title, string what,
        string partsName, string hitsName)
    {
        var groups = summary.CountersByTag.GetValueOrDefault(AssembleStage.GroupTag);
        if (groups is null || !summary.Counters.ContainsKey("checked/" + filter))
        {
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"## {title}\n\n{what}\n\n")
            .Append(CultureInfo.InvariantCulture, $"| group | {partsName} | {hitsName} | share |\n|---|---|---|---|\n");
        foreach (var (group, counters) in groups)
        {
            long parts = counters.GetValueOrDefault("checked/" + filter);
            long hits = counters.GetValueOrDefault("hits/" + filter);
            sb.Append(CultureInfo.InvariantCulture, $"| {group} | {parts} | {hits} | {Percent(hits, parts)} |\n");
        }

        long all = summary.Counters.GetValueOrDefault("checked/" + filter);
        long allHits = summary.Counters.GetValueOrDefault("hits/" + filter);
        sb.Append(CultureInfo.InvariantCulture, $"| **all** | {all} | {allHits} | {Percent(allHits, all)} |\n\n");
    }

    private static string Percent(long part, long whole) =>
        whole == 0 ? "-" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
