using System.Globalization;
using VisInstruct.Backends.Images;
using VisInstruct.Backends.Llm;
using VisInstruct.Config;
using VisInstruct.Json;
using VisInstruct.Rendering;

namespace VisInstruct.Backends;

/// <summary>The backends a run uses, built from its configuration.</summary>
public sealed class RunBackends : IDisposable
{
    public LlmService? Llm { get; init; }

    public LlmService? Vision { get; init; }

    public required ImageService Images { get; init; }

    /// <summary>The HTTP handler the clients were given (tests), for the pre-flight checks; null for the default.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Takes an endpoint found down before the run out of its backend's rotation (it is probed again later).</summary>
    public void MarkDown(Uri endpoint)
    {
        foreach (var owned in Owned)
        {
            switch (owned)
            {
                case PooledChatClient chat:
                    chat.Pool.MarkDown(endpoint);
                    break;
                case HttpImageBackend images:
                    images.Pool.MarkDown(endpoint);
                    break;
            }
        }
    }

    /// <summary>The clients behind the services (disposed with this).</summary>
    internal List<IDisposable> Owned { get; } = [];

    /// <summary>The LLM and vision endpoints to check before the run.</summary>
    public IReadOnlyList<(string Section, IReadOnlyList<Uri> Endpoints, string Model, string? ApiKey)> Checks { get; init; } = [];

    /// <summary>The structured-output mode each LLM and vision endpoint used this run.</summary>
    public IReadOnlyList<EndpointOutputMode> OutputModes() => [.. Llm?.OutputModes() ?? [], .. Vision?.OutputModes() ?? []];

    public void Dispose()
    {
        foreach (var owned in Owned)
        {
            owned.Dispose();
        }
    }
}

/// <summary>
/// Builds backends from a <see cref="RunConfig"/>: the OpenAI-compatible LLM and vision clients, and the image backend
/// (the procedural renderer when <c>images</c> is absent). API keys come from the environment variables the config
/// names; a named variable that is not set is bad input.
/// </summary>
public static class BackendFactory
{
    public static RunBackends Create(RunConfig config, IReadOnlyDictionary<string, string?> environment, string configFile, string? tempDirectory = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var owned = new List<IDisposable>();
        var checks = new List<(string, IReadOnlyList<Uri>, string, string?)>();
        LlmService? Chat(string section, LlmConfig? llm)
        {
            if (llm?.Endpoints is not { Count: > 0 } endpoints)
            {
                return null;
            }

            string? key = Secret(llm.ApiKeyEnv, $"{section}.api_key_env", environment, configFile);
            var urls = endpoints.Select(e => new Uri(e)).ToList();
            int concurrency = llm.Concurrency ?? 64;
            var client = new PooledChatClient(new ChatEndpointsOptions
            {
                Endpoints = urls,
                Model = llm.Model!,
                ApiKey = key,
                RequestTimeout = TimeSpan.FromSeconds(llm.TimeoutSeconds ?? 600),
                QueueTimeout = llm.QueueTimeoutSeconds is { } q ? TimeSpan.FromSeconds(q) : null,
                MaxConcurrencyPerEndpoint = concurrency,
                Retries = llm.Retries ?? 4,
                Handler = handler,
            });
            owned.Add(client);
            checks.Add((section, urls, llm.Model!, key));
            return new LlmService(client, new LlmServiceOptions
            {
                Name = section,
                Model = llm.Model!,
                Temperature = llm.Temperature,
                TopP = llm.TopP,
                MaxTokens = llm.MaxTokens,
                StructuredOutput = llm.StructuredOutput ?? true,
                LocalMedia = llm.LocalMedia ?? false,
                ContextTokens = llm.ContextTokens,
            });
        }

        var llmService = Chat("llm", config.Llm);
        var vision = Chat("vision", config.Vision);
        var producer = CreateImageProducer(config.Images, environment, configFile, handler);
        owned.Add(producer);
        var backends = new RunBackends
        {
            Llm = llmService,
            Vision = vision,
            Images = new ImageService(producer, new ImageServiceOptions { JpegQuality = config.Images?.Quality ?? 95, TempDirectory = tempDirectory }),
            Checks = checks,
            Handler = handler,
        };
        backends.Owned.AddRange(owned);
        return backends;
    }

    /// <summary>The image backend the config asks for; the procedural renderer when it asks for none.</summary>
    public static IImageProducer CreateImageProducer(ImagesConfig? images, IReadOnlyDictionary<string, string?> environment, string configFile, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string backend = images?.Backend ?? "procedural";
        if (backend == "procedural")
        {
            return new ProceduralProducer(ImageEncoding.Png);
        }

        var options = new ImageEndpointsOptions
        {
            Endpoints = images!.Endpoints!.Select(e => new Uri(e)).ToList(),
            Model = images.Model,
            ApiKey = Secret(images.ApiKeyEnv, "images.api_key_env", environment, configFile),
            BasicAuth = images.UsernameEnv is not null || images.PasswordEnv is not null
                ? (Secret(images.UsernameEnv, "images.username_env", environment, configFile) ?? "", Secret(images.PasswordEnv, "images.password_env", environment, configFile) ?? "")
                : null,
            RequestTimeout = TimeSpan.FromSeconds(images.TimeoutSeconds ?? 600),
            MaxConcurrencyPerEndpoint = images.Concurrency ?? 4,
            Retries = images.Retries ?? 3,
            Handler = handler,
        };
        return backend switch
        {
            "a1111" => new A1111Producer(options),
            "openai" => new OpenAiImagesProducer(options),
            _ => ComfyUi(options, images, configFile),
        };
    }

    /// <summary>The image request defaults from the config (SD-XL base as StableLLaVA used it when unset).</summary>
    public static ImageRequest ImageDefaults(ImagesConfig? images, string prompt, long seed) => new()
    {
        Prompt = prompt,
        NegativePrompt = images?.NegativePrompt ?? "",
        Width = images?.Width ?? 1024,
        Height = images?.Height ?? 1024,
        Steps = images?.Steps ?? 50,
        Guidance = images?.Guidance ?? 5.0,
        Sampler = images?.Sampler,
        Seed = seed,
    };

    private static ComfyUiProducer ComfyUi(ImageEndpointsOptions options, ImagesConfig images, string configFile)
    {
        string? workflow = Workflow(images, configFile);
        try
        {
            return new ComfyUiProducer(options, workflow, images.Nodes);
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
            throw new InputFormatException(configFile, $"images.workflow names {path}, which is a folder; give the workflow's JSON file", field: "images.workflow");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(configFile, $"images.workflow: no such file {path}", field: "images.workflow", innerException: ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InputFormatException(configFile, $"images.workflow: {path} cannot be read (no permission)", field: "images.workflow", innerException: ex);
        }

        // Checked here, with its place in the file, before the producer parses it.
        int bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var reader = new System.Text.Json.Utf8JsonReader(bytes.AsSpan(bom), new System.Text.Json.JsonReaderOptions { MaxDepth = MaxWorkflowDepth, CommentHandling = System.Text.Json.JsonCommentHandling.Disallow });
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
                ? string.Create(CultureInfo.InvariantCulture, $"the ComfyUI workflow is nested deeper than {MaxWorkflowDepth} levels; an API-format workflow (\"Save (API Format)\") is an object of nodes a few levels deep")
                : "the ComfyUI workflow is not valid JSON: " + ex.Message.Split(" LineNumber:")[0] + (reader.BytesConsumed + bom >= bytes.Length ? " (the file ends early: cut off?)" : "");
            throw new InputFormatException(path, reason, new SourcePosition(line, column, (line == 1 ? bom : 0) + lineStart + column - 1), innerException: ex);
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
            : throw new InputFormatException(configFile, string.Create(CultureInfo.InvariantCulture, $"{field} names the environment variable {variable}, which is not set"), field: field);
    }
}
