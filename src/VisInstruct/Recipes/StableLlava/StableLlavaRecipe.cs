using System.Globalization;
using VisInstruct.Config;
using VisInstruct.Engine;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The StableLLaVA recipe: per ability, text-to-image prompts (an LLM with the update loop, or the template writer),
/// images (any image backend; the procedural renderer draws exact scenes), an optional vision check that re-renders
/// or drops, then dialogues (an LLM, or the template writer from the facts), written as LLaVA training data
/// (<c>llava.json</c>), StableLLaVA's released schema (<c>stablellava/&lt;ability&gt;.json</c>) and image provenance.
/// A sample goes <see cref="PromptStage"/>, <see cref="RenderStage"/>, <see cref="VisionCheckStage"/> (when images are
/// checked), <see cref="DialogueStage"/> (before the images when it does not look at them), <see cref="VerifyStage"/>
/// (procedural scenes: each answer re-derived from the scene, wrong pairs dropped), with
/// <c>--multi-image composite</c> <see cref="CompositeStage"/>, then <see cref="AssembleStage"/>;
/// what the backends make of it is decided once, in <see cref="StableLlavaSetup"/>.
/// </summary>
public sealed class StableLlavaRecipe : IRecipe
{
    /// <summary>Samples per ability when neither <c>--count</c> nor the config's <c>count</c> says.</summary>
    public const int DefaultCount = 50;

    /// <summary><c>--count</c>: samples per ability.</summary>
    public static readonly RecipeOption Count = RecipeOption.Integer("--count",
        $"samples per ability (default {DefaultCount}, or count in the config)");

    /// <summary><c>--abilities</c>: the abilities to make.</summary>
    public static readonly RecipeOption Abilities = RecipeOption.List("--abilities",
        "comma-separated abilities (default: all the configured backends can make)");

    /// <summary><c>--multi-image</c>: where multi-image samples go.</summary>
    public static readonly RecipeOption MultiImage = RecipeOption.Text("--multi-image",
        "separate (default: multi-image samples in llava_multi.json, LLaVA-NeXT-Interleave / OneVision layout) or composite "
        + "(their images drawn as one side-by-side or grid image, the dialogue naming \"the left image\", in llava.json)");

    public string Name => "stablellava";

    public string Description => "abilities -> prompts -> images -> dialogues";

    public IReadOnlyList<RecipeOption> Options { get; } = [Count, Abilities, MultiImage];

    public RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var settings = config.Stablellava ?? new StableLlavaConfig();
        var catalog = AbilityCatalog.Load(RunConfigLoader.ResolvePath(request.ConfigFile, settings.AbilitiesFile));
        if (RunConfigLoader.ResolvePath(request.ConfigFile, settings.CaptionInstructionsFile) is { } captions)
        {
            catalog.LoadCaptionInstructions(captions);
        }

        int count = request.Arguments.Integer(Count) ?? config.Count ?? DefaultCount;
        if (count is < 1 or > 999_999)
        {
            throw new ArgumentException("the count must be between 1 and 999999 samples per ability");
        }

        bool composite = request.Arguments.Text(MultiImage) switch
        {
            null or "separate" => false,
            "composite" => true,
            var other => throw new ArgumentException($"--multi-image {other}: expected separate or composite"),
        };
        var setup = StableLlavaSetup.Resolve(config, request.Backends, catalog);
        var notices = new List<string>();
        var selected = setup.Select(catalog, request.Arguments.List(Abilities) ?? settings.Abilities, notices);
        string abilities = string.Join(",", selected.Select(a => a.Name));
        string seed = request.Seed.ToString(CultureInfo.InvariantCulture);
        return new RecipePlan(new GenerationPlan
        {
            Recipe = Name,
            Fingerprint = StableLlavaFingerprint.Of(request, catalog, setup, composite),
            ResolvedConfig = Resolved(config, selected, count),
            Items = () => Items(selected, count, setup.Lanes),
            Pipeline = Stages(request, catalog, setup, composite),
            Card = Card,
            ReproduceCommand = $"visinstruct generate --recipe {Name} --out DIR --seed {seed} "
                + $"--count {count.ToString(CultureInfo.InvariantCulture)} --abilities {abilities}"
                + (composite ? " --multi-image composite" : "")
                + (request.ConfigFile is null ? "" : " --config " + request.ConfigFile),
            Notices = notices,
            OutputModes = request.Backends.OutputModes,
        });
    }

    public string Card(DatasetSummary summary) => StableLlavaCard.Write(summary);

    /// <summary>None: the card has the recipe's numbers.</summary>
    public string? Statistics(DatasetSummary summary) => null;

    /// <summary>The stages in their order: prompt, then render, check and dialogue (or dialogue first), verify, then assemble.</summary>
    private static Pipeline Stages(RecipeRequest request, AbilityCatalog catalog, StableLlavaSetup setup, bool composite)
    {
        var compose = new CompositeStage(request.OutputDirectory);
        var prompt = new PromptStage(catalog, setup, request.Seed);
        var render = new RenderStage(request.Backends.Images, setup.ImageParameters, request.OutputDirectory);
        var dialogue = new DialogueStage(new DialogueWriter(catalog), setup.DialogueModel, setup.DialogueSeesImages);
        var verify = new VerifyStage(templateWritten: setup.DialogueModel is null);
        var prompted = Pipeline.Start<SampleInput>().Then("prompt", setup.Lanes?.Lane, prompt.RunAsync);
        if (setup.DialogueBeforeImages)
        {
            var drawn = prompted
                .Then("dialogue", dialogue.Lane, dialogue.BeforeRenderAsync)
                .Then("render", render.Lane, render.AfterDialogueAsync)
                .Then("verify", null, verify.RunAsync);
            return (composite ? drawn.Then("composite", null, compose.RunAsync) : drawn)
                .Then("assemble", null, AssembleStage.RunAsync)
                .Build();
        }

        var rendered = prompted.Then("render", render.Lane, render.RunAsync);
        if (setup.Checker is { } checker)
        {
            var check = new VisionCheckStage(checker, setup.CheckRetries, render);
            rendered = rendered.Then("check", check.Lane, check.RunAsync);
        }

        var written = rendered.Then("dialogue", dialogue.Lane, dialogue.AfterRenderAsync).Then("verify", null, verify.RunAsync);
        return (composite ? written.Then("composite", null, compose.RunAsync) : written)
            .Then("assemble", null, AssembleStage.RunAsync)
            .Build();
    }

    private static IEnumerable<WorkItem> Items(List<AbilitySpec> abilities, int count, PromptLanes? lanes)
    {
        foreach (var ability in abilities)
        {
            bool laned = lanes is not null && ability.Images == 1;
            for (int index = 0; index < count; index++)
            {
                string key = string.Create(CultureInfo.InvariantCulture, $"{ability.Name}/{index:D6}");
                string? shard = laned ? PromptLanes.LaneKey(ability.Name, index / lanes!.LaneSize) : null;
                yield return new WorkItem(key, new SampleInput(ability, index), shard);
            }
        }
    }

    private static string Resolved(RunConfig config, List<AbilitySpec> selected, int count) => ConfigJson.Resolved(config, writer =>
    {
        writer.WriteNumber("count_per_ability", count);
        writer.WritePropertyName("abilities");
        writer.WriteStartArray();
        foreach (var ability in selected)
        {
            writer.WriteStringValue(ability.Name);
        }

        writer.WriteEndArray();
    });
}
