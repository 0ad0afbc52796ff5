using System.Text.Json;
using VisInstruct.Datasets;
using VisInstruct.Formats;
using VisInstruct.IO;
using VisInstruct.Json;
using VisInstruct.Randomness;

namespace VisInstruct.Mix;

/// <summary>
/// Makes a training mix in bounded memory. Pass 1 reads every source once: each sample is checked
/// (<see cref="SampleCheck"/>), refused ones are listed by reason, and exact duplicates (same image bytes and dialogue,
/// across all sources, first one kept) are dropped; a bit per record remembers what is usable. The caps and specs are
/// then fixed from the counts. Pass 2 reads the sources again and draws, record by record, how many copies each gets
/// and which go to the holdout, writing them with a seeded sort key to an external sort; its merge is the shuffled
/// order of <c>llava.json</c>, <c>llava_multi.json</c> and <c>holdout.json</c>. Everything is written under temporary
/// names and moved into place at the end.
/// </summary>
public static class Mixer
{
    private const byte SingleKind = 0;
    private const byte MultiKind = 1;
    private const byte HoldoutKind = 2;

    public static MixResult Run(MixOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sources = Open(options);
        string output = Path.GetFullPath(options.Output);
        CheckOutput(output);
        bool created = !Directory.Exists(output);
        Directory.CreateDirectory(output);
        // The image and spill folders a killed mix left (.images.tmp-HOST-PID-RANDOM).
        StagedOutput.RemoveStaleFolders(output);
        string imagesTemp = Path.Combine(output, StagedOutput.TempName(ImagePlacer.ImagesFolder));
        string spillTemp = Path.Combine(output, StagedOutput.TempName("spill"));
        bool committed = false;
        try
        {
            using var staged = new StagedOutput();
            var result = new MixResult { Sources = sources };
            var placer = new ImagePlacer(options.Images, options.ImageRoot, imagesTemp);
            var digests = new ContentDigest();
            using (var refused = new RecordFileWriter<(MixSource, Refusal)>(staged.Create(Path.Combine(output, "refused.jsonl")),
                       JsonRecordLayout.Lines, JsonStyle.Compact, MixCard.WriteRefusal))
            {
                var seen = new HashSet<UInt128>();
                foreach (var source in sources)
                {
                    options.Progress?.Invoke($"pass 1 of 2: checking {source.Name} ({source.Input.Path})");
                    FirstPass(source, placer, digests, seen, refused, cancellationToken);
                }

                refused.Complete();
            }

            result.ImagesHashed = digests.ImagesHashed;
            foreach (var source in sources)
            {
                source.Plan(options.Caps, options.Seed);
                if (source.Usable == 0 && source.Input.Take.Count is not null)
                {
                    throw new MixException($"--input {source.Input.Argument}: the source has no usable sample to take " +
                        $"{source.Input.Take.Count} of ({source.Read} read, {source.Refusals.Total} refused, " +
                        $"{source.Duplicates} duplicates)");
                }
            }

            using (var sorter = new SpillSorter(spillTemp, options.RunBytes))
            {
                result.IdsRenamed = SecondPass(sources, options, placer, sorter, cancellationToken);
                options.Progress?.Invoke(FormattableString.Invariant($"writing {sorter.Count} records in shuffled order"));
                WriteOutputs(output, options.Style, staged, sorter, result, cancellationToken);
                result.SpillRuns = sorter.Runs;
                result.SpillBytes = sorter.SpilledBytes;
            }

            result.ImagesLinked = placer.Linked;
            result.ImagesCopied = placer.Copied;
            result.ImagesSymlinked = placer.Symlinked;
            MixCard.Write(output, options, result, staged);
            result.Files = [.. staged.Destinations.Select(Path.GetFileName).OfType<string>()];
            cancellationToken.ThrowIfCancellationRequested();
            CommitImages(output, imagesTemp, options.Images);
            staged.Commit();
            committed = true;
            return result;
        }
        finally
        {
            DeleteFolder(spillTemp);
            DeleteFolder(imagesTemp);
            if (!committed && created && !Directory.EnumerateFileSystemEntries(output).Any())
            {
                Directory.Delete(output);
            }
        }
    }

    private static List<MixSource> Open(MixOptions options)
    {
        if (options.Inputs.Count == 0)
        {
            throw new MixException("--input: at least one source is needed");
        }

        if (options.Holdout is < 0 or >= 1 || double.IsNaN(options.Holdout))
        {
            throw new MixException($"--holdout {options.Holdout}: the share held out must be at least 0 and below 1");
        }

        if (options.Images == ImageMode.Rebase && (options.ImageRoot is null || !Directory.Exists(options.ImageRoot)))
        {
            throw new MixException(options.ImageRoot is null
                ? "--images rebase needs --image-root, the folder that holds every source's images"
                : $"--image-root {options.ImageRoot}: no such folder");
        }

        var sources = new List<MixSource>();
        foreach (var input in options.Inputs)
        {
            var dataset = DatasetSource.Open(input.Path, input.ImageFolder);
            if (dataset.ImageRoot is null)
            {
                throw new MixException($"--input {input.Argument}: the folder of this {dataset.Recipe} dataset's images is not known; " +
                    $"give it with --image-folder {input.Name}=DIR");
            }

            sources.Add(new MixSource(input, dataset));
        }

        foreach (var cap in options.Caps.Where(c => c.Source is not null && sources.All(s => s.Name != c.Source)))
        {
            throw new MixException($"--cap {cap.Source}/{cap.Group}: there is no source named {cap.Source} " +
                $"(the sources are {string.Join(", ", sources.Select(s => s.Name))})");
        }

        return sources;
    }

    private static void CheckOutput(string output)
    {
        if (File.Exists(output))
        {
            throw new MixException($"--out {output} is a file; it must be a folder");
        }

        if (Directory.Exists(output) && !File.Exists(Path.Combine(output, MixCard.CardFile))
            && Directory.EnumerateFileSystemEntries(output).Any(e => !Path.GetFileName(e).StartsWith('.')))
        {
            throw new MixException($"--out {output} holds files that are not an earlier mix's; name a new or empty folder");
        }
    }

    private static void FirstPass(MixSource source, ImagePlacer placer, ContentDigest digests, HashSet<UInt128> seen,
        RecordFileWriter<(MixSource, Refusal)> refused, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        // Records are numbered across the source's files (a folder's llava_multi.json follows its llava.json).
        foreach (var sample in source.Dataset.Read(cancellationToken))
        {
            source.Read++;
            var group = source.Group(sample.Group);
            group.Read++;
            if (SampleCheck.Find(sample, source.Dataset, requireFinalAnswer: false) is { } problem)
            {
                source.Refusals.Add(sample, problem);
                group.Refused++;
                refused.Write((source, new Refusal(sample.File, sample.Index, sample.Id, problem)));
                continue;
            }

            files.Clear();
            var paths = sample.ImagePaths;
            for (int i = 0; i < paths.Count; i++)
            {
                string file = source.Dataset.ResolveImage(paths[i])!;
                placer.PathFor(source, sample, i, file);
                files.Add(file);
            }

            if (!seen.Add(digests.Of(sample, files)))
            {
                source.Duplicates++;
                group.Duplicates++;
                continue;
            }

            group.Usable++;
            source.MarkUsable(source.Read - 1);
        }
    }

    private static long SecondPass(List<MixSource> sources, MixOptions options, ImagePlacer placer, SpillSorter sorter,
        CancellationToken cancellationToken)
    {
        long distinct = sources.Sum(s => s.Distinct);
        long holdoutSize = (long)Math.Round(options.Holdout * distinct, MidpointRounding.AwayFromZero);
        var holdout = new Selection(DeterministicRandom.For(options.Seed, "mix/holdout"), holdoutSize, distinct);
        var shuffle = DeterministicRandom.For(options.Seed, "mix/shuffle");
        var ids = new UniqueIds();
        using var buffer = new MemoryStream(1 << 12);
        foreach (var source in sources)
        {
            options.Progress?.Invoke($"pass 2 of 2: taking from {source.Name}");
            long ordinal = -1;
            foreach (var sample in source.Dataset.Read(cancellationToken))
            {
                ordinal++;
                if (!source.IsUsable(ordinal))
                {
                    continue;
                }

                var group = source.Groups[sample.Group];
                long copies = source.Copies(sample.Group);
                if (copies == 0)
                {
                    continue;
                }

                var image = MapImages(source, sample, placer);
                bool held = holdout.Next();
                for (long copy = 0; copy < (held ? 1 : copies); copy++)
                {
                    var record = sample.Sample with { Id = ids.Assign(sample.Id), Image = image };
                    buffer.SetLength(0);
                    using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
                    {
                        FormatWriter.Write(writer, record);
                    }

                    byte kind = held ? HoldoutKind : (image?.Paths.Count ?? 0) > 1 ? MultiKind : SingleKind;
                    sorter.Add(shuffle.NextUInt64(), kind, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                }

                if (held)
                {
                    source.HeldOut++;
                    group.HeldOut++;
                }
                else
                {
                    source.Taken += copies;
                    group.Taken += copies;
                }
            }
        }

        return ids.Renamed;
    }

    private static LlavaImage? MapImages(MixSource source, DatasetSample sample, ImagePlacer placer)
    {
        if (sample.Sample.Image is not { } image)
        {
            return null;
        }

        var mapped = new List<string>(image.Paths.Count);
        for (int i = 0; i < image.Paths.Count; i++)
        {
            string file = source.Dataset.ResolveImage(image.Paths[i])!;
            string path = placer.PathFor(source, sample, i, file);
            placer.Place(file, path);
            mapped.Add(path);
        }

        return image.IsList ? LlavaImage.List(mapped) : LlavaImage.Single(mapped[0]);
    }

    private static void WriteOutputs(string output, JsonStyle style, StagedOutput staged, SpillSorter sorter, MixResult result,
        CancellationToken cancellationToken)
    {
        bool raw = style.Indent is null && !style.EnsureAscii;
        var writers = new RecordFileWriter<ReadOnlyMemory<byte>>?[3];
        string[] names = ["llava.json", "llava_multi.json", "holdout.json"];
        try
        {
            foreach (var (kind, record) in sorter.Merge())
            {
                cancellationToken.ThrowIfCancellationRequested();
                writers[kind] ??= new RecordFileWriter<ReadOnlyMemory<byte>>(staged.Create(Path.Combine(output, names[kind])),
                    JsonRecordLayout.Array, style, (writer, bytes) => WriteRecord(writer, bytes, raw));
                writers[kind]!.Write(record);
            }

            // An empty training file is still written, so that a mix always has its llava.json.
            writers[SingleKind] ??= new RecordFileWriter<ReadOnlyMemory<byte>>(staged.Create(Path.Combine(output, names[SingleKind])),
                JsonRecordLayout.Array, style, (writer, bytes) => WriteRecord(writer, bytes, raw));
            foreach (var writer in writers)
            {
                writer?.Complete();
            }

            result.Single = writers[SingleKind]!.Count;
            result.Multi = writers[MultiKind]?.Count ?? 0;
            result.Holdout = writers[HoldoutKind]?.Count ?? 0;
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer?.Dispose();
            }
        }
    }

    private static void WriteRecord(PythonJsonWriter writer, ReadOnlyMemory<byte> bytes, bool raw)
    {
        if (raw)
        {
            writer.WriteRawValue(bytes.Span);
            return;
        }

        var sample = JsonSerializer.Deserialize(bytes.Span, FormatsJsonContext.Default.LlavaSample)!;
        FormatWriter.Write(writer, sample);
    }

    private static void CommitImages(string output, string imagesTemp, ImageMode mode)
    {
        string images = Path.Combine(output, ImagePlacer.ImagesFolder);
        if (mode == ImageMode.Rebase || !Directory.Exists(imagesTemp))
        {
            return;
        }

        if (Directory.Exists(images))
        {
            string old = Path.Combine(output, StagedOutput.TempName(ImagePlacer.ImagesFolder + "-old"));
            Directory.Move(images, old);
            Directory.Move(imagesTemp, images);
            DeleteFolder(old);
            return;
        }

        Directory.Move(imagesTemp, images);
    }

    private static void DeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a hidden temporary folder left behind holds nothing the user needs.
        }
    }
}
