namespace VisInstruct.Formats;

/// <summary>
/// One entry of a StableLLaVA ability file (<c>dataset/&lt;ability&gt;.json</c>): all five fields are strings, and
/// <see cref="Image"/> is the image's path relative to the image root (<c>animal/0.jpg</c>).
/// </summary>
public sealed record StableLlavaEntry
{
    public required string Id { get; init; }

    public required string Image { get; init; }

    public required string Prompt { get; init; }

    public required string Question { get; init; }

    public required string Answer { get; init; }
}
