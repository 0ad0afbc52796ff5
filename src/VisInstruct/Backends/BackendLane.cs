namespace VisInstruct.Backends;

/// <summary>
/// A backend lane: the name stages give for the backend they call (their engine concurrency limit is per lane) and
/// how many calls it runs at once when the configuration says nothing. Declared once, here.
/// </summary>
public sealed record BackendLane(string Name, int DefaultConcurrency)
{
    /// <summary>The text LLM (<c>llm:</c>): 64 requests at once.</summary>
    public static BackendLane Llm { get; } = new("llm", 64);

    /// <summary>The vision-language model (<c>vision:</c>): 16 requests at once.</summary>
    public static BackendLane Vision { get; } = new("vision", 16);

    /// <summary>The image generator (<c>images:</c>): 4 images at once from a server (the procedural renderer uses every core).</summary>
    public static BackendLane Images { get; } = new("images", 4);
}
