using System.Globalization;
using System.Text;
using VisInstruct.Engine;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The dataset card (<c>README.md</c>) of an annotation recipe: what the files hold, the statistics table, where the
/// answers came from, grounding and context cuts, repairs, backends. The recipe gives its title and the lines that
/// describe its files; everything else is read from the run's summary through <see cref="AnnotatedStatistics"/> and
/// the declared <see cref="AnnotatedCounter"/>s.
/// </summary>
/// <param name="Title">The card's heading, without the <c>#</c>.</param>
/// <param name="LlavaFile">How <c>llava.json</c> is laid out (after "the LLaVA training file").</param>
/// <param name="RawFiles">The list item describing the recipe's own files, without the leading <c>- </c>.</param>
public sealed record AnnotatedCard(string Title, string LlavaFile, string RawFiles)
{
    public string Write(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var stats = AnnotatedStatistics.From(summary);
        var all = summary.Counters;
        var sb = new StringBuilder();
        sb.Append("# ").Append(Title).Append("\n\n");
        var total = stats.Total;
        sb.Append(CultureInfo.InvariantCulture, $"{summary.Done} task samples over {total.Images} images ")
            .Append(CultureInfo.InvariantCulture, $"({total.Questions} questions, {total.Answers} answers); ")
            .Append(CultureInfo.InvariantCulture, $"{summary.Failed} failed, {summary.Dropped} dropped (see `failures.jsonl`). ")
            .Append(CultureInfo.InvariantCulture, $"Made by {ToolInfo.Name} {ToolInfo.Version} with seed {summary.Seed}.\n\n");
        sb.Append("- `llava.json`: the LLaVA training file").Append(LlavaFile).Append('\n');
        sb.Append("- ").Append(RawFiles).Append('\n');
        sb.Append("- `stats.json`: the table below as JSON\n\n");
        if (AnnotatedTag.Source.In(summary) is { } sources)
        {
            sb.Append("Written by: ").Append(string.Join(", ", sources.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"{SourceText(s.Key)} ({s.Value})")))).Append(".\n\n");
        }

        sb.Append("| task | images | object boxes | region descriptions | captions | questions | answers |\n")
            .Append("|---|---|---|---|---|---|---|\n");
        foreach (var (task, row) in stats.Tasks)
        {
            AppendRow(sb, task, row);
        }

        AppendRow(sb, "total", stats.Total);
        sb.Append("\nImages, object boxes, region descriptions and captions are those given as the tasks' input; ")
            .Append("the total counts each image once.\n\n");
        if (stats.Grounding is { } grounding)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Grounding check (referring QA): {grounding.PairsKept} of {grounding.Pairs} ")
                .Append(CultureInfo.InvariantCulture, $"question-answer pairs kept ({Percent(grounding.PairsKept, grounding.Pairs)}); ")
                .Append(CultureInfo.InvariantCulture, $"{grounding.BoxesPassed} of {grounding.Boxes} boxes matched an annotated box ")
                .Append("(IoU at least the configured threshold; ").Append(Percent(grounding.BoxesPassed, grounding.Boxes)).Append(").");
            if (grounding.Dropped.Count > 0)
            {
                sb.Append(" Dropped pairs by reason: ")
                    .Append(string.Join(", ", grounding.Dropped.Select(d => d.Key + " " + d.Value.ToString(CultureInfo.InvariantCulture))))
                    .Append('.');
            }

            sb.Append("\n\n");
        }

        if (stats.Windows is { } windows)
        {
            sb.Append("Model window: ")
                .Append(string.Join(", ", windows.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Key} ({w.Value} items)"))))
                .Append(".\n\n");
        }

        if (stats.ContextsCut > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Contexts cut to fit: {stats.ContextsCut} ")
                .Append(CultureInfo.InvariantCulture, $"(leaving out {stats.ObjectsCut} object lines and {stats.RegionsCut} region lines; ")
                .Append("see docs/svit.md for the rule).\n\n");
        }
        else if (AnnotatedCounter.Conversations.In(all) > 0 && stats.Windows is not null)
        {
            sb.Append("Every annotation context was sent whole.\n\n");
        }

        if (stats.RepairsSkippedForWindow is > 0 and var skipped)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Repair turns left out because they would not fit the model's window: {skipped}.\n\n");
        }

        if (AnnotatedCounter.RepairRequests.In(all) is > 0 and var repairs)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Answers repaired: {repairs} asked to fix their format or counts; ")
                .Append(CultureInfo.InvariantCulture, $"{AnnotatedCounter.KeptWithProblems.In(all)} kept with what parsed.\n\n");
        }

        DatasetWriter.AppendBackends(sb, summary);
        DatasetWriter.AppendReproduce(sb, summary);
        return sb.ToString();
    }

    private static string SourceText(string source) => source == AnnotatedTag.LlmSource
        ? "an LLM from the annotation context"
        : "the procedural question engine, exact from the annotations";

    private static void AppendRow(StringBuilder sb, string name, StatisticsRow row) => sb.Append(CultureInfo.InvariantCulture,
        $"| {name} | {row.Images} | {row.ObjectBoxes} | {row.RegionDescriptions} | {row.Captions} | {row.Questions} | {row.Answers} |\n");

    private static string Percent(long part, long whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
