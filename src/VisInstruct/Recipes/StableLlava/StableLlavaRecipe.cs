using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VisInstruct.Backends;
using VisInstruct.Backends.Images;
using VisInstruct.Backends.Llm;
using VisInstruct.Config;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Randomness;
using VisInstruct.Rendering;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>What <c>generate --recipe stablellava</c> is asked for.</summary>
public sealed class StableLlavaRequest
{
    public required RunConfig Config { get; init; }

    /// <summary>The configuration file's path (relative files in it are relative to it), or null without one.</summary>
    public string? ConfigFile { get; init; }

    public required RunBackends Backends { get; init; }

    /// <summary>Ability names from the command line (null: the config's, else all the backends can make).</summary>
    public IReadOnlyList<string>? Abilities { get; init; }

    /// <summary>Samples per ability.</summary>
    public required int Count { get; init; }

    public required ulong Seed { get; init; }

    public required string OutputDirectory { get; init; }
}

/// <summary>
/// The StableLLaVA recipe: per ability, text-to-image prompts (an LLM with the update loop, or the template writer),
/// images (any image backend; the procedural renderer draws exact scenes), an optional vision check that re-renders
/// or drops, then dialogues (an LLM, or the template writer from the facts), written as LLaVA training data
/// (<c>llava.json</c>), StableLLaVA's released schema (<c>stablellava/&lt;ability&gt;.json</c>) and image provenance.
/// </summary>
public static class StableLlavaRecipe
{
    public const string Name = "stablellava";
    public const string LlavaFile = "llava.json";
    public const string ProvenanceFile = "images/provenance.jsonl";
    public const int DefaultCount = 50;

    /// <summary>Generators that only the procedural renderer can draw (no text-to-image prompt expresses them reliably).</summary>
    private static readonly HashSet<string> ProceduralOnly = new(StringComparer.Ordinal) { "counting", "position", "size" };

    public static GenerationPlan Plan(StableLlavaRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var settings = config.Stablellava ?? new StableLlavaConfig();
        var catalog = AbilityCatalog.Load(RunConfigLoader.ResolvePath(request.ConfigFile, settings.AbilitiesFile));
        if (RunConfigLoader.ResolvePath(request.ConfigFile, settings.CaptionInstructionsFile) is { } captions)
        {
            catalog.LoadCaptionInstructions(captions);
        }

        if (request.Count is < 1 or > 999_999)
        {
            throw new ArgumentException("the count must be between 1 and 999999 samples per ability");
        }

        var images = request.Backends.Images;
        bool procedural = images.IsProcedural;
        var (selected, notices) = Select(catalog, request.Abilities ?? settings.Abilities, procedural);
        var llm = request.Backends.Llm;
        bool seesImage = settings.DialogueSeesImage ?? false;
        bool check = !procedural && request.Backends.Vision is not null && (settings.Check ?? true);
        int laneSize = settings.LaneSize ?? 16;
        var pipeline = new StableLlavaPipeline
        {
            Catalog = catalog,
            Images = images,
            ImagesConfig = config.Images,
            Lanes = llm is not null && !procedural ? new PromptLanes(llm, catalog, laneSize, settings.BatchSize ?? 8) : null,
            Dialogues = new DialogueWriter(catalog, seesImage ? request.Backends.Vision : llm, seesImage),
            Vision = check ? request.Backends.Vision : null,
            CheckRetries = settings.CheckRetries ?? 2,
            OutputDirectory = request.OutputDirectory,
            RunSeed = request.Seed,
            ProceduralSize = (config.Images?.Width ?? 512, config.Images?.Height ?? 512),
        };
        if (procedural)
        {
            notices.Add(llm is null
                ? "images are drawn by the built-in procedural renderer and dialogues written from each scene's ground truth (exact); configure llm: and images: in the config for the open-world abilities"
                : "images are drawn by the built-in procedural renderer; the LLM writes the dialogues from each scene's ground truth");
        }

        var prompted = Pipeline.Start<SampleInput>()
            .Then("prompt", pipeline.Lanes is null ? null : "llm", pipeline.PromptAsync);
        Pipeline plan;
        if (pipeline.Dialogues.UsesLlm && !pipeline.Dialogues.SeesImage && !check)
        {
            // The dialogue LLM reads the scene's facts, not the image: ask it first, so that its requests never wait
            // for rendering (CPU work for the procedural renderer, which shares the cores with the client) and the
            // images are drawn while the answers are on their way. The requests and their seeds are the same in
            // either order; a sample whose dialogue fails is not rendered at all. With a vision check the check
            // comes first, so that a dropped sample costs no dialogue.
            plan = prompted
                .Then("dialogue", "llm", pipeline.DialogueFirstAsync)
                .Then("render", images.Name, pipeline.RenderWrittenAsync)
                .Then("assemble", null, StableLlavaPipeline.Assemble)
                .Build();
        }
        else
        {
            var rendered = prompted.Then("render", images.Name, pipeline.RenderAsync);
            var withCheck = check ? rendered.Then("check", "vision", pipeline.CheckAsync) : rendered;
            plan = withCheck
                .Then("dialogue", pipeline.Dialogues.UsesLlm ? (seesImage ? "vision" : "llm") : null, pipeline.DialogueAsync)
                .Then("assemble", null, StableLlavaPipeline.Assemble)
                .Build();
        }

        string abilities = string.Join(",", selected.Select(a => a.Name));
        return new GenerationPlan
        {
            Recipe = Name,
            Fingerprint = Fingerprint(request, catalog, settings, procedural, check),
            ResolvedConfig = Resolved(config, selected, request.Count),
            Items = () => Items(selected, request.Count, pipeline.Lanes),
            Pipeline = plan,
            Card = Card,
            ReproduceCommand = $"visinstruct generate --recipe {Name} --out DIR --seed {request.Seed.ToString(CultureInfo.InvariantCulture)} --count {request.Count.ToString(CultureInfo.InvariantCulture)} --abilities {abilities}{(request.ConfigFile is null ? "" : " --config " + request.ConfigFile)}",
            Notices = notices,
            OutputModes = request.Backends.OutputModes,
        };
    }

    /// <summary>The abilities to run, and a line for each group that cannot run with these backends.</summary>
    private static (List<AbilitySpec> Selected, List<string> Notices) Select(AbilityCatalog catalog, IReadOnlyList<string>? names, bool procedural)
    {
        var notices = new List<string>();
        List<AbilitySpec> wanted;
        if (names is { Count: > 0 })
        {
            var unknown = names.Where(n => !catalog.Abilities.ContainsKey(n)).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"unknown abilit{(unknown.Count == 1 ? "y" : "ies")} {string.Join(", ", unknown)}; the abilities are {string.Join(", ", catalog.Abilities.Keys)}");
            }

            wanted = names.Distinct(StringComparer.Ordinal).Select(n => catalog.Abilities[n]).ToList();
        }
        else
        {
            wanted = catalog.All.ToList();
        }

        var needBackend = wanted.Where(a => procedural && a.Procedural is null).Select(a => a.Name).ToList();
        var needRenderer = wanted.Where(a => !procedural && a.Procedural is { } g && ProceduralOnly.Contains(g)).Select(a => a.Name).ToList();
        if (needBackend.Count > 0)
        {
            notices.Add($"skipped {string.Join(", ", needBackend)}: open-world abilities need an image backend; set images.backend (comfyui, a1111 or openai) and its endpoints in the config to include them");
        }

        if (needRenderer.Count > 0)
        {
            notices.Add($"skipped {string.Join(", ", needRenderer)}: only the built-in procedural renderer draws these exactly; run them without images.backend");
        }

        var selected = wanted.Where(a => !needBackend.Contains(a.Name) && !needRenderer.Contains(a.Name))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        if (selected.Count == 0)
        {
            throw new ArgumentException("none of the chosen abilities can run with the configured backends: " + string.Join("; ", notices));
        }

        return (selected, notices);
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


    private static string Fingerprint(StableLlavaRequest request, AbilityCatalog catalog, StableLlavaConfig settings, bool procedural, bool check)
    {
        var config = request.Config;
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("seed", request.Seed.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("catalog", CatalogHash(catalog));
            WriteChat(writer, "llm", config.Llm);
            WriteChat(writer, "vision", check || (settings.DialogueSeesImage ?? false) ? config.Vision : null);
            writer.WriteString("images", request.Backends.Images.Producer.Kind + " " + request.Backends.Images.Producer.Model);
            var defaults = BackendFactory.ImageDefaults(config.Images, "", 0);
            writer.WriteString("image_parameters", procedural
                ? string.Create(CultureInfo.InvariantCulture, $"{config.Images?.Width ?? 512}x{config.Images?.Height ?? 512}")
                : string.Create(CultureInfo.InvariantCulture, $"{defaults.Width}x{defaults.Height} {defaults.Steps} {defaults.Guidance} {defaults.Sampler} {defaults.NegativePrompt}"));
            writer.WriteString("lanes", string.Create(CultureInfo.InvariantCulture, $"{settings.LaneSize ?? 16}/{settings.BatchSize ?? 8}"));
            writer.WriteString("check", check ? string.Create(CultureInfo.InvariantCulture, $"retries {settings.CheckRetries ?? 2}") : "off");
            writer.WritePropertyName("dialogue_sees_image");
            writer.WriteBooleanValue(settings.DialogueSeesImage ?? false);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteChat(PythonJsonWriter writer, string name, LlmConfig? llm)
    {
        writer.WritePropertyName(name);
        if (llm is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(string.Create(CultureInfo.InvariantCulture,
            $"{llm.Model} t={llm.Temperature} p={llm.TopP} max={llm.MaxTokens} structured={llm.StructuredOutput ?? true}"));
    }

    /// <summary>A hash of everything in the catalog that shapes samples (abilities, instructions, caption questions).</summary>
    private static string CatalogHash(AbilityCatalog catalog)
    {
        var text = new StringBuilder();
        foreach (var ability in catalog.All.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            text.Append(ability.Name).Append('|').Append(ability.Description).Append('|').Append(ability.Images).Append('|').Append(ability.Procedural)
                .Append('|').AppendJoin(';', ability.Kinds).Append('|').AppendJoin(';', ability.Contexts).Append('|')
                .AppendJoin(';', ability.Subjects.Select(s => string.Join(',', s.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))))
                .Append('|').AppendJoin(';', ability.Examples.Select(e => string.Join(',', e.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + (p.Value is IEnumerable<object> list ? string.Join('+', list) : p.Value)))))
                .Append('\n');
        }

        text.AppendJoin('\n', catalog.CaptionInstructions).Append('\n').AppendJoin('\n', catalog.Modifiers).Append('\n').AppendJoin('\n', catalog.Colors)
            .Append('\n').Append(catalog.PromptWriter.System).Append(catalog.PromptWriter.User).Append(catalog.DialogueWriter.System).Append(catalog.DialogueWriter.User)
            .AppendJoin('\n', catalog.Kinds.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))
            .AppendJoin('\n', catalog.ComparisonSubjects.Select(s => string.Join(',', s.Values)));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
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

    /// <summary>The dataset card: samples per ability and dialogue kind, where prompts, images and dialogues came from.</summary>
    public static string Card(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var sb = new StringBuilder();
        sb.Append("# StableLLaVA-style visual instruction data\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{summary.Done} samples ({summary.Counters.GetValueOrDefault("images")} images, {summary.Counters.GetValueOrDefault("questions")} question-answer pairs); {summary.Failed} failed, {summary.Dropped} dropped (see `failures.jsonl`). Made by {ToolInfo.Name} {ToolInfo.Version} with seed {summary.Seed}.\n\n");
        sb.Append("- `llava.json`: LLaVA training data (single- and multi-image samples; image paths relative to this folder)\n");
        sb.Append("- `stablellava/<ability>.json`: the single-image samples in StableLLaVA's released schema (`image` relative to `images/`)\n");
        sb.Append("- `images/`: the images; `images/provenance.jsonl`: how each was made (backend, model, parameters, seed, SHA-256, and the exact scene for procedural images)\n\n");
        if (summary.TagCounts.TryGetValue("source", out var sources))
        {
            sb.Append("Written by: ").Append(string.Join(", ", sources.Select(s => string.Create(CultureInfo.InvariantCulture, $"{Source(s.Key)} ({s.Value})")))).Append(".\n\n");
        }

        if (summary.Counters.GetValueOrDefault("prompt_requests") is > 0 and var requests)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Prompt writer: {requests} prompt requests; turned away {summary.Counters.GetValueOrDefault("prompts_rejected_exact")} exact and {summary.Counters.GetValueOrDefault("prompts_rejected_near")} near duplicates, {summary.Counters.GetValueOrDefault("prompts_unusable")} unusable{(summary.Counters.GetValueOrDefault("prompts_trimmed") is > 0 and var pt ? string.Create(CultureInfo.InvariantCulture, $"; {pt} prompts past the batch size trimmed") : "")}.\n\n");
        }

        if (summary.Counters.GetValueOrDefault("dialogues_trimmed") is > 0 and var trimmedDialogues)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Dialogue writer: {trimmedDialogues} dialogues had more turns than asked for; the first ones were kept ({summary.Counters.GetValueOrDefault("turns_trimmed")} turns trimmed).\n\n");
        }

        if (summary.TagCounts.TryGetValue("ability_kind", out var pairs))
        {
            var kinds = pairs.Keys.Select(k => k.Split('/')[1]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            sb.Append("| ability | ").AppendJoin(" | ", kinds).Append(" | total |\n|---|").AppendJoin("", kinds.Select(_ => "---|")).Append("---|\n");
            foreach (var ability in pairs.Keys.Select(k => k.Split('/')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var counts = kinds.Select(k => pairs.GetValueOrDefault(ability + "/" + k)).ToList();
                sb.Append("| ").Append(ability).Append(" | ").AppendJoin(" | ", counts.Select(c => c == 0 ? "" : c.ToString(CultureInfo.InvariantCulture)))
                    .Append(CultureInfo.InvariantCulture, $" | {counts.Sum()} |\n");
            }

            sb.Append('\n');
        }

        DatasetWriter.AppendBackends(sb, summary);
        DatasetWriter.AppendReproduce(sb, summary);
        return sb.ToString();
    }

    private static string Source(string source) => source switch
    {
        "procedural" => "the procedural renderer and the template writer, exact from each scene",
        "procedural+llm" => "the procedural renderer, with LLM dialogues from each scene",
        "template" => "the template writer (prompts and dialogues from the ability lists)",
        "llm" => "an LLM (prompts and dialogues)",
        "template+llm" => "the template writer's prompts, with LLM dialogues",
        _ => source,
    };
}

/// <summary>One sample to make: an ability and the sample's index in it.</summary>
public sealed record SampleInput(AbilitySpec Ability, int Index);

/// <summary>A sample once its scenario is fixed.</summary>
public sealed record PreparedSample(SampleInput Input, Scenario Scenario, string Source, LaneResult? Lane);

/// <summary>A sample once its images are made.</summary>
public sealed record RenderedSample(PreparedSample Prepared, IReadOnlyList<RenderedImage> Images);

/// <summary>A sample with its dialogue, its images not made yet.</summary>
public sealed record DialoguedSample(PreparedSample Prepared, IReadOnlyList<QaPair> Turns, int TurnsTrimmed = 0);

/// <summary>A sample with its dialogue.</summary>
public sealed record WrittenSample(RenderedSample Rendered, IReadOnlyList<QaPair> Turns, int TurnsTrimmed = 0);

/// <summary>The stages of the StableLLaVA pipeline, with the services they use.</summary>
internal sealed class StableLlavaPipeline
{
    public required AbilityCatalog Catalog { get; init; }

    public required ImageService Images { get; init; }

    public ImagesConfig? ImagesConfig { get; init; }

    public PromptLanes? Lanes { get; init; }

    public required DialogueWriter Dialogues { get; init; }

    public LlmService? Vision { get; init; }

    public int CheckRetries { get; init; }

    public required string OutputDirectory { get; init; }

    public ulong RunSeed { get; init; }

    public (int Width, int Height) ProceduralSize { get; init; }

    public async ValueTask<PreparedSample> PromptAsync(SampleInput input, SampleContext context, CancellationToken cancellationToken)
    {
        var ability = input.Ability;
        string kind = new DeterministicRandom(context.SeedFor("kind")).Pick(ability.Kinds);
        if (Images.IsProcedural)
        {
            var composer = new SceneComposer(ProceduralSize.Width, ProceduralSize.Height);
            var scenario = ProceduralScenarios.Build(ability, kind, input.Index, new DeterministicRandom(context.SeedFor("scene")), composer, Catalog.CaptionInstructions);
            return new PreparedSample(input, scenario, Dialogues.UsesLlm ? "procedural+llm" : "procedural", null);
        }

        PromptSpec spec;
        LaneResult? lane = null;
        string source;
        if (Lanes is not null && ability.Images == 1)
        {
            lane = await Lanes.GetAsync(ability, input.Index / Lanes.LaneSize, context.Gateway, RunSeed, cancellationToken).ConfigureAwait(false);
            int inLane = input.Index % Lanes.LaneSize;
            if (inLane >= lane.Prompts.Count)
            {
                throw new SampleDroppedException("duplicate-prompts", string.Create(CultureInfo.InvariantCulture,
                    $"the prompt writer gave {lane.Prompts.Count} distinct prompts for this lane of {Lanes.LaneSize} ({lane.RejectedExact} exact and {lane.RejectedNear} near duplicates, {lane.Invalid} unusable)"));
            }

            spec = lane.Prompts[inLane];
            source = "llm";
            lane = inLane == 0 ? lane : null;
        }
        else
        {
            spec = PromptScenarios.TemplatePrompt(ability, Catalog, new DeterministicRandom(context.SeedFor("prompt")));
            source = Dialogues.UsesLlm ? "template+llm" : "template";
        }

        var built = PromptScenarios.Build(ability, Catalog, kind, input.Index, spec, new DeterministicRandom(context.SeedFor("scenario")));
        return new PreparedSample(input, built, source, lane);
    }

    public async ValueTask<RenderedSample> RenderAsync(PreparedSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var rendered = new List<RenderedImage>();
        for (int i = 0; i < sample.Scenario.Images.Count; i++)
        {
            rendered.Add(await RenderOneAsync(sample.Scenario.Images[i], context.SeedFor(string.Create(CultureInfo.InvariantCulture, $"image/{i}")), context, cancellationToken).ConfigureAwait(false));
        }

        return new RenderedSample(sample, rendered);
    }

    private Task<RenderedImage> RenderOneAsync(ImagePlan plan, ulong seed, SampleContext context, CancellationToken cancellationToken)
    {
        long imageSeed = (long)(seed & long.MaxValue);
        var request = plan.Scene is { } scene
            ? new ImageRequest { Prompt = plan.Prompt, Scene = scene, Width = scene.Width, Height = scene.Height, Seed = imageSeed }
            : BackendFactory.ImageDefaults(ImagesConfig, plan.Prompt, imageSeed);
        string relative = "images/" + plan.RelativePath;
        return Images.RenderAsync(context.Key, context.Gateway, request, Path.Combine(OutputDirectory, relative), relative, cancellationToken);
    }

    /// <summary>
    /// The vision check: each check question is asked about its image; an answer that contradicts the facts re-renders
    /// that image with a new seed, up to the configured number of times, then drops the sample with the reason.
    /// </summary>
    public async ValueTask<RenderedSample> CheckAsync(RenderedSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var images = sample.Images.ToList();
        foreach (var check in sample.Prepared.Scenario.Checks)
        {
            for (int attempt = 0; ; attempt++)
            {
                var reply = await Vision!.CompleteAsync(context.Key, context.Gateway, new LlmRequest
                {
                    Messages = [LlmMessage.System("Look at the image and answer the question in as few words as the question asks for."), LlmMessage.User(check.Question, [images[check.Image].Path])],
                    Temperature = 0,
                    Seed = context.SeedFor(string.Create(CultureInfo.InvariantCulture, $"check/{check.Image}/{attempt}")),
                }, cancellationToken).ConfigureAwait(false);
                if (CheckAnswer.Matches(reply.Text, check.Expected))
                {
                    break;
                }

                if (attempt >= CheckRetries)
                {
                    throw new SampleDroppedException("check-mismatch", string.Create(CultureInfo.InvariantCulture,
                        $"image {check.Image + 1}: asked \"{check.Question}\" expecting \"{check.Expected}\"; the vision model answered \"{reply.Text.Trim()}\" after {CheckRetries} re-render(s)"));
                }

                var plan = sample.Prepared.Scenario.Images[check.Image];
                images[check.Image] = await RenderOneAsync(plan, context.SeedFor(string.Create(CultureInfo.InvariantCulture, $"image/{check.Image}/retry{attempt + 1}")), context, cancellationToken).ConfigureAwait(false);
            }
        }

        return sample with { Images = images };
    }

    public async ValueTask<WrittenSample> DialogueAsync(RenderedSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var (turns, trimmed) = await Dialogues.WriteAsync(sample.Prepared.Input.Ability, sample.Prepared.Scenario, context.Key, context.Gateway, context.SeedFor("dialogue"),
            sample.Images.Select(i => i.Path).ToList(), cancellationToken).ConfigureAwait(false);
        return new WrittenSample(sample, turns, trimmed);
    }

    /// <summary>The dialogue of a sample whose images are not made yet (the writer does not see them).</summary>
    public async ValueTask<DialoguedSample> DialogueFirstAsync(PreparedSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var (turns, trimmed) = await Dialogues.WriteAsync(sample.Input.Ability, sample.Scenario, context.Key, context.Gateway, context.SeedFor("dialogue"),
            [], cancellationToken).ConfigureAwait(false);
        return new DialoguedSample(sample, turns, trimmed);
    }

    /// <summary>The images of a sample whose dialogue is written.</summary>
    public async ValueTask<WrittenSample> RenderWrittenAsync(DialoguedSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var rendered = await RenderAsync(sample.Prepared, context, cancellationToken).ConfigureAwait(false);
        return new WrittenSample(rendered, sample.Turns, sample.TurnsTrimmed);
    }

    public static ValueTask<ItemResult> Assemble(WrittenSample sample, SampleContext context, CancellationToken cancellationToken)
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
        var result = new ItemResult()
            .Add(StableLlavaRecipe.LlavaFile, new LlavaSample { Id = id, Image = image, Conversations = conversation }, FormatWriter.Write);
        if (scenario.Images.Count == 1)
        {
            for (int k = 0; k < sample.Turns.Count; k++)
            {
                var turn = sample.Turns[k];
                result.Add($"stablellava/{ability.Name}.json", new StableLlavaEntry
                {
                    Id = sample.Turns.Count == 1 ? index.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{index}_{k}"),
                    Image = scenario.Images[0].RelativePath,
                    Prompt = scenario.Images[0].Prompt,
                    Question = k == 0 ? conversation[0].Value : "<image>\n" + turn.Question,
                    Answer = turn.Answer,
                }, FormatWriter.Write);
            }
        }

        foreach (var rendered in sample.Rendered.Images)
        {
            result.Add(StableLlavaRecipe.ProvenanceFile, (Sample: id, rendered), static (w, r) => WriteProvenance(w, r.Sample, r.rendered));
        }

        result.Tag("ability", ability.Name).Tag("group", ability.Group).Tag("kind", scenario.Kind).Tag("source", prepared.Source)
            .Tag("ability_kind", ability.Name + "/" + scenario.Kind)
            .Count("questions", sample.Turns.Count).Count("images", scenario.Images.Count);
        if (prepared.Lane is { } lane)
        {
            result.Count("prompts_rejected_exact", lane.RejectedExact).Count("prompts_rejected_near", lane.RejectedNear)
                .Count("prompts_unusable", lane.Invalid).Count("prompt_requests", lane.Requests);
            if (lane.Trimmed > 0)
            {
                result.Count("prompts_trimmed", lane.Trimmed);
            }
        }

        if (sample.TurnsTrimmed > 0)
        {
            result.Count("dialogues_trimmed", 1).Count("turns_trimmed", sample.TurnsTrimmed);
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

/// <summary>Compares a vision model's short answer with the expected one.</summary>
public static class CheckAnswer
{
    private static readonly Dictionary<string, string> Numbers = new(StringComparer.Ordinal)
    {
        ["one"] = "1", ["two"] = "2", ["three"] = "3", ["four"] = "4", ["five"] = "5", ["six"] = "6", ["seven"] = "7", ["eight"] = "8", ["nine"] = "9",
    };

    public static bool Matches(string answer, string expected)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(expected);
        var words = NearDuplicates.Normalize(answer).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Numbers.GetValueOrDefault(w, w) == "grey" ? "gray" : Numbers.GetValueOrDefault(w, w)).ToList();
        if (words.Count == 0)
        {
            return false;
        }

        string want = NearDuplicates.Normalize(expected);
        return want is "yes" or "no" ? words[0] == want : words.Contains(Numbers.GetValueOrDefault(want, want));
    }
}
