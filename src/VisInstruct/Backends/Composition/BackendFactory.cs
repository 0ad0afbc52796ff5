using System.Globalization;
using VisInstruct.Backends.Images;
using VisInstruct.Backends.Llm;
using VisInstruct.Config;
using VisInstruct.Json;
using VisInstruct.Rendering;

namespace VisInstruct.Backends.Composition;

/// <summary>
/// Builds backends from a <see cref="RunConfig"/>: the OpenAI-compatible LLM and vision clients, and the image backend
/// (the procedural renderer when <c>images</c> is absent). API keys come from the environment variables the config
/// names; a named variable that is not set is bad input. What the config leaves unset takes the options types' defaults.
/// </summary>
public static class BackendFactory
{
    public static RunBackends Create(RunConfig config, IReadOnlyDictionary<string, string?> environment, string configFile,
        string? tempDirectory = null,
        HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var owned = new List<IDisposable>();
        var checks = new List<(string, IReadOnlyList<Uri>, string, string?)>();
        LlmService? Chat(BackendLane lane, LlmConfig? llm)
        {
            if (llm?.Endpoints is not { Count: > 0 } endpoints)
            {
                return null;
            }

            string section = lane.Name;
            string? key = Secret(llm.ApiKeyEnv, $"{section}.api_key_env", environment, configFile);
            var urls = endpoints.Select(e => new Uri(e)).ToList();
            var options = new ChatEndpointsOptions { Endpoints = urls, Model = llm.Model!, ApiKey = key, Handler = handler };
            options = options with
            {
                RequestTimeout = Seconds(llm.TimeoutSeconds) ?? options.RequestTimeout,
                QueueTimeout = Seconds(llm.QueueTimeoutSeconds),
                MaxConcurrencyPerEndpoint = llm.Concurrency ?? options.MaxConcurrencyPerEndpoint,
                Retries = llm.Retries ?? options.Retries,
            };
            var client = ChatBackend.Build(options);
            owned.Add(client);
            checks.Add((section, urls, llm.Model!, key));
            var service = new LlmServiceOptions
            {
                Name = section,
                Model = llm.Model!,
                Temperature = llm.Temperature,
                TopP = llm.TopP,
                MaxTokens = llm.MaxTokens,
                ContextTokens = llm.ContextTokens,
            };
            return new LlmService(client, service with
            {
                StructuredOutput = llm.StructuredOutput ?? service.StructuredOutput,
                LocalMedia = llm.LocalMedia ?? service.LocalMedia,
            });
        }

        var llmService = Chat(BackendLane.Llm, config.Llm);
        var vision = Chat(BackendLane.Vision, config.Vision);
        // The consistency filter's judges: its own list, each on a lane of its own; without one, the vision model.
        var judges = config.Filters?.Consistency?.Judges is { Count: > 0 } listed
            ? listed.Select((judge, i) => Chat(JudgeLane(i, judge), judge)!).ToList()
            : vision is null ? [] : [vision];
        var producer = CreateImageProducer(config.Images, environment, configFile, handler);
        owned.Add(producer);
        var imageOptions = new ImageServiceOptions { TempDirectory = tempDirectory };
        var backends = new RunBackends
        {
            Llm = llmService,
            Vision = vision,
            Judges = judges,
            Images = new ImageService(producer, imageOptions with { JpegQuality = config.Images?.Quality ?? imageOptions.JpegQuality }),
            Checks = checks,
            Handler = handler,
        };
        backends.Owned.AddRange(owned);
        return backends;
    }

    /// <summary>The lane of consistency judge <paramref name="index"/> (0-based): <c>judge1</c>, <c>judge2</c>, ...</summary>
    public static BackendLane JudgeLane(int index, LlmConfig judge)
    {
        ArgumentNullException.ThrowIfNull(judge);
        return new BackendLane("judge" + (index + 1).ToString(CultureInfo.InvariantCulture), BackendLane.Vision.DefaultConcurrency);
    }

    /// <summary>The image backend the config asks for; the procedural renderer when it asks for none.</summary>
    public static IImageProducer CreateImageProducer(ImagesConfig? images, IReadOnlyDictionary<string, string?> environment,
        string configFile,
        HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (images?.Backend is not { } backend || backend == ProceduralProducer.Name)
        {
            return new ProceduralProducer(ImageEncoding.Png);
        }

        var options = new ImageEndpointsOptions
        {
            Endpoints = images.Endpoints!.Select(e => new Uri(e)).ToList(),
            Model = images.Model,
            ApiKey = Secret(images.ApiKeyEnv, "images.api_key_env", environment, configFile),
            BasicAuth = images.UsernameEnv is not null || images.PasswordEnv is not null
                ? (Secret(images.UsernameEnv, "images.username_env", environment, configFile) ?? "",
                    Secret(images.PasswordEnv, "images.password_env", environment, configFile) ?? "")
                : null,
            Handler = handler,
        };
        options = options with
        {
            RequestTimeout = Seconds(images.TimeoutSeconds) ?? options.RequestTimeout,
            MaxConcurrencyPerEndpoint = images.Concurrency ?? options.MaxConcurrencyPerEndpoint,
            Retries = images.Retries ?? options.Retries,
        };
        return backend switch
        {
            "a1111" => ImageBackends.A1111(options),
            "openai" => ImageBackends.OpenAiImages(options),
            _ => ComfyUi(options, images, configFile),
        };
    }

    /// <summary>
    /// The image request from the config, the request's own defaults (SD-XL base as StableLLaVA used it) where it says
    /// nothing.
    /// </summary>
    public static ImageRequest ImageDefaults(ImagesConfig? images, string prompt, long seed)
    {
        var defaults = new ImageRequest { Prompt = prompt, Seed = seed };
        return defaults with
        {
            NegativePrompt = images?.NegativePrompt ?? defaults.NegativePrompt,
            Width = images?.Width ?? defaults.Width,
            Height = images?.Height ?? defaults.Height,
            Steps = images?.Steps ?? defaults.Steps,
            Guidance = images?.Guidance ?? defaults.Guidance,
            Sampler = images?.Sampler,
        };
    }

    private static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    private static IImageProducer ComfyUi(ImageEndpointsOptions options, ImagesConfig images, string configFile)
    {
        string? workflow = Workflow(images, configFile);
        try
        {
            return ImageBackends.ComfyUi(options, workflow, images.Nodes);
        }
        catch (InvalidDataException ex)
        {
            // What the workflow lacks (API format, a sampler, a named node): the workflow file, or the config naming it.
            string file = images.Workflow is null ? configFile : RunConfigLoader.ResolvePath(configFile, images.Workflow)!;
            throw new InputFormatException(file, ex.Message, field: images.Workflow is null ? "images.nodes" : null, innerException: ex);
        }
    }

    /// <summary>The deepest nesting a ComfyUI workflow may have (an API-format workflow is a few levels deep).</summary>
    public const int MaxWorkflowDepth = 64;

    private static string? Workflow(ImagesConfig images, string configFile)
    {
        if (images.Workflow is null)
        {
            return null;
        }

        string path = RunConfigLoader.ResolvePath(configFile, images.Workflow)!;
        if (Directory.Exists(path))
        {
            throw new InputFormatException(configFile,
                $"images.workflow names {path}, which is a folder; give the workflow's JSON file", field: "images.workflow");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(configFile, $"images.workflow: no such file {path}", field: "images.workflow",
                innerException: ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InputFormatException(configFile, $"images.workflow: {path} cannot be read (no permission)",
                field: "images.workflow", innerException: ex);
        }

        // Checked here, with its place in the file, before the producer parses it.
        int bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var reader = new System.Text.Json.Utf8JsonReader(bytes.AsSpan(bom),
            new System.Text.Json.JsonReaderOptions { MaxDepth = MaxWorkflowDepth,
            CommentHandling = System.Text.Json.JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            long lineStart = 0;
            for (long i = 0, seen = 1; i < bytes.Length && seen < line; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    seen++;
                    lineStart = i + 1;
                }
            }

            string reason = ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture,
                    $"the ComfyUI workflow is nested deeper than {MaxWorkflowDepth} levels; "
                    + $"an API-format workflow (\"Save (API Format)\") is an object of nodes a few levels deep")
                : "the ComfyUI workflow is not valid JSON: " + ex.Message.Split(" LineNumber:")[0]
                    + (reader.BytesConsumed + bom >= bytes.Length ? " (the file ends early: cut off?)" : "");
            throw new InputFormatException(path, reason, new SourcePosition(line, column, (line == 1 ? bom
                : 0) + lineStart + column - 1), innerException: ex);
        }

        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw new InputFormatException(path, "the ComfyUI workflow is not UTF-8 text", innerException: ex);
        }
    }

    private static string? Secret(string? variable, string field, IReadOnlyDictionary<string, string?> environment, string configFile)
    {
        if (variable is null)
        {
            return null;
        }

        return environment.TryGetValue(variable, out var value) && !string.IsNullOrEmpty(value)
            ? value
            : throw new InputFormatException(configFile, string.Create(CultureInfo.InvariantCulture,
                $"{field} names the environment variable {variable}, which is not set"), field: field);
    }
}
