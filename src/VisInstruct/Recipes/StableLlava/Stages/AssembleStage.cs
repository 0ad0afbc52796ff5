using System.Globalization;
using VisInstruct.Backends.Images;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Stage 5, the records: the sample as LLaVA training data (<c>llava.json</c> for one image, the LLaVA-1.5 layout;
/// <c>llava_multi.json</c> for two or more, the LLaVA-NeXT-Interleave / OneVision layout), its single-image turns in
/// StableLLaVA's released schema (<c>stablellava/&lt;ability&gt;.json</c>), each image's provenance, and the tags and
/// counters the card reads (<see cref="StableLlavaCounters"/>).
/// </summary>
internal static class AssembleStage
{
    public const string LlavaFile = "llava.json";

    /// <summary>The multi-image samples: <c>image</c> a list of paths, one <c>&lt;image&gt;</c> per image, in order.</summary>
    public const string LlavaMultiFile = "llava_multi.json";
    public const string ProvenanceFile = "images/provenance.jsonl";

    public static ValueTask<ItemResult> RunAsync(WrittenSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var prepared = sample.Rendered.Prepared;
        var scenario = prepared.Scenario;
        var ability = prepared.Input.Ability;
        int index = prepared.Input.Index;
        string id = string.Create(CultureInfo.InvariantCulture, $"{ability.Name}_{index:D6}");
        var conversation = Conversation(scenario, sample.Turns);
        var image = scenario.Images.Count == 1
            ? LlavaImage.Single("images/" + scenario.Images[0].RelativePath)
            : LlavaImage.List(scenario.Images.Select(i => "images/" + i.RelativePath));
        string file = scenario.Images.Count == 1 ? LlavaFile : LlavaMultiFile;
        var result = new ItemResult()
            .Add(file, new LlavaSample { Id = id, Image = image, Conversations = conversation }, FormatWriter.Write);
        if (scenario.Images.Count == 1)
        {
            for (int k = 0; k < sample.Turns.Count; k++)
            {
                var turn = sample.Turns[k];
                result.Add($"stablellava/{ability.Name}.json", new StableLlavaEntry
                {
                    Id = sample.Turns.Count == 1
                        ? index.ToString(CultureInfo.InvariantCulture)
                        : string.Create(CultureInfo.InvariantCulture, $"{index}_{k}"),
                    Image = scenario.Images[0].RelativePath,
                    Prompt = scenario.Images[0].Prompt,
                    Question = k == 0 ? conversation[0].Value : "<image>\n" + turn.Question,
                    Answer = turn.Answer,
                }, FormatWriter.Write);
            }
        }

        foreach (var rendered in sample.Rendered.Images)
        {
            result.Add(ProvenanceFile, (Sample: id, rendered), static (w, r) => WriteProvenance(w, r.Sample, r.rendered));
        }

        if (sample.Composite is { } composite)
        {
            result.Add(ProvenanceFile, (Sample: id, composite), static (w, r) => WriteComposite(w, r.Sample, r.composite));
        }

        result.Tag(StableLlavaCounters.AbilityTag, ability.Name).Tag(StableLlavaCounters.GroupTag, ability.Group)
            .Tag(StableLlavaCounters.KindTag, scenario.Kind).Tag(StableLlavaCounters.SourceTag, prepared.Source)
            .Tag(StableLlavaCounters.AbilityKindTag, ability.Name + "/" + scenario.Kind)
            .Count(StableLlavaCounters.Questions, sample.Turns.Count).Count(StableLlavaCounters.Images, scenario.Images.Count);
        if (prepared.Lane is { } lane)
        {
            result.Count(StableLlavaCounters.PromptsRejectedExact, lane.RejectedExact)
                .Count(StableLlavaCounters.PromptsRejectedNear, lane.RejectedNear)
                .Count(StableLlavaCounters.PromptsUnusable, lane.Invalid)
                .Count(StableLlavaCounters.PromptRequests, lane.Requests);
            if (lane.Trimmed > 0)
            {
                result.Count(StableLlavaCounters.PromptsTrimmed, lane.Trimmed);
            }
        }

        AnswerBalanceCard.Count(result, sample.Turns);
        if (sample.TurnsTrimmed > 0)
        {
            result.Count(StableLlavaCounters.DialoguesTrimmed, 1).Count(StableLlavaCounters.TurnsTrimmed, sample.TurnsTrimmed);
        }

        if (sample.Checks is { } checks)
        {
            result.Count(StableLlavaCounters.VerifyChecked, checks.Checked).Count(StableLlavaCounters.VerifyUnverified, checks.Unverified);
            foreach (var (kind, n) in checks.Dropped)
            {
                result.Count(StableLlavaCounters.VerifyDroppedPrefix + kind, n);
            }
        }

        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// The LLaVA turns: <c>&lt;image&gt;</c> before (or, for half of the captions, after) the first question; for two
    /// images both tokens there; for multi-turn samples one token per turn, each with its image.
    /// </summary>
    private static List<LlavaTurn> Conversation(Scenario scenario, IReadOnlyList<QaPair> turns)
    {
        var result = new List<LlavaTurn>();
        for (int i = 0; i < turns.Count; i++)
        {
            string question = turns[i].Question;
            if (scenario.Kind == "multi_turn")
            {
                question = i < scenario.Images.Count ? "<image>\n" + question : question;
            }
            else if (i == 0)
            {
                question = scenario.Images.Count == 1 && scenario.ImageTokenAfter
                    ? question + "\n<image>"
                    : string.Concat(Enumerable.Repeat("<image>\n", scenario.Images.Count)) + question;
            }

            result.Add(new LlavaTurn(LlavaTurn.Human, question));
            result.Add(new LlavaTurn(LlavaTurn.Gpt, turns[i].Answer));
        }

        return result;
    }

    /// <summary>The composite's line: its file and hash, and the part images it was drawn from, in their places.</summary>
    private static void WriteComposite(PythonJsonWriter writer, string sample, CompositeImage composite)
    {
        writer.WriteStartObject();
        writer.WriteString("sample", sample);
        writer.WritePropertyName("image");
        writer.WriteStartObject();
        writer.WriteString("file", composite.File);
        writer.WriteString("sha256", composite.Sha256);
        writer.WriteString("backend", "composite");
        writer.WriteNumber("width", composite.Width);
        writer.WriteNumber("height", composite.Height);
        writer.WriteNumber("gap", ImageComposite.Gap);
        writer.WriteEndObject();
        writer.WritePropertyName("parts");
        writer.WriteStartArray();
        foreach (var (place, file) in composite.Parts)
        {
            writer.WriteStartObject();
            writer.WriteString("place", place);
            writer.WriteString("file", file);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteProvenance(PythonJsonWriter writer, string sample, RenderedImage rendered)
    {
        writer.WriteStartObject();
        writer.WriteString("sample", sample);
        writer.WritePropertyName("image");
        rendered.Provenance.Write(writer);
        if (rendered.Scene is { } scene)
        {
            writer.WritePropertyName("scene");
            SceneTruth.Write(writer, scene);
        }

        writer.WriteEndObject();
    }
}
