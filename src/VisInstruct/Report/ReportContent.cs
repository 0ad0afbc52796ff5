namespace VisInstruct.Report;

/// <summary>Everything the page shows, gathered by <see cref="ReportBuilder"/>.</summary>
internal sealed record ReportContent(string Title, string SourceDescription, string GroupNoun, bool RenderOnly,
    DatasetStatistics Statistics, RunFacts Facts, BrowserIndex Index, string? ImageBase, IReadOnlyList<string> CountCharts,
    IReadOnlyList<string> LengthCharts,
    IReadOnlyList<string> ChartFiles)
{
    /// <summary>The Filters section's figures, when the folder holds a <c>filters.jsonl</c>.</summary>
    public FilterFigures? Filters { get; init; }
}

/// <summary>What to report on and where to write it.</summary>
public sealed record ReportOptions
{
    /// <summary>A dataset folder this tool wrote or a LLaVA JSON/JSONL file.</summary>
    public required string Path { get; init; }

    /// <summary>The folder image paths are relative to (LLaVA's --image_folder); null: the dataset's own default.</summary>
    public string? ImageFolder { get; init; }

    /// <summary>The report folder; null: <c>report/</c> inside the dataset folder, or beside the file.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Write small JPEG thumbnails (the default) or show the original images, scaled by the browser.</summary>
    public bool Thumbnails { get; init; } = true;
}

/// <summary>What a report run wrote.</summary>
public sealed record ReportResult(string OutputDirectory, long Samples, long Images, long Thumbnails, long ImagesWithoutFile, int Chunks,
    long Files, long Bytes, bool ChartsDrawn);
