using VisInstruct.Rendering;

namespace VisInstruct.Backends.Images;

/// <summary>
/// What to render. Defaults follow SD-XL base as StableLLaVA used it: 1024x1024, 50 steps, guidance 5.0, no negative
/// prompt. The seed is always set (derived from the item), never left to the server.
/// </summary>
public sealed record ImageRequest
{
    public required string Prompt { get; init; }

    public string NegativePrompt { get; init; } = "";

    public int Width { get; init; } = 1024;

    public int Height { get; init; } = 1024;

    public int Steps { get; init; } = 50;

    public double Guidance { get; init; } = 5.0;

    public required long Seed { get; init; }

    /// <summary>
    /// The sampler name in the backend's terms (ComfyUI <c>euler</c>, AUTOMATIC1111 <c>Euler</c>); null for the backend's
    /// default.
    /// </summary>
    public string? Sampler { get; init; }

    /// <summary>The format the image will be saved in (<c>image/jpeg</c>, <c>image/png</c>): backends that can, answer in it.</summary>
    public string? PreferredMediaType { get; init; }

    /// <summary>For the procedural backend: the exact scene to draw (null: a stand-in scene from the prompt).</summary>
    public SceneSpec? Scene { get; init; }
}

/// <summary>An image as a backend returned it, with what the backend says about how it was made.</summary>
public sealed record ProducedImage
{
    public required byte[] Bytes { get; init; }

    /// <summary><c>image/png</c> or <c>image/jpeg</c>.</summary>
    public required string MediaType { get; init; }

    /// <summary>The seed that made the image, as the backend reports it (or as sent when it reports none).</summary>
    public required long Seed { get; init; }

    /// <summary>False for backends that take no seed (OpenAI images): the image cannot be reproduced from it.</summary>
    public bool SeedHonoured { get; init; } = true;

    /// <summary>What else the backend reported (ComfyUI prompt id, A1111 sampler, revised prompt).</summary>
    public IReadOnlyDictionary<string, string> Reported { get; init; } = new Dictionary<string, string>();

    /// <summary>Exact ground truth, for procedural images.</summary>
    public SceneSpec? Scene { get; init; }
}
