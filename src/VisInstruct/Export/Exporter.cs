using System.Diagnostics;
using System.Globalization;
using VisInstruct.Datasets;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Export;

/// <summary>
/// Runs an export: reads the source one sample at a time, refuses what <see cref="SampleCheck"/> or the format
/// refuses (listing each in <c>refused.jsonl</c>), writes the rest, and moves every file into place only when all
/// are complete, so that a failure or Ctrl+C leaves nothing half-written.
/// </summary>
public static class Exporter
{
    /// <summary>Where refused samples are listed: <c>refused.jsonl</c> in a folder, <c>NAME.refused.jsonl</c> beside a file.</summary>
    public static string RefusedPath(ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Format.WritesFile()
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Out))!, options.ResolvedName + ".refused.jsonl")
            : Path.Combine(options.Out, "refused.jsonl");
    }

    /// <summary>
    /// Exports as <paramref name="options"/> ask. Bad usage throws <see cref="ExportUsageException"/>; bad input
    /// throws <see cref="InputFormatException"/> naming the file, record and field.
    /// </summary>
    public static ExportReport Run(ExportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        CheckOptions(options);
        var source = DatasetSource.Open(options.Source, options.ImageFolder);
        if (source.ImageRoot is null)
        {
            throw new ExportUsageException(
                $"{options.Source} names its images relative to a data root this tool does not know (recipe {source.Recipe}); "
                + $"--format {options.Format.Name()} needs the image files: give --image-folder (the folder LLaVA's --image_folder names)");
        }

        var tally = new RefusalTally();
        long read = 0, written = 0, imageBytes = 0;
        string refusedPath = RefusedPath(options);
        using var staged = new StagedOutput();
        using var sink = ExportSink.Create(options, staged);
        using (var refused = new RecordFileWriter<Refusal>(staged.Create(refusedPath), JsonRecordLayout.Lines, JsonStyle.Compact,
            (writer, refusal) => refusal.Write(writer)))
        {
            foreach (var sample in source.Read(cancellationToken))
            {
                read++;
                if (options.Progress is { } progress && read % options.ProgressEvery == 0)
                {
                    progress(string.Create(CultureInfo.InvariantCulture,
                        $"export {options.Format.Name()}: {read} read, {written} written, {tally.Total} refused, "
                            + $"{clock.Elapsed.TotalSeconds:0} s"));
                }

                var files = sample.ImagePaths.Select(p => source.ResolveImage(p) ?? "").ToList();
                var item = new ExportItem(sample, files, written);
                // LLaVA's train.py masks a final question and trains the rest; the chat formats need an answer last.
                var problem = SampleCheck.Find(sample, source, requireFinalAnswer: options.Format != ExportFormat.Llava)
                    ?? sink.Check(item);
                if (problem is not null)
                {
                    tally.Add(sample, problem);
                    refused.Write(new Refusal(sample.File, sample.Index, sample.Id, problem));
                    continue;
                }

                sink.Write(item);
                written++;
                foreach (string file in files)
                {
                    imageBytes += new FileInfo(file).Length;
                }
            }

            refused.Complete();
        }

        cancellationToken.ThrowIfCancellationRequested();
        sink.Complete();
        var stagedFiles = staged.Destinations.Where(d => !string.Equals(d, Path.GetFullPath(refusedPath), StringComparison.Ordinal))
            .ToList();
        var shardFiles = sink.Commit();
        staged.Commit();
        var dataFiles = shardFiles.Concat(stagedFiles).ToList();
        return new ExportReport
        {
            Read = read, Written = written, Refused = tally, Files = dataFiles, Shards = sink.Shards,
            Bytes = dataFiles.Sum(f => new FileInfo(f).Length), ImageBytes = imageBytes, Seconds = clock.Elapsed.TotalSeconds,
            RefusedPath = refusedPath,
        };
    }

    private static void CheckOptions(ExportOptions options)
    {
        string flag = options.Format.WritesFile() ? "a file" : "a folder";
        if (options.Format.WritesFile() ? Directory.Exists(options.Out) : File.Exists(options.Out))
        {
            throw new ExportUsageException($"--out {options.Out}: --format {options.Format.Name()} writes {flag} there");
        }

        if (options.Images != ImageHandling.Absolute && options.Format is not (ExportFormat.ShareGpt or ExportFormat.Llava))
        {
            throw new ExportUsageException(
                "--images copy|link is for --format sharegpt and llava (the other formats hold the image bytes)");
        }

        if (options.ImageRoot is not null && options.Format != ExportFormat.Llava)
        {
            throw new ExportUsageException("--image-root is for --format llava");
        }

        if (options.ImageRoot is not null && options.Images != ImageHandling.Absolute)
        {
            throw new ExportUsageException("--image-root and --images copy|link both say where the images are: give one");
        }

        if (options.OpenAiRoles && options.Format != ExportFormat.Parquet)
        {
            throw new ExportUsageException("--roles openai is for --format parquet");
        }

        if (options.ShardSize <= 0)
        {
            throw new ExportUsageException("--shard-size must be more than 0 bytes");
        }

        if (options.ResolvedName is not { Length: > 0 } name || name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
        {
            throw new ExportUsageException($"--name \"{options.ResolvedName}\" cannot name files; give a plain name");
        }
    }
}
