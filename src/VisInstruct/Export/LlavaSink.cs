using VisInstruct.Datasets;
using VisInstruct.Formats;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Export;

/// <summary>
/// LLaVA JSON for a dataset that moves: single-image and text-only samples in <c>OUT/llava.json</c>, multi-image ones
/// in <c>OUT/llava_multi.json</c> (as <c>generate</c> writes them), each image path rewritten relative to
/// <c>--image-root</c> (the trainer's new <c>--image_folder</c>; an image outside it is refused), to the copies or
/// links under <c>OUT/images</c> (then <c>--image_folder OUT/images</c>), or as an absolute path.
/// </summary>
internal sealed class LlavaSink : ExportSink
{
    /// <summary>The refusal reason for an image that is not below <c>--image-root</c>.</summary>
    public const string OutsideRoot = "image-outside-root";

    private readonly RecordFileWriter<LlavaSample> _single;
    private readonly ImagePlacer _placer;
    private readonly string? _root;
    private RecordFileWriter<LlavaSample>? _multi;

    public LlavaSink(ExportOptions options, StagedOutput staged)
        : base(options, staged)
    {
        _placer = new ImagePlacer(options.Out, options.Images);
        _root = options.ImageRoot is null ? null : Path.GetFullPath(options.ImageRoot);
        _single = Open(DatasetSource.TrainingFiles[0]);
    }

    public override SampleProblem? Check(ExportItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_root is null)
        {
            return null;
        }

        for (int i = 0; i < item.ImageFiles.Count; i++)
        {
            if (Rebased(item.ImageFiles[i]) is null)
            {
                return new SampleProblem(OutsideRoot, $"{item.ImageFiles[i]} is not below --image-root {_root}",
                    item.Sample.Sample.Image!.IsList ? JsonLocator.Index("image", i) : "image");
            }
        }

        return null;
    }

    public override void Write(ExportItem item)
    {
        var sample = item.Sample.Sample;
        if (sample.Image is { } image)
        {
            var paths = new List<string>(image.Paths.Count);
            for (int i = 0; i < image.Paths.Count; i++)
            {
                paths.Add(_root is not null ? Rebased(item.ImageFiles[i])! : _placer.Place(image.Paths[i], item.ImageFiles[i]));
            }

            sample = sample with { Image = image.IsList ? LlavaImage.List(paths) : LlavaImage.Single(paths[0]) };
        }

        if (item.Sample.Kind == DialogueKind.MultiImage)
        {
            (_multi ??= Open(DatasetSource.TrainingFiles[1])).Write(sample);
        }
        else
        {
            _single.Write(sample);
        }
    }

    public override void Complete()
    {
        _single.Complete();
        _single.Dispose();
        _multi?.Complete();
        _multi?.Dispose();
    }

    protected override void Release()
    {
        _single.Dispose();
        _multi?.Dispose();
    }

    private RecordFileWriter<LlavaSample> Open(string name) =>
        new(Staged.Create(Path.Combine(Options.Out, name)), JsonRecordLayout.Array, JsonStyle.Indented(2), FormatWriter.Write);

    private string? Rebased(string file)
    {
        string relative = Path.GetRelativePath(_root!, Path.GetFullPath(file));
        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || Path.IsPathRooted(relative) ? null : relative.Replace('\\', '/');
    }
}
