using System.Globalization;
using System.Text;
using VisInstruct.Annotations;
using VisInstruct.Config;
using VisInstruct.Conversion;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// <b>LLaVA-Instruct</b>: each COCO image's captions and category boxes become LLaVA's three tasks (conversation from
/// the captions alone, as LLaVA did; detail description and complex reasoning from captions and boxes), in
/// LLaVA-Instruct-150K's layout and a training file. The context is never cut.
/// </summary>
public sealed class LlavaInstructRecipe : AnnotatedRecipeBase
{
    public const string RecipeName = "llava-instruct";

    private LlavaInstructRecipe()
    {
        TaskWriters =
        [
            new ConversationWriter(new TaskShape(1, null), (image, _) => Context(image, withBoxes: false)),
            new DetailDescriptionWriter((image, _) => Context(image, withBoxes: true)),
            new ComplexReasoningWriter(new TaskShape(1, 1), (image, _) => Context(image, withBoxes: true)),
        ];
    }

    public static LlavaInstructRecipe Instance { get; } = new();

    public override string Name => RecipeName;

    public override string Description => "LLaVA-Instruct: COCO captions and boxes to LLaVA's three tasks";

    /// <summary>Conversation (one, any length), detail description, complex reasoning (one pair); no referring QA.</summary>
    public override IReadOnlyList<AnnotatedTaskWriter> TaskWriters { get; }

    public override PromptLayout PromptLayout => PromptLayout.TaskFolders;

    protected override string ConfigSection => "llava_instruct";

    protected override AnnotatedCard CardText { get; } = new("LLaVA-Instruct-style visual instruction data",
        " (images as `coco/<split>/<file>`, `<image>` in the first question)",
        "`llava-instruct/<task>.json`: per task in LLaVA-Instruct-150K's layout (`id` = 12-digit COCO id, `image` = file name)");

    /// <summary>
    /// LLaVA-Instruct's layout per task and LLaVA's training file; boxes stay per side (no square padding), no referring instruction.
    /// </summary>
    internal override void AddRecords(ItemResult result, WrittenTask written, DeterministicRandom rng)
    {
        var image = written.Input.Image;
        string task = written.Input.Item.Task.Name;
        string cocoId = image.ImageId.ToString("D12", CultureInfo.InvariantCulture);
        var tally = new BoxTally();
        for (int i = 0; i < written.Conversations.Count; i++)
        {
            var turns = SvitConversion.ConvertTurns(written.Conversations[i], referring: false, size: null, rng, [], tally);
            string suffix = written.Conversations.Count == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $"_{i}");
            // LLaVA-Instruct-150K's id, the COCO id, while it is unique in the file (one conversation of the image, as an
            // LLM writes); several conversations of one image (up to fifteen complex-reasoning pairs offline) get
            // <COCO id>_<task>_<n>, as in llava.json, so that no two records of a file share an id.
            string id = $"{cocoId}_{task}{suffix}";
            var raw = new LlavaSample
            {
                Id = suffix.Length == 0 ? cocoId : id,
                Image = LlavaImage.Single(Path.GetFileName(image.ImagePath)),
                Conversations = turns,
            };
            result.Add($"llava-instruct/{task}.json", raw, FormatWriter.Write);
            var training = new LlavaSample
            {
                Id = id,
                Image = LlavaImage.Single(image.ImagePath),
                Conversations = turns,
            };
            result.Add(LlavaFile, training, FormatWriter.Write);
        }
    }

    protected override AnnotatedRecipeConfig? Section(RunConfig config) => config.LlavaInstruct;

    protected override IEnumerable<string> MissingAnnotations(AnnotationFiles files) =>
        files.CocoCaptions is { Count: > 0 } ? [] : ["coco_captions"];

    protected override AnnotationSet Open(AnnotationFiles files, ImageFilter? filter, CancellationToken cancellationToken) =>
        AnnotationSet.OpenCoco(files, filter, cancellationToken);

    protected override IEnumerable<string> AnnotationNotices(AnnotationsConfig? annotations)
    {
        if (annotations?.CocoInstances is null or { Count: 0 })
        {
            yield return "no annotations.coco_instances: detail description and complex reasoning get the captions without boxes";
        }
    }

    /// <summary>The LLaVA-Instruct context (captions, and the boxes when asked), counted by its estimate: it is never cut.</summary>
    private static ContextText Context(ImageAnnotations image, bool withBoxes)
    {
        string text = LlavaInstructContext.Build(image, withBoxes);
        return new ContextText(text, SvitContext.Estimate(Encoding.UTF8.GetByteCount(text)), 0, 0, false, TokensExact: false);
    }
}
