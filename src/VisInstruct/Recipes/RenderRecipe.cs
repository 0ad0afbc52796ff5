using System.Globalization;
using System.Text;
using VisInstruct.Backends.Composition;
using VisInstruct.Backends.Images;
using VisInstruct.Config;
using VisInstruct.Conversion;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Json;

namespace VisInstruct.Recipes;

/// <summary>
/// <c>visinstruct render</c>: StableLLaVA's stable_diffusion.py done right. Every entry of the ability files becomes
/// one image, saved under the name <c>convert stablellava</c> points at (<see cref="StableLlavaLayout"/>), with a seed
/// derived from the run seed and the entry (recorded, never "none"), its provenance in <c>provenance.jsonl</c>, in
/// parallel and resumable on the engine.
/// </summary>
public sealed class RenderRecipe : IRecipe
{
    public const string ProvenanceFile = "provenance.jsonl";

    /// <summary><c>--prompt-path</c>: the ability files to render.</summary>
    public static readonly RecipeOption PromptPath = RecipeOption.Text("--prompt-path", "A StableLLaVA ability file or a folder of them");

    public string Name => "render";

    public string Description => "ability files -> images";

    public IReadOnlyList<RecipeOption> Options { get; } = [PromptPath];

    /// <summary>Plans the render of <see cref="PromptPath"/>'s entries into the output folder (the save path).</summary>
    public RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string promptPath = request.Arguments.Text(PromptPath)
            ?? throw new ArgumentException($"the {Name} recipe needs {PromptPath.Name}", nameof(request));
        string saveDirectory = request.OutputDirectory;
        var config = request.Config;
        var images = request.Backends.Images;
        var files = StableLlavaLayout.AbilityFiles(promptPath);

        // Every entry is read and checked once before the engine creates the save path's run state and log: bad input
        // is refused with nothing created (the engine reads them again, streaming, as it runs).
        foreach (var _ in Items(files))
        {
        }

        var notices = new List<string>();
        string imageRoot = StableLlavaLayout.ImageRoot(saveDirectory, files, out string? folder);
        if (folder is not null)
        {
            notices.Add($"the save path already ends in the images' folder \"{folder}\", "
                + "so they are written into it, not one folder deeper; "
                + $"their image root is {imageRoot}, the folder to give convert stablellava --image-path");
        }

        if (images.IsProcedural)
        {
            notices.Add("no image backend is configured, so these images are procedural stand-ins for the prompts "
                + "(shapes in the colours and numbers the prompts name), not renderings of them; set images.backend in the config to "
                    + "render the prompts");
        }

        var parameters = BackendFactory.ImageDefaults(config.Images, "", 0);
        string seed = request.Seed.ToString(CultureInfo.InvariantCulture);
        return new RecipePlan(new GenerationPlan
        {
            Recipe = Name,
            Fingerprint = Fingerprint(parameters, images, request.Seed),
            ResolvedConfig = ResolvedConfig(promptPath, config.Images, parameters, images),
            Items = () => Items(files),
            Pipeline = Pipeline.Start<RenderInput>()
                .Then("render", images.Name, (input, context, ct) => RenderAsync(input, context, parameters, images, imageRoot, ct))
                .Build(),
            Card = Card,
            // The output folder is left out: the same card must come out of any folder, and out of merged shards.
            ReproduceCommand = $"visinstruct render --prompt-path {promptPath} --save-path DIR --seed {seed}",
            Notices = notices,
        });
    }

    /// <summary>None: the card has the numbers.</summary>
    public string? Statistics(DatasetSummary summary) => null;

    private sealed record RenderInput(string Ability, StableLlavaEntry Entry);

    private static IEnumerable<WorkItem> Items(IReadOnlyList<string> files)
    {
        foreach (string file in files)
        {
            string ability = StableLlavaLayout.AbilityName(file);
            using var reader = JsonRecordReader.OpenArray(file);
            long index = 0;
            foreach (var entry in JsonRecords.Read(reader, FormatsJsonContext.Default.StableLlavaEntry, StableLlavaLayout.Check))
            {
                yield return new WorkItem(string.Create(CultureInfo.InvariantCulture, $"{ability}/{index++:D9}"),
                    new RenderInput(ability, entry));
            }
        }
    }

    private static async ValueTask<ItemResult> RenderAsync(RenderInput input, SampleContext context, ImageRequest parameters,
        ImageService images, string imageRoot, CancellationToken cancellationToken)
    {
        string relative = StableLlavaLayout.ImageRelativePath(input.Entry);
        long seed = (long)(context.SeedFor("image") & long.MaxValue);
        var request = parameters with { Prompt = input.Entry.Prompt, Seed = seed };
        var rendered = await images
            .RenderAsync(context.Key, context.Gateway, request, Path.Combine(imageRoot, relative), relative, cancellationToken)
            .ConfigureAwait(false);
        return new ItemResult()
            .Add(ProvenanceFile, rendered.Provenance, static (w, p) => p.Write(w))
            .Tag("ability", input.Ability);
    }

    private static string Fingerprint(ImageRequest parameters, ImageService images, ulong seed)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("seed", seed.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("backend", images.Producer.Kind);
            writer.WriteString("model", images.Producer.Model);
            WriteRequest(writer, parameters);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string ResolvedConfig(string promptPath, ImagesConfig? config, ImageRequest parameters, ImageService images)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("prompt_path", promptPath);
            writer.WritePropertyName("images");
            writer.WriteStartObject();
            writer.WriteString("backend", images.Producer.Kind);
            writer.WriteString("model", images.Producer.Model);
            if (config?.Endpoints is { } endpoints)
            {
                writer.WritePropertyName("endpoints");
                writer.WriteStartArray();
                foreach (string endpoint in endpoints)
                {
                    writer.WriteStringValue(endpoint);
                }

                writer.WriteEndArray();
            }

            WriteRequest(writer, parameters);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRequest(PythonJsonWriter writer, ImageRequest request)
    {
        writer.WriteNumber("width", request.Width);
        writer.WriteNumber("height", request.Height);
        writer.WriteNumber("steps", request.Steps);
        writer.WriteNumber("guidance", request.Guidance);
        writer.WriteString("negative_prompt", request.NegativePrompt);
        if (request.Sampler is not null)
        {
            writer.WriteString("sampler", request.Sampler);
        }
    }

    /// <summary>The card of a render: images per ability, the backend, and a warning when they are procedural stand-ins.</summary>
    public string Card(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var sb = new StringBuilder();
        sb.Append("# Rendered images\n\n");
        if (summary.Usage.Any(u => u.Backend == ProceduralProducer.Name))
        {
            sb.Append("**These are procedural stand-ins, not renderings of the prompts**: no image backend was configured, so each "
                + "image shows shapes in the colours and numbers its prompt names. Configure `images:` (ComfyUI, AUTOMATIC1111 or an "
                + "OpenAI-style endpoint) to render the prompts.\n\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"{summary.Done} images rendered, {summary.Failed} failed. Each image's backend, model, "
            + $"parameters, seed and SHA-256 are in `{ProvenanceFile}`.\n\n");
        if (summary.TagCounts.TryGetValue("ability", out var abilities))
        {
            sb.Append("| ability | images |\n|---|---|\n");
            foreach (var (ability, count) in abilities)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {ability} | {count} |\n");
            }

            sb.Append('\n');
        }

        DatasetWriter.AppendBackends(sb, summary);
        DatasetWriter.AppendReproduce(sb, summary);
        return sb.ToString();
    }
}
