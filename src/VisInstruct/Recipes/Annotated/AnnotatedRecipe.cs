using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VisInstruct.Annotations;
using VisInstruct.Backends;
using VisInstruct.Backends.Llm;
using VisInstruct.Config;
using VisInstruct.Engine;
using VisInstruct.Json;

namespace VisInstruct.Recipes.Annotated;

/// <summary>What <c>generate --recipe svit|llava-instruct</c> is asked for.</summary>
public sealed class AnnotatedRequest
{
    /// <summary><see cref="AnnotatedRecipe.SvitName"/> or <see cref="AnnotatedRecipe.LlavaInstructName"/>.</summary>
    public required string Recipe { get; init; }

    public required RunConfig Config { get; init; }

    /// <summary>The configuration file's path (relative files in it are relative to it), or null without one.</summary>
    public string? ConfigFile { get; init; }

    public required RunBackends Backends { get; init; }

    /// <summary>The indexed annotation files (see <see cref="AnnotatedRecipe.OpenAnnotations"/>).</summary>
    public required AnnotationSet Annotations { get; init; }

    /// <summary>Task names from the command line (null: the config's, else all of the recipe's).</summary>
    public IReadOnlyList<string>? Tasks { get; init; }

    /// <summary>How many images (the first ones by id); null for all the selected images.</summary>
    public int? Count { get; init; }

    public required ulong Seed { get; init; }

    public required string OutputDirectory { get; init; }

    /// <summary>A folder of prompt files in the original layout (overrides the config's).</summary>
    public string? PromptsDirectory { get; init; }

    /// <summary>A file of detail-description instructions (overrides the config's).</summary>
    public string? DetailQuestionsFile { get; init; }

    /// <summary>The image-id filter files as given (for the fingerprint and the reproduce command).</summary>
    public string? ImageIdsFile { get; init; }

    public string? ExcludeImageIdsFile { get; init; }
}

/// <summary>
/// The annotation recipes. <b>SVIT</b>: each Visual Genome image's captions, object boxes and region descriptions
/// become the four SVIT tasks (conversation, complex reasoning, detail description, referring QA) in SVIT's raw
/// format and, through the LLaVA-1.5 conversion, a training file. <b>LLaVA-Instruct</b>: each COCO image's captions
/// and category boxes become LLaVA's three tasks. An LLM writes the answers from the annotation context; without
/// one, the procedural question engine asks what the annotations answer exactly.
/// </summary>
public static class AnnotatedRecipe
{
    public const string SvitName = AnnotatedTasks.SvitRecipe;
    public const string LlavaInstructName = AnnotatedTasks.LlavaInstructRecipe;
    public const string LlavaFile = "llava.json";
    public const double DefaultGroundingIou = 0.5;

    /// <summary>The recipe's section of the config (an empty one when absent).</summary>
    public static AnnotatedRecipeConfig Settings(string recipe, RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (recipe == SvitName ? config.Svit : config.LlavaInstruct) ?? new AnnotatedRecipeConfig();
    }

    /// <summary>
    /// Indexes the annotation files the recipe reads (paths in the config are relative to the config file), with
    /// the image-id filters. A missing key is a usage error naming it.
    /// </summary>
    public static AnnotationSet OpenAnnotations(string recipe, RunConfig config, string? configFile, string? imageIdsFile, string? excludeImageIdsFile,
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
        var missing = recipe == SvitName
            ? new[] { ("vg_image_data", files.VgImageData), ("vg_objects", files.VgObjects), ("vg_regions", files.VgRegions) }.Where(f => f.Item2 is null).Select(f => f.Item1).ToList()
            : files.CocoCaptions is { Count: > 0 } ? [] : ["coco_captions"];
        if (missing.Count > 0)
        {
            throw new ArgumentException($"the {recipe} recipe reads annotation files: set {string.Join(", ", missing.Select(m => "annotations." + m))} in the config (see docs/svit.md)");
        }

        var settings = Settings(recipe, config);
        var filter = ImageFilter.FromFiles(imageIdsFile ?? RunConfigLoader.ResolvePath(configFile, settings.ImageIds), excludeImageIdsFile ?? RunConfigLoader.ResolvePath(configFile, settings.ExcludeImageIds));
        return recipe == SvitName
            ? AnnotationSet.OpenVisualGenome(files, filter, cancellationToken)
            : AnnotationSet.OpenCoco(files, filter, cancellationToken);
    }

    public static GenerationPlan Plan(AnnotatedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string recipe = request.Recipe;
        if (recipe is not (SvitName or LlavaInstructName))
        {
            throw new ArgumentException($"unknown annotation recipe {recipe}");
        }

        var config = request.Config;
        var settings = Settings(recipe, config);
        var tasks = SelectTasks(recipe, request.Tasks ?? settings.Tasks);
        if (request.Count is < 1)
        {
            throw new ArgumentException("the count must be at least 1 image");
        }

        string? promptsDirectory = request.PromptsDirectory ?? RunConfigLoader.ResolvePath(request.ConfigFile, settings.Prompts);
        string? detailFile = request.DetailQuestionsFile ?? RunConfigLoader.ResolvePath(request.ConfigFile, settings.DetailQuestions);
        var llm = request.Backends.Llm;
        var prompts = promptsDirectory is null ? PromptSet.Defaults(recipe) : PromptSet.Load(promptsDirectory, recipe);
        var detailQuestions = detailFile is null ? DetailQuestions.Default : DetailQuestions.Load(detailFile);
        var images = request.Annotations.ImageIds.Take(request.Count ?? int.MaxValue).ToList();
        if (images.Count == 0)
        {
            throw new ArgumentException("no image is left after the image-id filters");
        }

        var notices = new List<string>();
        if (llm is null)
        {
            notices.Add("no llm: in the config: the procedural question engine asks what the annotations answer exactly (counting, existence, attributes, positions, referring boxes, region descriptions); configure llm: for LLM-written tasks");
        }

        if (settings.ContextTokens is not null)
        {
            string section = recipe == SvitName ? "svit" : "llava_instruct";
            notices.Add($"{section}.context_tokens is deprecated: it caps the annotation context itself whatever the model takes; leave it out for the whole context (cut only when the model's window needs it), and set llm.context_tokens to the model's window if the server does not report it");
        }

        if (recipe == SvitName && (request.Config.Annotations?.CocoCaptions is null or { Count: 0 }))
        {
            notices.Add("no annotations.coco_captions: the (1) captions section is empty for every image");
        }

        if (recipe == LlavaInstructName && (request.Config.Annotations?.CocoInstances is null or { Count: 0 }))
        {
            notices.Add("no annotations.coco_instances: detail description and complex reasoning get the captions without boxes");
        }

        var info = request.Annotations.Info;
        notices.Add(string.Create(CultureInfo.InvariantCulture,
            $"annotations: {info.ImageCount} of {info.ImagesListed} images selected{(info.ImagesFilteredOut > 0 ? $" ({info.ImagesFilteredOut} filtered out)" : "")}, {images.Count} to make; {info.ImagesWithCaptions} with captions, {info.ImagesWithoutObjects} without objects; indexed in {info.IndexTime.TotalSeconds:0.0} s"));

        // Every item with an LLM waits for the model's window before its first request: ask for it now.
        llm?.PrefetchContextWindow();
        if (llm is not null && recipe == SvitName)
        {
            // Every SVIT context is measured in tokens: load the vocabulary while the run state is opened and the
            // items are listed, not on the first item's path.
            LocalTokenCounter.WarmUp();
        }

        var orderedTasks = tasks.OrderBy(t => t.FileName(), StringComparer.Ordinal).ToList();
        var pipeline = new AnnotatedPipeline
        {
            FirstTask = orderedTasks[0].FileName(),
            Recipe = recipe,
            Annotations = request.Annotations,
            Llm = llm,
            Prompts = prompts,
            DetailQuestions = detailQuestions,
            ContextTokens = settings.ContextTokens,
            GroundingIou = settings.GroundingIou ?? DefaultGroundingIou,
        };
        var plan = Pipeline.Start<AnnotatedItem>()
            .Then("context", null, pipeline.ContextAsync)
            .Then("write", llm is null ? null : "llm", pipeline.WriteAsync)
            .Then("ground", null, pipeline.GroundAsync)
            .Then("assemble", null, pipeline.Assemble)
            .Build();

        string taskList = string.Join(",", tasks.Select(t => t.FileName()));
        var reproduce = new StringBuilder().Append(CultureInfo.InvariantCulture, $"visinstruct generate --recipe {recipe} --out DIR --seed {request.Seed} --tasks {taskList}");
        if (request.Count is { } count)
        {
            reproduce.Append(CultureInfo.InvariantCulture, $" --count {count}");
        }

        AppendOption(reproduce, "--config", request.ConfigFile);
        AppendOption(reproduce, "--prompts", request.PromptsDirectory);
        AppendOption(reproduce, "--detail-questions", request.DetailQuestionsFile);
        AppendOption(reproduce, "--image-ids", request.ImageIdsFile);
        AppendOption(reproduce, "--exclude-image-ids", request.ExcludeImageIdsFile);
        return new GenerationPlan
        {
            Recipe = recipe,
            Fingerprint = Fingerprint(request, settings, tasks, prompts, detailQuestions, images),
            ResolvedConfig = Resolved(config, recipe, tasks, images.Count),
            Items = () => Items(images, orderedTasks),
            Pipeline = plan,
            Card = Card,
            Statistics = StatisticsJson,
            ReproduceCommand = reproduce.ToString(),
            Notices = notices,
            OutputModes = request.Backends.OutputModes,
        };
    }

    private static void AppendOption(StringBuilder sb, string option, string? value)
    {
        if (value is not null)
        {
            sb.Append(' ').Append(option).Append(' ').Append(value);
        }
    }

    private static List<AnnotatedTask> SelectTasks(string recipe, IReadOnlyList<string>? names)
    {
        var available = AnnotatedTasks.ForRecipe(recipe);
        if (names is not { Count: > 0 })
        {
            return available.ToList();
        }

        var selected = new List<AnnotatedTask>();
        foreach (string name in names)
        {
            if (!AnnotatedTasks.TryParse(name, out var task) || !available.Contains(task))
            {
                throw new ArgumentException($"unknown task {name} for the {recipe} recipe; its tasks are {string.Join(", ", available.Select(t => t.FileName()))}");
            }

            if (!selected.Contains(task))
            {
                selected.Add(task);
            }
        }

        return selected;
    }

    /// <summary>One work item per image and task, keyed <c>&lt;image id, 12 digits&gt;/&lt;task&gt;</c>: ascending by image, then task name.</summary>
    private static IEnumerable<WorkItem> Items(List<long> images, List<AnnotatedTask> tasks)
    {
        foreach (long image in images)
        {
            foreach (var task in tasks)
            {
                yield return new WorkItem(Key(image, task), new AnnotatedItem(image, task));
            }
        }
    }

    public static string Key(long imageId, AnnotatedTask task) => string.Create(CultureInfo.InvariantCulture, $"{imageId:D12}/{task.FileName()}");


    private static string Fingerprint(AnnotatedRequest request, AnnotatedRecipeConfig settings, List<AnnotatedTask> tasks, PromptSet prompts,
        IReadOnlyList<string> detailQuestions, List<long> images)
    {
        var llm = request.Config.Llm;
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("recipe", request.Recipe);
            writer.WriteString("seed", request.Seed.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("tasks", string.Join(",", tasks.Select(t => t.FileName())));
            writer.WriteString("llm", llm is null ? "procedural" : string.Create(CultureInfo.InvariantCulture,
                $"{llm.Model} t={llm.Temperature} p={llm.TopP} max={llm.MaxTokens}"));
            writer.WriteString("prompts", Hash(string.Join("\u0001", AnnotatedTasks.ForRecipe(request.Recipe).Select(t => prompts[t]).Select(p =>
                p.System + "\u0002" + string.Join("\u0002", p.FewShot.Select(f => f.User + "\u0003" + f.Assistant))))));
            writer.WriteString("detail_questions", Hash(string.Join("\n", detailQuestions)));
            writer.WriteString("context_tokens", settings.ContextTokens?.ToString(CultureInfo.InvariantCulture) ?? "window");
            writer.WriteString("llm_context_tokens", request.Config.Llm?.ContextTokens?.ToString(CultureInfo.InvariantCulture) ?? "server");
            writer.WriteString("grounding_iou", (settings.GroundingIou ?? DefaultGroundingIou).ToString("R", CultureInfo.InvariantCulture));
            writer.WriteString("images", string.Create(CultureInfo.InvariantCulture, $"{images.Count} {Hash(string.Join(",", images))}"));
            // The annotation files by what they hold (moving them elsewhere is not a change; a different release is).
            writer.WriteString("annotations", string.Join(", ", request.Annotations.Info.Files.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} {f.Bytes} bytes"))));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static string Resolved(RunConfig config, string recipe, List<AnnotatedTask> tasks, int images) => ConfigJson.Resolved(config, writer =>
    {
        writer.WriteString("recipe", recipe);
        writer.WriteNumber("images", images);
        writer.WritePropertyName("tasks");
        writer.WriteStartArray();
        foreach (var task in tasks)
        {
            writer.WriteStringValue(task.FileName());
        }

        writer.WriteEndArray();
    });

    /// <summary>The dataset card: the statistics table, where answers came from, grounding and context cuts, backends.</summary>
    public static string Card(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        bool svit = summary.Recipe == SvitName;
        var stats = AnnotatedStatistics.From(summary);
        var sb = new StringBuilder();
        sb.Append(svit ? "# SVIT-style visual instruction data\n\n" : "# LLaVA-Instruct-style visual instruction data\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{summary.Done} task samples over {stats.Total.Images} images ({stats.Total.Questions} questions, {stats.Total.Answers} answers); {summary.Failed} failed, {summary.Dropped} dropped (see `failures.jsonl`). Made by {ToolInfo.Name} {ToolInfo.Version} with seed {summary.Seed}.\n\n");
        sb.Append("- `llava.json`: the LLaVA training file")
            .Append(svit ? " (LLaVA-1.5 format: one sample per conversation, boxes padded to the square image, referring markers removed and a format instruction added; images as `vg/VG_100K(_2)/<id>.jpg`)\n" : " (images as `coco/<split>/<file>`, `<image>` in the first question)\n");
        sb.Append(svit
            ? "- `svit/<task>.json`: SVIT's raw format per task (`image_id`, `conversations[].content[]` with `user`/`gpt`; referring boxes normalised per side); `svit/svit.json`: all tasks together\n"
            : "- `llava-instruct/<task>.json`: per task in LLaVA-Instruct-150K's layout (`id` = 12-digit COCO id, `image` = file name)\n");
        sb.Append("- `stats.json`: the table below as JSON\n\n");
        if (summary.TagCounts.TryGetValue("source", out var sources))
        {
            sb.Append("Written by: ").Append(string.Join(", ", sources.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"{(s.Key == "llm" ? "an LLM from the annotation context" : "the procedural question engine, exact from the annotations")} ({s.Value})")))).Append(".\n\n");
        }

        sb.Append("| task | images | object boxes | region descriptions | captions | questions | answers |\n|---|---|---|---|---|---|---|\n");
        foreach (var (task, row) in stats.Tasks)
        {
            AppendRow(sb, task, row);
        }

        AppendRow(sb, "total", stats.Total);
        sb.Append("\nImages, object boxes, region descriptions and captions are those given as the tasks' input; the total counts each image once.\n\n");
        if (stats.Grounding is { } grounding)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Grounding check (referring QA): {grounding.PairsKept} of {grounding.Pairs} question-answer pairs kept ({Percent(grounding.PairsKept, grounding.Pairs)}); {grounding.BoxesPassed} of {grounding.Boxes} boxes matched an annotated box (IoU at least the configured threshold; {Percent(grounding.BoxesPassed, grounding.Boxes)}).");
            if (grounding.Dropped.Count > 0)
            {
                sb.Append(" Dropped pairs by reason: ").Append(string.Join(", ", grounding.Dropped.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Key} {d.Value}")))).Append('.');
            }

            sb.Append("\n\n");
        }

        if (summary.TagCounts.TryGetValue("context_window", out var windows))
        {
            sb.Append("Model window: ").Append(string.Join(", ", windows.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Key} ({w.Value} items)")))).Append(".\n\n");
        }

        if (stats.ContextsCut > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Contexts cut to fit: {stats.ContextsCut} (leaving out {stats.ObjectsCut} object lines and {stats.RegionsCut} region lines; see docs/svit.md for the rule).\n\n");
        }
        else if (summary.Counters.GetValueOrDefault("conversations") > 0 && summary.TagCounts.ContainsKey("context_window"))
        {
            sb.Append("Every annotation context was sent whole.\n\n");
        }

        if (summary.Counters.GetValueOrDefault("repair_skipped_window") is > 0 and var skipped)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Repair turns left out because they would not fit the model's window: {skipped}.\n\n");
        }

        if (summary.Counters.GetValueOrDefault("repair_requests") is > 0 and var repairs)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Answers repaired: {repairs} asked to fix their format or counts; {summary.Counters.GetValueOrDefault("kept_with_problems")} kept with what parsed.\n\n");
        }

        DatasetWriter.AppendBackends(sb, summary);
        DatasetWriter.AppendReproduce(sb, summary);
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string name, StatisticsRow row) => sb.Append(CultureInfo.InvariantCulture,
        $"| {name} | {row.Images} | {row.ObjectBoxes} | {row.RegionDescriptions} | {row.Captions} | {row.Questions} | {row.Answers} |\n");

    private static string Percent(long part, long whole) => whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary><c>stats.json</c>: per task and in total, the counts of SVIT's statistics table, plus grounding and context cuts.</summary>
    public static string StatisticsJson(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var stats = AnnotatedStatistics.From(summary);
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Indented(2), leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("recipe", summary.Recipe);
            writer.WritePropertyName("tasks");
            writer.WriteStartObject();
            foreach (var (task, row) in stats.Tasks)
            {
                writer.WritePropertyName(task);
                WriteRow(writer, row);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("total");
            WriteRow(writer, stats.Total);
            if (stats.Grounding is { } grounding)
            {
                writer.WritePropertyName("grounding");
                writer.WriteStartObject();
                writer.WriteNumber("pairs", grounding.Pairs);
                writer.WriteNumber("pairs_kept", grounding.PairsKept);
                writer.WriteNumber("boxes", grounding.Boxes);
                writer.WriteNumber("boxes_passed", grounding.BoxesPassed);
                writer.WritePropertyName("dropped");
                writer.WriteStartObject();
                foreach (var (reason, count) in grounding.Dropped)
                {
                    writer.WriteNumber(reason, count);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WritePropertyName("context");
            writer.WriteStartObject();
            writer.WriteNumber("cut", stats.ContextsCut);
            writer.WriteNumber("objects_cut", stats.ObjectsCut);
            writer.WriteNumber("regions_cut", stats.RegionsCut);
            if (summary.TagCounts.TryGetValue("context_window", out var windows))
            {
                writer.WritePropertyName("window");
                writer.WriteStartObject();
                foreach (var (window, items) in windows)
                {
                    writer.WriteNumber(window, items);
                }

                writer.WriteEndObject();
            }

            writer.WriteNumber("repairs_skipped_for_window", summary.Counters.GetValueOrDefault("repair_skipped_window"));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteRow(PythonJsonWriter writer, StatisticsRow row)
    {
        writer.WriteStartObject();
        writer.WriteNumber("images", row.Images);
        writer.WriteNumber("object_boxes", row.ObjectBoxes);
        writer.WriteNumber("region_descriptions", row.RegionDescriptions);
        writer.WriteNumber("captions", row.Captions);
        writer.WriteNumber("questions", row.Questions);
        writer.WriteNumber("answers", row.Answers);
        writer.WriteEndObject();
    }
}

/// <summary>One row of the statistics table.</summary>
public sealed record StatisticsRow(long Images, long ObjectBoxes, long RegionDescriptions, long Captions, long Questions, long Answers);

/// <summary>The grounding check's totals.</summary>
public sealed record GroundingTotals(long Pairs, long PairsKept, long Boxes, long BoxesPassed, IReadOnlyList<KeyValuePair<string, long>> Dropped);

/// <summary>The statistics of an annotation-recipe dataset, from the engine's per-item tags and counters.</summary>
public sealed record AnnotatedStatistics(IReadOnlyList<(string Task, StatisticsRow Row)> Tasks, StatisticsRow Total, GroundingTotals? Grounding,
    long ContextsCut, long ObjectsCut, long RegionsCut)
{
    public static AnnotatedStatistics From(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var rows = new List<(string, StatisticsRow)>();
        var byTask = summary.CountersByTag.GetValueOrDefault("task");
        foreach (var (task, images) in summary.TagCounts.GetValueOrDefault("task") ?? [])
        {
            var c = byTask?.GetValueOrDefault(task) ?? [];
            rows.Add((task, new StatisticsRow(images, c.GetValueOrDefault("objects"), c.GetValueOrDefault("regions"), c.GetValueOrDefault("captions"),
                c.GetValueOrDefault("questions"), c.GetValueOrDefault("answers"))));
        }

        var all = summary.Counters;
        var total = new StatisticsRow(all.GetValueOrDefault("image_first"), all.GetValueOrDefault("image_first_objects"), all.GetValueOrDefault("image_first_regions"),
            all.GetValueOrDefault("image_first_captions"), all.GetValueOrDefault("questions"), all.GetValueOrDefault("answers"));
        GroundingTotals? grounding = null;
        if (all.TryGetValue("grounding_pairs", out long pairs))
        {
            var dropped = all.Where(c => c.Key.StartsWith("grounding_dropped_", StringComparison.Ordinal))
                .Select(c => new KeyValuePair<string, long>(c.Key["grounding_dropped_".Length..], c.Value)).ToList();
            grounding = new GroundingTotals(pairs, all.GetValueOrDefault("grounding_pairs_kept"), all.GetValueOrDefault("grounding_boxes"),
                all.GetValueOrDefault("grounding_boxes_passed"), dropped);
        }

        return new AnnotatedStatistics(rows, total, grounding, all.GetValueOrDefault("context_cut"), all.GetValueOrDefault("objects_cut"),
            all.GetValueOrDefault("regions_cut"));
    }
}
