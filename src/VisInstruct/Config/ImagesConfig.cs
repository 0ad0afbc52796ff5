namespace VisInstruct.Config;

/// <summary>An image backend: <c>comfyui</c>, <c>a1111</c>, <c>openai</c> or <c>procedural</c> (the built-in renderer).</summary>
public sealed class ImagesConfig
{
    /// <summary>The built-in renderer's name, and the default of <see cref="Backend"/> when no endpoints are given.</summary>
    public const string ProceduralBackend = "procedural";

    /// <summary>The image backends <see cref="Backend"/> may name.</summary>
    public static readonly IReadOnlyList<string> Backends = ["comfyui", "a1111", "openai", ProceduralBackend];

    /// <summary>The keys of <c>images.nodes</c>: which ComfyUI workflow node takes which value.</summary>
    public static readonly IReadOnlyList<string> NodeRoles = ["prompt", "negative", "sampler", "latent", "checkpoint", "output"];

    /// <summary>One of <see cref="Backends"/> (default <see cref="ProceduralBackend"/>; needed with endpoints).</summary>
    public string? Backend { get; set; }

    public List<string>? Endpoints { get; set; }

    public string? Model { get; set; }

    /// <summary>ComfyUI: the API-format workflow JSON to fill in (the built-in SD-XL base workflow when absent).</summary>
    public string? Workflow { get; set; }

    /// <summary>ComfyUI: which node ids take which value (the keys are <see cref="NodeRoles"/>).</summary>
    public Dictionary<string, string>? Nodes { get; set; }

    /// <summary>Image width in pixels: a multiple of 8 from 64 to 8192 (default <c>ImageRequest.Width</c>).</summary>
    public int? Width { get; set; }

    /// <summary>Image height in pixels: a multiple of 8 from 64 to 8192 (default <c>ImageRequest.Height</c>).</summary>
    public int? Height { get; set; }

    /// <summary>Sampling steps (default <c>ImageRequest.Steps</c>).</summary>
    public int? Steps { get; set; }

    /// <summary>Classifier-free guidance scale, 0 to 50 (default <c>ImageRequest.Guidance</c>).</summary>
    public double? Guidance { get; set; }

    public string? Sampler { get; set; }

    /// <summary>The negative prompt (default none).</summary>
    public string? NegativePrompt { get; set; }

    public string? ApiKeyEnv { get; set; }

    /// <summary>AUTOMATIC1111 basic auth: the names of the variables holding user and password.</summary>
    public string? UsernameEnv { get; set; }

    public string? PasswordEnv { get; set; }

    /// <summary>Seconds one request may take (default <c>PooledEndpointsOptions.RequestTimeout</c>).</summary>
    public double? TimeoutSeconds { get; set; }

    /// <summary>
    /// Requests in flight per endpoint (default <c>ImageEndpointsOptions</c>'s; the procedural renderer uses
    /// every core).
    /// </summary>
    public int? Concurrency { get; set; }

    /// <summary>Retries of a failed request (default <c>ImageEndpointsOptions</c>'s).</summary>
    public int? Retries { get; set; }

    /// <summary>Saved image format: <c>jpg</c> (default, as StableLLaVA) or <c>png</c>.</summary>
    public string? Format { get; set; }

    /// <summary>JPEG quality for saved images, 1 to 100 (default <c>ImageServiceOptions.JpegQuality</c>).</summary>
    public int? Quality { get; set; }

    internal void Validate(ConfigCheck check)
    {
        string backend = Backend ?? (Endpoints is { Count: > 0 } ? "" : ProceduralBackend);
        if (!Backends.Contains(backend))
        {
            check.Fail(Backend is null ? "images" : "images.backend",
                $"images.backend must be one of {string.Join(", ", Backends)}"
                + (Backend is null ? " (it is needed with endpoints)" : $", not \"{Backend}\""));
        }

        if (backend != ProceduralBackend)
        {
            check.Endpoints(Endpoints, "images");
            if (Endpoints is not { Count: > 0 })
            {
                check.Fail("images", $"images.endpoints is needed for the {backend} backend");
            }
        }

        foreach (var (value, field) in new[] { (Width, "images.width"), (Height, "images.height") })
        {
            if (value is { } v && (v < 64 || v > 8192 || v % 8 != 0))
            {
                check.Fail(field, $"{field} must be a multiple of 8 between 64 and 8192");
            }
        }

        foreach (var (role, id) in Nodes ?? [])
        {
            if (!NodeRoles.Contains(role))
            {
                check.Fail($"images.nodes.{role}",
                    $"unknown key \"{role}\" in images.nodes; the node roles are {string.Join(", ", NodeRoles)}");
            }

            if (string.IsNullOrWhiteSpace(id))
            {
                check.Fail($"images.nodes.{role}", $"images.nodes.{role} needs a node id (like \"6\")");
            }
        }

        check.AtLeastOne(Steps, "images.steps");
        if (Guidance is < 0 or > 50)
        {
            check.Fail("images.guidance", "images.guidance must be between 0 and 50");
        }

        check.Positive(TimeoutSeconds, "images.timeout_seconds");
        check.AtLeastOne(Concurrency, "images.concurrency");
        if (Format is not (null or "jpg" or "png"))
        {
            check.Fail("images.format", "images.format must be jpg or png");
        }

        if (Quality is < 1 or > 100)
        {
            check.Fail("images.quality", "images.quality must be between 1 and 100");
        }

        check.EnvName(ApiKeyEnv, "images.api_key_env");
        check.EnvName(UsernameEnv, "images.username_env");
        check.EnvName(PasswordEnv, "images.password_env");
    }
}
