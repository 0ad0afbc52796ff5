using VisInstruct.Backends.Composition;
using VisInstruct.Backends.Images;
using VisInstruct.Backends.Llm;
using VisInstruct.Config;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// What the run's backends and configuration make of the recipe, decided once when it is planned. Procedural images
/// (no image backend): scenarios are exact scenes, open-world abilities are skipped, nothing is checked. An image
/// backend: prompts from the LLM prompt writer in lanes (or the template writer without an LLM), abilities only the
/// renderer can draw are skipped, and a vision model (when configured) checks the images. Dialogues come from the LLM,
/// or the vision model when it is to see the images, or the template writer. The stages read these answers and never
/// look at the backends themselves.
/// </summary>
internal sealed class StableLlavaSetup
{
    /// <summary>Generators that only the procedural renderer can draw (no text-to-image prompt expresses them reliably).</summary>
    private static readonly HashSet<string> ProceduralOnly = new(StringComparer.Ordinal) { "counting", "position", "size" };

    /// <summary>Composes the exact scenes when the images are procedural; null when an image backend renders prompts.</summary>
    public SceneComposer? Scenes { get; init; }

    /// <summary>Samples per prompt lane (the update loop runs within a lane).</summary>
    public int LaneSize { get; init; }

    /// <summary>Prompts asked for per prompt-writer request.</summary>
    public int BatchSize { get; init; }

    /// <summary>The LLM prompt writer's lanes; null when the template writer makes the prompts (or the images are procedural).</summary>
    public PromptLanes? Lanes { get; init; }

    /// <summary>The model that writes the dialogues; null for the template writer.</summary>
    public LlmService? DialogueModel { get; init; }

    /// <summary>Whether <see cref="DialogueModel"/> is shown the images (a vision model).</summary>
    public bool DialogueSeesImages { get; init; }

    /// <summary>The vision model that checks rendered images; null when they are not checked.</summary>
    public LlmService? Checker { get; init; }

    /// <summary>Re-renders before a sample whose image fails the check is dropped.</summary>
    public int CheckRetries { get; init; }

    /// <summary>What an image backend is asked for besides the prompt and the seed (size, steps, guidance, sampler, ...).</summary>
    public required ImageRequest ImageParameters { get; init; }

    /// <summary>What the procedural images mean for the run (null with an image backend), for the notices.</summary>
    private string? ProceduralNotice { get; init; }

    /// <summary>
    /// Dialogues are asked for before the images are made when the writer reads only the facts and nothing is checked:
    /// its requests then never wait for rendering (CPU work for the procedural renderer, which shares the cores with
    /// the client), and a sample whose dialogue fails is not rendered at all. With a check, the check comes first, so
    /// that a dropped sample costs no dialogue. The requests and their seeds are the same in either order.
    /// </summary>
    public bool DialogueBeforeImages => DialogueModel is not null && !DialogueSeesImages && Checker is null;

    public static StableLlavaSetup Resolve(RunConfig config, RunBackends backends, AbilityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(backends);
        var settings = config.Stablellava ?? new StableLlavaConfig();
        bool procedural = backends.Images.IsProcedural;
        bool seesImage = settings.DialogueSeesImage == true;
        var dialogueModel = seesImage ? backends.Vision : backends.Llm;
        int laneSize = settings.LaneSize ?? StableLlavaConfig.DefaultLaneSize;
        int batchSize = settings.BatchSize ?? StableLlavaConfig.DefaultBatchSize;
        return new StableLlavaSetup
        {
            Scenes = procedural ? new SceneComposer(config.Images?.Width ?? SceneComposer.DefaultSize,
                config.Images?.Height ?? SceneComposer.DefaultSize) : null,
            ProceduralNotice = !procedural ? null : backends.Llm is null
                ? "images are drawn by the built-in procedural renderer and dialogues written from each scene's ground truth (exact); "
                    + "configure llm: and images: in the config for the open-world abilities"
                : "images are drawn by the built-in procedural renderer; the LLM writes the dialogues from each scene's ground truth",
            LaneSize = laneSize,
            BatchSize = batchSize,
            Lanes = backends.Llm is { } llm && !procedural ? new PromptLanes(llm, new PromptWriter(catalog, batchSize), laneSize) : null,
            DialogueModel = dialogueModel,
            DialogueSeesImages = seesImage && dialogueModel is not null,
            Checker = !procedural && settings.Check != false ? backends.Vision : null,
            CheckRetries = settings.CheckRetries ?? StableLlavaConfig.DefaultCheckRetries,
            ImageParameters = BackendFactory.ImageDefaults(config.Images, "", 0),
        };
    }

    /// <summary>
    /// The abilities to run (by name when <paramref name="names"/> has any, else all), in name order; a notice for each
    /// group these backends cannot make, and what the procedural images mean.
    /// </summary>
    public List<AbilitySpec> Select(AbilityCatalog catalog, IReadOnlyList<string>? names, List<string> notices)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(notices);
        List<AbilitySpec> wanted;
        if (names is { Count: > 0 })
        {
            var unknown = names.Where(n => !catalog.Abilities.ContainsKey(n)).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"unknown abilit{(unknown.Count == 1 ? "y" : "ies")} {string.Join(", ", unknown)}; "
                    + $"the abilities are {string.Join(", ", catalog.Abilities.Keys)}");
            }

            wanted = names.Distinct(StringComparer.Ordinal).Select(n => catalog.Abilities[n]).ToList();
        }
        else
        {
            wanted = catalog.All.ToList();
        }

        bool procedural = Scenes is not null;
        var needBackend = wanted.Where(a => procedural && a.Procedural is null).Select(a => a.Name).ToList();
        var needRenderer = wanted.Where(a => !procedural && a.Procedural is { } g && ProceduralOnly.Contains(g))
            .Select(a => a.Name).ToList();
        var skipped = new List<string>();
        if (needBackend.Count > 0)
        {
            skipped.Add($"skipped {string.Join(", ", needBackend)}: open-world abilities need an image backend; "
                + "set images.backend (comfyui, a1111 or openai) and its endpoints in the config to include them");
        }

        if (needRenderer.Count > 0)
        {
            skipped.Add($"skipped {string.Join(", ", needRenderer)}: "
                + "only the built-in procedural renderer draws these exactly; run them without images.backend");
        }

        var selected = wanted.Where(a => !needBackend.Contains(a.Name) && !needRenderer.Contains(a.Name))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        if (selected.Count == 0)
        {
            throw new ArgumentException("none of the chosen abilities can run with the configured backends: " + string.Join("; ", skipped));
        }

        notices.AddRange(skipped);
        if (ProceduralNotice is not null)
        {
            notices.Add(ProceduralNotice);
        }

        return selected;
    }
}
