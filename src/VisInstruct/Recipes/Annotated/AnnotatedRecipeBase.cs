using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VisInstruct.Annotations;
using VisInstruct.Backends.Llm;
using VisInstruct.Config;
using VisInstruct.Engine;
using VisInstruct.Json;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// What the annotation recipes share: an image's annotations become the recipe's tasks, each a work item
/// <c>&lt;image id, 12 digits&gt;/&lt;task&gt;</c> through the stages context, write (an LLM from the annotation
/// context, or without one the procedural question engine, exact from the annotations), ground (referring QA) and
/// assemble. A recipe says which annotation files it reads, its tasks and their prompts, and the files it writes.
/// </summary>
public abstract class AnnotatedRecipeBase : IRecipe
{
    /// <summary>The LLaVA training file both recipes write.</summary>
    public const string LlavaFile = "llava.json";

    public static readonly RecipeOption Count = RecipeOption.Integer("--count",
        "Images, the first by id (default all). Or count in the config");

    public static readonly RecipeOption Tasks = RecipeOption.List("--tasks",
        "Comma-separated tasks (conversation, complex_reasoning, detail_description, referring_qa; default all of the recipe's)");

    public static readonly RecipeOption Prompts = RecipeOption.Text("--prompts",
        "A folder of prompt files in the original layout (SVIT's prompts/, LLaVA's playground/data/prompts/) "
        + "instead of the built-in prompts");

    public static readonly RecipeOption DetailQuestionsFile = RecipeOption.Text("--detail-questions",
        "Detail-description instructions, one per line (SVIT's data/questions.txt)");

    public static readonly RecipeOption ImageIds = RecipeOption.Text("--image-ids", "Only these image ids (a file, one per line)");

    public static readonly RecipeOption ExcludeImageIds = RecipeOption.Text("--exclude-image-ids",
        "Never these image ids (a file, one per line; e.g. SVIT's data/test_image_ids.txt)");

    private protected AnnotatedRecipeBase()
    {
    }

    public abstract string Name { get; }

    public abstract string Description { get; }

    public IReadOnlyList<RecipeOption> Options { get; } = [Count, Tasks, Prompts, DetailQuestionsFile, ImageIds, ExcludeImageIds];

    /// <summary>The recipe's tasks, in the order of its prompt folder.</summary>
    public abstract IReadOnlyList<AnnotatedTaskWriter> TaskWriters { get; }

    /// <summary>How a prompt folder of this recipe is laid out.</summary>
    public abstract PromptLayout PromptLayout { get; }

    /// <summary>The config section's name (<c>svit</c>, <c>llava_instruct</c>), for messages.</summary>
    protected abstract string ConfigSection { get; }

    /// <summary>Whether the contexts are measured in tokens (and cut to fit): the token counter is loaded with the plan.</summary>
    protected virtual bool CountsContextTokens => false;

    /// <summary>The card's title and the lines describing the recipe's files.</summary>
    protected abstract AnnotatedCard CardText { get; }

    /// <summary>The task of that kind, or an <see cref="ArgumentException"/> when the recipe has none.</summary>
    public AnnotatedTaskWriter Writer(AnnotatedTask task) => Find(task)
        ?? throw new ArgumentException($"recipe {Name} has no task {task.FileName()}", nameof(task));

    /// <summary>The recipe's section of the config (an empty one when absent).</summary>
    private AnnotatedRecipeConfig Settings(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Section(config) ?? new AnnotatedRecipeConfig();
    }

    /// <summary>Opens the annotations (<see cref="OpenAnnotations"/>) and plans the run over them; they are the plan's resources.</summary>
    public RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = request.Arguments;
        var annotations = OpenAnnotations(request.Config, request.ConfigFile, arguments.Text(ImageIds), arguments.Text(ExcludeImageIds),
            cancellationToken);
        try
        {
            return new RecipePlan(Plan(request, annotations), annotations);
        }
        catch
        {
            annotations.Dispose();
            throw;
        }
    }

    public string Card(DatasetSummary summary) => CardText.Write(summary);

    public string Statistics(DatasetSummary summary) => AnnotatedStatistics.From(summary).Json();

    /// <summary>
    /// Indexes the annotation files the recipe reads (paths in the config are relative to the config file), with
    /// the image-id filters. A missing key is a usage error naming it.
    /// </summary>
    public AnnotationSet OpenAnnotations(RunConfig config, string? configFile, string? imageIdsFile, string? excludeImageIdsFile,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var given = config.Annotations ?? new AnnotationsConfig();
        var files = new AnnotationFiles
        {
            VgImageData = RunConfigLoader.ResolvePath(configFile, given.VgImageData),
            VgObjects = RunConfigLoader.ResolvePath(configFile, given.VgObjects),
            VgRegions = RunConfigLoader.ResolvePath(configFile, given.VgRegions),
            VgAttributes = RunConfigLoader.ResolvePath(configFile, given.VgAttributes),
            CocoCaptions = given.CocoCaptions?.Select(f => RunConfigLoader.ResolvePath(configFile, f)!).ToList(),
            CocoInstances = given.CocoInstances?.Select(f => RunConfigLoader.ResolvePath(configFile, f)!).ToList(),
        };
        var missing = MissingAnnotations(files).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"the {Name} recipe reads annotation files: "
                + $"set {string.Join(", ", missing.Select(m => "annotations." + m))} in the config (see docs/svit.md)");
        }

        var settings = Settings(config);
        var filter = ImageFilter.FromFiles(imageIdsFile ?? RunConfigLoader.ResolvePath(configFile, settings.ImageIds),
            excludeImageIdsFile ?? RunConfigLoader.ResolvePath(configFile, settings.ExcludeImageIds));
        return Open(files, filter, cancellationToken);
    }

    /// <summary>Plans a run over annotations already opened (<see cref="OpenAnnotations"/>), which the caller disposes.</summary>
    public GenerationPlan Plan(RecipeRequest request, AnnotationSet annotations)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(annotations);
        var config = request.Config;
        var arguments = request.Arguments;
        var settings = Settings(config);
        var tasks = SelectTasks(arguments.List(Tasks) ?? settings.Tasks);
        int? count = arguments.Integer(Count) ?? config.Count;
        if (count is < 1)
        {
            throw new ArgumentException("the count must be at least 1 image");
        }

        string? promptsOption = arguments.Text(Prompts);
        string? detailOption = arguments.Text(DetailQuestionsFile);
        string? promptsDirectory = promptsOption ?? RunConfigLoader.ResolvePath(request.ConfigFile, settings.Prompts);
        string? detailFile = detailOption ?? RunConfigLoader.ResolvePath(request.ConfigFile, settings.DetailQuestions);
        var llm = request.Backends.Llm;
        var prompts = promptsDirectory is null ? PromptSet.Defaults(this) : PromptSet.Load(promptsDirectory, this);
        var detailQuestions = detailFile is null ? DetailQuestions.Default : DetailQuestions.Load(detailFile);
        var images = annotations.ImageIds.Take(count ?? int.MaxValue).ToList();
        if (images.Count == 0)
        {
            throw new ArgumentException("no image is left after the image-id filters");
        }

        var notices = Notices(config, settings, annotations.Info, images.Count, llm is null);

        // Every item with an LLM waits for the model's window before its first request: ask for it now.
        llm?.PrefetchContextWindow();
        if (llm is not null && CountsContextTokens)
        {
            // Every context is measured in tokens: load the vocabulary while the run state is opened and the items
            // are listed, not on the first item's path.
            LocalTokenCounter.WarmUp();
        }

        var orderedTasks = tasks.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var pipeline = new AnnotatedPipeline
        {
            Recipe = this,
            Annotations = annotations,
            Llm = llm,
            Prompts = prompts,
            DetailQuestions = detailQuestions,
            ContextTokens = settings.ContextTokens,
            GroundingIou = settings.EffectiveGroundingIou,
        };
        var plan = Pipeline.Start<AnnotatedItem>()
            .Then("context", null, pipeline.ContextAsync)
            .Then("write", llm?.Name, pipeline.WriteAsync)
            .Then("ground", null, pipeline.GroundAsync)
            .Then("assemble", null, pipeline.Assemble)
            .Build();

        var reproduce = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"visinstruct generate --recipe {Name} --out DIR --seed {request.Seed} --tasks {string.Join(",", tasks.Select(t => t.Name))}");
        if (count is { } given)
        {
            reproduce.Append(CultureInfo.InvariantCulture, $" --count {given}");
        }

        AppendOption(reproduce, "--config", request.ConfigFile);
        AppendOption(reproduce, Prompts.Name, promptsOption);
        AppendOption(reproduce, DetailQuestionsFile.Name, detailOption);
        AppendOption(reproduce, ImageIds.Name, arguments.Text(ImageIds));
        AppendOption(reproduce, ExcludeImageIds.Name, arguments.Text(ExcludeImageIds));
        return new GenerationPlan
        {
            Recipe = Name,
            Fingerprint = Fingerprint(request, settings, tasks, prompts, detailQuestions, images, annotations.Info),
            ResolvedConfig = Resolved(config, tasks, images.Count),
            Items = () => Items(images, orderedTasks),
            Pipeline = plan,
            Card = Card,
            Statistics = Statistics,
            ReproduceCommand = reproduce.ToString(),
            Notices = notices,
            OutputModes = request.Backends.OutputModes,
        };
    }

    /// <summary>
    /// The item's records in the recipe's files and <see cref="LlavaFile"/>; <paramref name="rng"/> is the item's for the conversion.
    /// </summary>
    internal abstract void AddRecords(ItemResult result, WrittenTask written, DeterministicRandom rng);

    /// <summary>The recipe's section of the config, or null when absent.</summary>
    protected abstract AnnotatedRecipeConfig? Section(RunConfig config);

    /// <summary>The config keys (<c>vg_objects</c>, ...) of the annotation files the recipe needs and was not given.</summary>
    protected abstract IEnumerable<string> MissingAnnotations(AnnotationFiles files);

    /// <summary>Indexes the recipe's annotation files.</summary>
    protected abstract AnnotationSet Open(AnnotationFiles files, ImageFilter? filter, CancellationToken cancellationToken);

    /// <summary>What the run's log should say about optional annotation files that are not configured.</summary>
    protected abstract IEnumerable<string> AnnotationNotices(AnnotationsConfig? annotations);

    private List<string> Notices(RunConfig config, AnnotatedRecipeConfig settings, AnnotationSetInfo info, int images, bool procedural)
    {
        var notices = new List<string>();
        if (procedural)
        {
            notices.Add("no llm: in the config: the procedural question engine asks what the annotations answer exactly "
                + "(counting, existence, attributes, positions, referring boxes, region descriptions); "
                + "configure llm: for LLM-written tasks");
        }

        if (settings.ContextTokens is not null)
        {
            notices.Add($"{ConfigSection}.context_tokens is deprecated: it caps the annotation context itself whatever the model takes; "
                + "leave it out for the whole context (cut only when the model's window needs it), "
                + "and set llm.context_tokens to the model's window if the server does not report it");
        }

        notices.AddRange(AnnotationNotices(config.Annotations));
        var invariant = CultureInfo.InvariantCulture;
        string filtered = info.ImagesFilteredOut > 0 ? string.Create(invariant, $" ({info.ImagesFilteredOut} filtered out)") : "";
        notices.Add(string.Create(invariant, $"annotations: {info.ImageCount} of {info.ImagesListed} images selected{filtered}, ")
            + string.Create(invariant, $"{images} to make; {info.ImagesWithCaptions} with captions, ")
            + string.Create(invariant, $"{info.ImagesWithoutObjects} without objects; ")
            + string.Create(invariant, $"indexed in {info.IndexTime.TotalSeconds:0.0} s"));
        return notices;
    }

    private static void AppendOption(StringBuilder sb, string option, string? value)
    {
        if (value is not null)
        {
            sb.Append(' ').Append(option).Append(' ').Append(value);
        }
    }

    private List<AnnotatedTaskWriter> SelectTasks(IReadOnlyList<string>? names)
    {
        if (names is not { Count: > 0 })
        {
            return TaskWriters.ToList();
        }

        var selected = new List<AnnotatedTaskWriter>();
        foreach (string name in names)
        {
            var task = AnnotatedTasks.TryParse(name, out var id) ? Find(id) : null;
            if (task is null)
            {
                throw new ArgumentException($"unknown task {name} for the {Name} recipe; "
                    + $"its tasks are {string.Join(", ", TaskWriters.Select(t => t.Name))}");
            }

            if (!selected.Contains(task))
            {
                selected.Add(task);
            }
        }

        return selected;
    }

    private AnnotatedTaskWriter? Find(AnnotatedTask task) => TaskWriters.FirstOrDefault(t => t.Task == task);

    /// <summary>
    /// One work item per image and task, keyed <c>&lt;image id, 12 digits&gt;/&lt;task&gt;</c>: ascending by image, then task name.
    /// </summary>
    private static IEnumerable<WorkItem> Items(List<long> images, List<AnnotatedTaskWriter> tasks)
    {
        foreach (long image in images)
        {
            foreach (var task in tasks)
            {
                string key = string.Create(CultureInfo.InvariantCulture, $"{image:D12}/{task.Name}");
                yield return new WorkItem(key, new AnnotatedItem(image, task));
            }
        }
    }

    private string Fingerprint(RecipeRequest request, AnnotatedRecipeConfig settings, List<AnnotatedTaskWriter> tasks, PromptSet prompts,
        IReadOnlyList<string> detailQuestions, List<long> images, AnnotationSetInfo info)
    {
        var llm = request.Config.Llm;
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("recipe", Name);
            writer.WriteString("seed", request.Seed.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("tasks", string.Join(",", tasks.Select(t => t.Name)));
            writer.WriteString("llm", llm is null ? "procedural" : string.Create(CultureInfo.InvariantCulture,
                $"{llm.Model} t={llm.Temperature} p={llm.TopP} max={llm.MaxTokens}"));
            writer.WriteString("prompts", Hash(string.Join("\u0001", TaskWriters.Select(t => prompts[t.Task]).Select(p =>
                p.System + "\u0002" + string.Join("\u0002", p.FewShot.Select(f => f.User + "\u0003" + f.Assistant))))));
            writer.WriteString("detail_questions", Hash(string.Join("\n", detailQuestions)));
            writer.WriteString("context_tokens", settings.ContextTokens?.ToString(CultureInfo.InvariantCulture) ?? "window");
            writer.WriteString("llm_context_tokens", llm?.ContextTokens?.ToString(CultureInfo.InvariantCulture) ?? "server");
            writer.WriteString("grounding_iou", settings.EffectiveGroundingIou.ToString("R", CultureInfo.InvariantCulture));
            writer.WriteString("images", string.Create(CultureInfo.InvariantCulture, $"{images.Count} {Hash(string.Join(",", images))}"));
            // The annotation files by what they hold (moving them elsewhere is not a change; a different release is).
            writer.WriteString("annotations",
                string.Join(", ", info.Files.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} {f.Bytes} bytes"))));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private string Resolved(RunConfig config, List<AnnotatedTaskWriter> tasks, int images) => ConfigJson.Resolved(config, writer =>
    {
        writer.WriteString("recipe", Name);
        writer.WriteNumber("images", images);
        writer.WritePropertyName("tasks");
        writer.WriteStartArray();
        foreach (var task in tasks)
        {
            writer.WriteStringValue(task.Name);
        }

        writer.WriteEndArray();
    });
}
