using VisInstruct.Datasets;
using VisInstruct.IO;

namespace VisInstruct.Export;

/// <summary>One sample to write: the record, its image files as resolved on disk, and its 0-based place among those written.</summary>
internal sealed record ExportItem(DatasetSample Sample, IReadOnlyList<string> ImageFiles, long Ordinal);

/// <summary>A format's writer: checks what only this format refuses, then writes samples one at a time.</summary>
internal abstract class ExportSink : IDisposable
{
    protected ExportSink(ExportOptions options, StagedOutput staged)
    {
        Options = options;
        Staged = staged;
    }

    protected ExportOptions Options { get; }

    protected StagedOutput Staged { get; }

    /// <summary>The problem that makes this format refuse the sample, or null (the common checks have passed).</summary>
    public virtual SampleProblem? Check(ExportItem item) => null;

    public abstract void Write(ExportItem item);

    /// <summary>Completes the files (closing arrays, footers); called before the staged files are committed.</summary>
    public abstract void Complete();

    /// <summary>Renames what the sink staged itself (shards) and returns the data files written, after the staged commit.</summary>
    public virtual IReadOnlyList<string> Commit() => [];

    /// <summary>The shards written (1 for an unsharded format).</summary>
    public virtual int Shards => 1;

    /// <summary>Closes the files; what was not committed is deleted.</summary>
    public void Dispose() => Release();

    protected abstract void Release();

    public static ExportSink Create(ExportOptions options, StagedOutput staged) => options.Format switch
    {
        ExportFormat.ShareGpt => new ShareGptSink(options, staged),
        ExportFormat.Parquet => new ParquetSink(options, staged),
        ExportFormat.WebDataset => new WebDatasetSink(options, staged),
        ExportFormat.OpenAi => new OpenAiSink(options, staged),
        ExportFormat.Llava => new LlavaSink(options, staged),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, null),
    };
}
