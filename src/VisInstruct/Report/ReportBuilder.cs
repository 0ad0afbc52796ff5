using VisInstruct.Datasets;
using VisInstruct.IO;

namespace VisInstruct.Report;

/// <summary>
/// Builds a dataset's report in one streaming pass: statistics, the sample browser's chunks and thumbnails, the
/// charts and the page are written to a temporary folder beside the report folder, which then takes the old one's
/// place (an interrupted or failed report leaves the previous one as it was, and no half folder).
/// </summary>
public static class ReportBuilder
{
    public const string PageFile = "index.html";

    /// <summary>The report folder for <paramref name="options"/> (<c>report/</c> in the folder, or beside the file).</summary>
    public static string OutputFor(ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.OutputDirectory is { } output)
        {
            return Path.GetFullPath(output);
        }

        string full = Path.GetFullPath(options.Path);
        return Directory.Exists(full) ? Path.Combine(full, "report") : Path.Combine(Path.GetDirectoryName(full)!, "report");
    }

    /// <summary>
    /// Why <paramref name="output"/> cannot be the report folder, or null: it must not hold the dataset or its images
    /// (the folder is replaced as a whole), and an existing folder must be an earlier report or empty.
    /// </summary>
    public static string? RefusalFor(string output, DatasetSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        string full = Path.GetFullPath(output);
        foreach (string? inside in new[] { source.Path, source.ImageRoot })
        {
            if (inside is not null && IsSameOrBelow(Path.GetFullPath(inside), full))
            {
                return $"{output} holds {inside}; the report folder is replaced as a whole, so it must be a folder of its own";
            }
        }

        if (File.Exists(full))
        {
            return $"{output} is a file; the report is a folder";
        }

        if (Directory.Exists(full) && !File.Exists(Path.Combine(full, PageFile)) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            return $"{output} is a folder that is not an earlier report (no {PageFile}) and is not empty; name another --out";
        }

        return null;
    }

    public static ReportResult Build(ReportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var source = DatasetSource.Open(options.Path, options.ImageFolder);
        string output = OutputFor(options);
        if (RefusalFor(output, source) is { } refusal)
        {
            throw new ArgumentException(refusal, nameof(options));
        }

        string parent = Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(parent);
        // The temporary report folders of killed runs (a report of 100K samples is half a gigabyte).
        StagedOutput.RemoveStaleFolders(parent, Path.GetFileName(output));
        StagedOutput.RemoveStaleFolders(parent, Path.GetFileName(output) + ".old");
        string temp = Path.Combine(parent, StagedOutput.TempName(Path.GetFileName(output)));
        Directory.CreateDirectory(temp);
        try
        {
            var result = Write(source, options, temp, output, cancellationToken);
            Swap(temp, output);
            return result with { OutputDirectory = output };
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static ReportResult Write(DatasetSource source, ReportOptions options, string folder, string output,
        CancellationToken cancellationToken)
    {
        var facts = RunFacts.Read(source.ManifestPath, source.FailuresPath, source.StatsPath, cancellationToken);
        bool renderOnly = source.IsFolder && source.Files.Count == 0;
        var statistics = new DatasetStatistics();
        BrowserIndex index;
        using (var provenance = ProvenanceIndex.Open(renderOnly ? null : source.ProvenancePath, cancellationToken))
        {
            var browser = new SampleBrowserWriter(folder, source, provenance, options.Thumbnails, cancellationToken);
            if (renderOnly)
            {
                AddRenderImages(source, statistics, browser, cancellationToken);
            }
            else
            {
                foreach (var sample in source.Read(cancellationToken))
                {
                    statistics.Add(sample);
                    browser.Add(new BrowserItem(sample.Index, sample.Id, sample.Group, sample.Kind.Name(), Path.GetFileName(sample.File),
                        sample.ImagePaths, [.. sample.Sample.Conversations.Select(t => (t.From, t.Value))]));
                }
            }

            index = browser.Complete();
        }

        string noun = GroupNoun(source);
        var charts = new ReportCharts(Path.Combine(folder, "charts"));
        var groups = statistics.Groups.Select(g => (g.Key, g.Value)).ToList();
        var kinds = statistics.Kinds.Select(g => (g.Key, g.Value)).ToList();
        var countCharts = new List<string>
        {
            charts.Bars("groups", "Samples per " + noun, groups, "samples") ?? Svg.Bars("Samples per " + noun, groups),
            charts.Bars("kinds", "Dialogue kinds", kinds, "samples") ?? Svg.Bars("Dialogue kinds", kinds),
        };
        var lengthCharts = new List<string>();
        if (!renderOnly)
        {
            foreach (var (name, histogram) in new[]
            {
                ("turns", statistics.Turns), ("question-words", statistics.QuestionWords), ("answer-words", statistics.AnswerWords),
                ("question-tokens", statistics.QuestionTokens), ("answer-tokens", statistics.AnswerTokens),
            })
            {
                lengthCharts.Add(charts.Histogram(name, histogram) ?? Svg.Bars(histogram.Name + " (" + histogram.Unit + ")",
                    [.. Enumerable.Range(0, histogram.UsedBins).Select(i => (histogram.Label(i), histogram.Bins[i]))]));
            }
        }

        if (statistics.Boxes.Boxes > 0)
        {
            charts.HeatMap("box-centres", "Box centres", statistics.Boxes.Centres, "x", "y");
            charts.HeatMap("box-sizes", "Box sizes", statistics.Boxes.Sizes, "width", "height");
        }

        var filters = source.FiltersPath is { } filterLog
            ? FilterSection.Prepare(filterLog, folder, charts, options.Thumbnails, cancellationToken) : null;
        string? imageBase = source.ImageRoot is { } root
            ? Path.GetRelativePath(output, Path.GetFullPath(root)).Replace('\\', '/').TrimEnd('/') + "/" : null;
        var content = new ReportContent(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(source.Path))),
            Describe(source), noun, renderOnly, statistics, facts, index, imageBase, countCharts, lengthCharts, charts.Files)
        {
            Filters = filters,
        };
        File.WriteAllText(Path.Combine(folder, PageFile), ReportPage.Render(content));
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f).Length).ToList();
        return new ReportResult(output, statistics.Samples, statistics.Images, index.Thumbnails, index.ImagesWithoutFile, index.Chunks,
            files.Count, files.Sum(), ReportCharts.Available);
    }

    private static void AddRenderImages(DatasetSource source, DatasetStatistics statistics, SampleBrowserWriter browser,
        CancellationToken cancellationToken)
    {
        if (source.ProvenancePath is not { } provenance)
        {
            return;
        }

        foreach (var (record, entry) in ProvenanceIndex.ReadAll(provenance, cancellationToken))
        {
            string path = entry.File.Replace('\\', '/');
            int slash = path.IndexOf('/', StringComparison.Ordinal);
            string group = slash > 0 ? path[..slash] : "images";
            statistics.AddImage(group);
            browser.Add(new BrowserItem(record.Index, entry.Sample ?? entry.File, group, "image only", Path.GetFileName(provenance),
                [entry.File], [], entry));
        }
    }

    private static string GroupNoun(DatasetSource source) => source.Recipe switch
    {
        "stablellava" => "ability",
        "svit" or "llava-instruct" => "task",
        "render" => "folder",
        _ => "image source",
    };

    private static string Describe(DatasetSource source)
    {
        string images = source.ImageRoot is { } root ? "images under " + root : "no image folder given (--image-folder)";
        return source.IsFolder
            ? $"recipe {source.Recipe ?? "unknown"}, folder {source.Path}, {images}"
            : $"LLaVA file {source.Path}, {images}";
    }

    private static void Swap(string temp, string output)
    {
        if (!Directory.Exists(output))
        {
            Directory.Move(temp, output);
            return;
        }

        string old = Path.Combine(Path.GetDirectoryName(output)!, StagedOutput.TempName(Path.GetFileName(output) + ".old"));
        Directory.Move(output, old);
        try
        {
            Directory.Move(temp, output);
        }
        catch
        {
            Directory.Move(old, output);
            throw;
        }

        TryDelete(old);
    }

    private static bool IsSameOrBelow(string path, string folder)
    {
        string a = Path.TrimEndingDirectorySeparator(path), b = Path.TrimEndingDirectorySeparator(folder);
        return a == b || a.StartsWith(b + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is named as one (.report.tmp-HOST-PID-...); the next report removes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
