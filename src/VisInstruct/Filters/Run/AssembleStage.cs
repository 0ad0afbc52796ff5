using VisInstruct.Engine;
using VisInstruct.Formats;

namespace VisInstruct.Filters.Run;

/// <summary>
/// The last stage of a filter run: every verdict on the sample in <see cref="FilterNames.All"/> order (the ones that
/// need no model computed here, the scan's looked up, the judges' carried in), then the sample kept or dropped.
/// </summary>
internal sealed class AssembleStage(FilterSettings settings, FilterScan? scan, OutputImages images,
    IReadOnlyList<(string Name, Func<LlavaSample, FilterVerdict> Judge)> local)
{
    public const string GroupTag = "group";

    public ValueTask<ItemResult> RunAsync(FilterWork work, SampleContext context, CancellationToken cancellationToken)
    {
        var subject = work.Subject;
        var verdicts = new List<FilterVerdict>();
        foreach (string filter in settings.Filters)
        {
            var verdict = local.FirstOrDefault(l => l.Name == filter).Judge?.Invoke(subject.Sample.Sample)
                ?? work.Judged.FirstOrDefault(j => j.Filter == filter)
                ?? filter switch
                {
                    FilterNames.ImageDup => scan?.ImageVerdict(work.Ordinal) ?? FilterVerdict.Pass(subject.Id, filter),
                    FilterNames.TextDup => scan?.ConversationVerdict(work.Ordinal) ?? FilterVerdict.Pass(subject.Id, filter),
                    _ => throw new InvalidOperationException($"the filter {filter} gave no verdict"),
                };
            verdicts.Add(verdict);
        }

        bool dropped = verdicts.Any(v => v.Flagged && settings.Drop.Contains(v.Filter));
        var result = new ItemResult().Tag(GroupTag, subject.Group).Count("samples", 1).Count(dropped ? "dropped" : "kept", 1);
        foreach (var verdict in verdicts)
        {
            // A line's "dropped" says that this filter's flag removed the sample (a sample is dropped when any line says so).
            bool droppedHere = verdict.Flagged && settings.Drop.Contains(verdict.Filter);
            var line = new FilterLine(subject.Key, subject.Group, verdict, droppedHere, verdict.Flagged ? subject.Images : []);
            result.Add(FilterLog.FileName, line, FilterLog.Write);
            Count(result, verdict, dropped);
        }

        if (dropped)
        {
            result.Add(FilterRecipe.DroppedFile, subject.Sample.Sample, FormatWriter.Write);
        }
        else
        {
            var (record, files) = images.Map(subject.Sample);
            images.Place(files);
            string file = Path.GetFileName(subject.Sample.File) == "llava_multi.json" ? "llava_multi.json" : "llava.json";
            result.Add(file, record, FormatWriter.Write);
        }

        return ValueTask.FromResult(result);
    }

    private void Count(ItemResult result, FilterVerdict verdict, bool dropped)
    {
        string f = verdict.Filter;
        result.Count("ran/" + f, 1);
        if (settings.Drop.Contains(f))
        {
            result.Count("drops/" + f, 1);
        }

        if (verdict.Flagged)
        {
            result.Count("flagged/" + f, 1).Count("reason/" + f + "/" + verdict.Reason, 1);
            if (dropped && settings.Drop.Contains(f))
            {
                result.Count("dropped/" + f, 1);
            }
        }

        if (verdict.Checked is { } parts)
        {
            result.Count("checked/" + f, parts).Count("hits/" + f, verdict.Hits ?? 0);
        }
    }
}
