using VisInstruct.Formats;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Export;

/// <summary>
/// LLaMA-Factory's multimodal ShareGPT: <c>OUT/NAME.json</c>, an array of <c>{"messages": [{"role", "content"}],
/// "images": [...]}</c> with the <c>&lt;image&gt;</c> tokens left where they were, and the <c>NAME</c> entry of
/// <c>OUT/dataset_info.json</c> (merged into one already there), so that <c>dataset_dir: OUT</c> and
/// <c>dataset: NAME</c> load it. LLaMA-Factory joins a relative image path to its <c>media_dir</c> (by default the
/// <c>dataset_dir</c>): copied or linked images are written relative to OUT, absolute ones as they are.
/// </summary>
internal sealed class ShareGptSink : ExportSink
{
    private readonly RecordFileWriter<(LlavaSample Sample, IReadOnlyList<string> Images)> _writer;
    private readonly ImagePlacer _placer;
    private readonly string _infoPath;

    public ShareGptSink(ExportOptions options, StagedOutput staged)
        : base(options, staged)
    {
        _infoPath = Path.Combine(options.Out, DatasetInfo.FileName);
        // Read (and so checked) before anything is written: a damaged dataset_info.json is bad input.
        _ = DatasetInfo.Read(_infoPath);
        _placer = new ImagePlacer(options.Out, options.Images);
        string file = Path.Combine(options.Out, options.ResolvedName + ".json");
        _writer = new(staged.Create(file), JsonRecordLayout.Array, JsonStyle.Indented(2), Write);
    }

    public override void Write(ExportItem item)
    {
        var images = new List<string>(item.ImageFiles.Count);
        for (int i = 0; i < item.ImageFiles.Count; i++)
        {
            string placed = _placer.Place(item.Sample.ImagePaths[i], item.ImageFiles[i]);
            images.Add(Options.Images == ImageHandling.Absolute ? placed : ImagePlacer.ImagesFolder + "/" + placed);
        }

        _writer.Write((item.Sample.Sample, images));
    }

    public override void Complete()
    {
        _writer.Complete();
        _writer.Dispose();
        using var stream = Staged.Create(_infoPath);
        DatasetInfo.Write(stream, DatasetInfo.Read(_infoPath), Options.ResolvedName, Options.ResolvedName + ".json");
    }

    protected override void Release() => _writer.Dispose();

    /// <summary>The role LLaMA-Factory's ShareGPT tags give a LLaVA turn.</summary>
    public static string Role(LlavaTurn turn) => turn.From == LlavaTurn.Human ? "user" : "assistant";

    private static void Write(PythonJsonWriter writer, (LlavaSample Sample, IReadOnlyList<string> Images) record)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("messages");
        writer.WriteStartArray();
        foreach (var turn in record.Sample.Conversations)
        {
            writer.WriteStartObject();
            writer.WriteString("role", Role(turn));
            writer.WriteString("content", turn.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("images");
        writer.WriteStartArray();
        foreach (string image in record.Images)
        {
            writer.WriteStringValue(image);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
