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
            _ => new ComfyUiProducer(options, Workflow(images, configFile), images.Nodes),
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

    private static string? Workflow(ImagesConfig images, string configFile)
    {
        if (images.Workflow is null)
        {
            return null;
        }

        string path = RunConfigLoader.ResolvePath(configFile, images.Workflow)!;
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(configFile, $"images.workflow: no such file {path}", field: "images.workflow", innerException: ex);
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
