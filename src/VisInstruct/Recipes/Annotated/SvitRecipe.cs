using System.Globalization;
using VisInstruct.Annotations;
using VisInstruct.Config;
using VisInstruct.Conversion;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Imaging;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// <b>SVIT</b>: each Visual Genome image's captions, object boxes and region descriptions become the four SVIT tasks
/// (conversation, complex reasoning, detail description, referring QA) in SVIT's raw format and, through the
/// LLaVA-1.5 conversion, a training file. The context is SVIT's, measured in tokens and cut to the model's window.
/// </summary>
public sealed class SvitRecipe : AnnotatedRecipeBase
{
    public const string RecipeName = "svit";

    private SvitRecipe()
    {
        TaskWriters =
        [
            new ConversationWriter(new TaskShape(3, 5), SvitContext.Build),
            new ComplexReasoningWriter(new TaskShape(1, 15), SvitContext.Build),
            new DetailDescriptionWriter(SvitContext.Build),
            new ReferringQaWriter(new TaskShape(1, 10), SvitContext.Build),
        ];
    }

    public static SvitRecipe Instance { get; } = new();

    public override string Name => RecipeName;

    public override string Description => "SVIT: Visual Genome (and COCO caption) annotations to the four SVIT tasks";

    /// <summary>Conversation (3 of 5 pairs), complex reasoning (15 pairs), detail description, referring QA (10 pairs).</summary>
    public override IReadOnlyList<AnnotatedTaskWriter> TaskWriters { get; }

    public override PromptLayout PromptLayout => PromptLayout.SystemFiles;

    protected override string ConfigSection => "svit";

    protected override bool CountsContextTokens => true;

    protected override AnnotatedCard CardText { get; } = new("SVIT-style visual instruction data",
        " (LLaVA-1.5 format: one sample per conversation, boxes padded to the square image, referring markers removed and a format "
        + "instruction added; images as `vg/VG_100K(_2)/<id>.jpg`)",
        "`svit/<task>.json`: SVIT's raw format per task (`image_id`, `conversations[].content[]` with `user`/`gpt`; referring boxes "
        + "normalised per side); `svit/svit.json`: all tasks together");

    /// <summary>Raw SVIT per task and combined; LLaVA-1.5 (square-padded boxes, referring instruction) per conversation.</summary>
    internal override void AddRecords(ItemResult result, WrittenTask written, DeterministicRandom rng)
    {
        var image = written.Input.Image;
        var task = written.Input.Item.Task;
        var sample = new SvitSample { ImageId = image.ImageId, Conversations = written.Conversations };
        result.Add($"svit/{task.Name}.json", sample, FormatWriter.Write);
        result.Add("svit/svit.json", sample, FormatWriter.Write);
        var size = new ImageSize(image.Width, image.Height, ImageFormat.Jpeg);
        var tally = new BoxTally();
        for (int i = 0; i < written.Conversations.Count; i++)
        {
            var turns = SvitConversion.ConvertTurns(written.Conversations[i], task.Referring, size, rng,
                SvitConversion.DefaultReferringInstructions, tally);
            result.Add(LlavaFile, new LlavaSample
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{image.ImageId}_{task.Name}_{i}"),
                Image = LlavaImage.Single(image.ImagePath),
                Conversations = turns,
            }, FormatWriter.Write);
        }
    }

    protected override AnnotatedRecipeConfig? Section(RunConfig config) => config.Svit;

    protected override IEnumerable<string> MissingAnnotations(AnnotationFiles files) =>
        new[] { ("vg_image_data", files.VgImageData), ("vg_objects", files.VgObjects), ("vg_regions", files.VgRegions) }
            .Where(f => f.Item2 is null).Select(f => f.Item1);

    protected override AnnotationSet Open(AnnotationFiles files, ImageFilter? filter, CancellationToken cancellationToken) =>
        AnnotationSet.OpenVisualGenome(files, filter, cancellationToken);

    protected override IEnumerable<string> AnnotationNotices(AnnotationsConfig? annotations)
    {
        if (annotations?.CocoCaptions is null or { Count: 0 })
        {
            yield return "no annotations.coco_captions: the (1) captions section is empty for every image";
        }
    }
}
