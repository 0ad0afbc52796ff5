using VisInstruct.Json;

namespace VisInstruct.Conversion;

/// <summary>Options of <c>visinstruct convert stablellava</c>.</summary>
public sealed class StableLlavaConversionOptions
{
    /// <summary>One ability file, or a folder of them (every <c>*.json</c> directly in it).</summary>
    public required string PromptPath { get; init; }

    /// <summary>A file for one ability file; a folder (one output per ability file, same name) for a folder.</summary>
    public required string SavePath { get; init; }

    /// <summary>The image root as the trainer will see it; prefixed to each entry's <c>image</c>. Empty for none.</summary>
    public string ImagePath { get; init; } = "";

    /// <summary>Prefix ids with the ability (<c>color_000000000101</c>) so that files can be concatenated.</summary>
    public bool UniqueIds { get; init; }

    public JsonStyle Style { get; init; } = JsonStyle.Compact;
}
