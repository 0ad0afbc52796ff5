using System.Text;
using VisInstruct.Engine;
using VisInstruct.Json;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The statistics of an annotation-recipe dataset, read from the engine's per-item tags and counters
/// (<see cref="AnnotatedCounter"/>, <see cref="AnnotatedTag"/>): SVIT's table per task and in total, the grounding
/// check, the context cuts and the model's window. <see cref="Json"/> is <c>stats.json</c>.
/// </summary>
public sealed record AnnotatedStatistics(string Recipe, IReadOnlyList<(string Task, StatisticsRow Row)> Tasks, StatisticsRow Total,
    GroundingTotals? Grounding, long ContextsCut, long ObjectsCut, long RegionsCut)
{
    /// <summary>How many items saw each model window (null: no LLM).</summary>
    public IReadOnlyDictionary<string, long>? Windows { get; init; }

    /// <summary>Repair turns left out because they would not fit the model's window.</summary>
    public long RepairsSkippedForWindow { get; init; }

    public static AnnotatedStatistics From(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var rows = new List<(string, StatisticsRow)>();
        var byTask = summary.CountersByTag.GetValueOrDefault(AnnotatedTag.Task.Key);
        foreach (var (task, images) in AnnotatedTag.Task.In(summary) ?? [])
        {
            IReadOnlyDictionary<string, long> c = byTask?.GetValueOrDefault(task) ?? [];
            rows.Add((task, new StatisticsRow(images, AnnotatedCounter.Objects.In(c), AnnotatedCounter.Regions.In(c),
                AnnotatedCounter.Captions.In(c), AnnotatedCounter.Questions.In(c), AnnotatedCounter.Answers.In(c))));
        }

        var all = summary.Counters;
        // Each image of a finished item once, with the inputs of its first finished item: the totals are those of the
        // task files written, whichever tasks of an image were dropped.
        IReadOnlyDictionary<string, long> once = summary.DistinctCounters.GetValueOrDefault(AnnotatedTag.Image.Key) ?? [];
        var total = new StatisticsRow(summary.DistinctCounts.GetValueOrDefault(AnnotatedTag.Image.Key),
            AnnotatedCounter.Objects.In(once), AnnotatedCounter.Regions.In(once), AnnotatedCounter.Captions.In(once),
            AnnotatedCounter.Questions.In(all), AnnotatedCounter.Answers.In(all));
        GroundingTotals? grounding = null;
        if (AnnotatedCounter.GroundingPairs.IsIn(all, out long pairs))
        {
            grounding = new GroundingTotals(pairs, AnnotatedCounter.GroundingPairsKept.In(all), AnnotatedCounter.GroundingBoxes.In(all),
                AnnotatedCounter.GroundingBoxesPassed.In(all), AnnotatedCounter.GroundingDroppedIn(all));
        }

        return new AnnotatedStatistics(summary.Recipe, rows, total, grounding, AnnotatedCounter.ContextCut.In(all),
            AnnotatedCounter.ObjectsCut.In(all), AnnotatedCounter.RegionsCut.In(all))
        {
            Windows = AnnotatedTag.ContextWindow.In(summary),
            RepairsSkippedForWindow = AnnotatedCounter.RepairSkippedWindow.In(all),
        };
    }

    /// <summary><c>stats.json</c>: per task and in total, the counts of SVIT's statistics table, plus grounding and context cuts.</summary>
    public string Json()
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Indented(2), leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("recipe", Recipe);
            writer.WritePropertyName("tasks");
            writer.WriteStartObject();
            foreach (var (task, row) in Tasks)
            {
                writer.WritePropertyName(task);
                WriteRow(writer, row);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("total");
            WriteRow(writer, Total);
            if (Grounding is { } grounding)
            {
                writer.WritePropertyName("grounding");
                writer.WriteStartObject();
                writer.WriteNumber("pairs", grounding.Pairs);
                writer.WriteNumber("pairs_kept", grounding.PairsKept);
                writer.WriteNumber("boxes", grounding.Boxes);
                writer.WriteNumber("boxes_passed", grounding.BoxesPassed);
                writer.WritePropertyName("dropped");
                writer.WriteStartObject();
                foreach (var (reason, count) in grounding.Dropped)
                {
                    writer.WriteNumber(reason, count);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WritePropertyName("context");
            writer.WriteStartObject();
            writer.WriteNumber("cut", ContextsCut);
            writer.WriteNumber("objects_cut", ObjectsCut);
            writer.WriteNumber("regions_cut", RegionsCut);
            if (Windows is { } windows)
            {
                writer.WritePropertyName("window");
                writer.WriteStartObject();
                foreach (var (window, items) in windows)
                {
                    writer.WriteNumber(window, items);
                }

                writer.WriteEndObject();
            }

            writer.WriteNumber("repairs_skipped_for_window", RepairsSkippedForWindow);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteRow(PythonJsonWriter writer, StatisticsRow row)
    {
        writer.WriteStartObject();
        writer.WriteNumber("images", row.Images);
        writer.WriteNumber("object_boxes", row.ObjectBoxes);
        writer.WriteNumber("region_descriptions", row.RegionDescriptions);
        writer.WriteNumber("captions", row.Captions);
        writer.WriteNumber("questions", row.Questions);
        writer.WriteNumber("answers", row.Answers);
        writer.WriteEndObject();
    }
}
