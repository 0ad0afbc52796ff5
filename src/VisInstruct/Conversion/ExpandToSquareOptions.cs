using VisInstruct.Imaging;
using VisInstruct.Json;

namespace VisInstruct.Conversion;

/// <summary>Options of <c>visinstruct expand-to-square</c>.</summary>
public sealed class ExpandToSquareOptions
{
    public required string InputFile { get; init; }

    public required string OutputFile { get; init; }

    /// <summary>Where <c>&lt;image_id&gt;.jpg</c> files are (their headers give the sizes).</summary>
    public string? ImageDirectory { get; init; }

    /// <summary>Sizes known from <c>image_data.json</c>, by image id; used before the image folder.</summary>
    public IReadOnlyDictionary<string, ImageSize>? KnownSizes { get; init; }

    /// <summary>The original writes <c>json.dumps(data, indent=4)</c>.</summary>
    public JsonStyle Style { get; init; } = JsonStyle.Indented(4);

    /// <summary>
    /// Write the file even when images are missing or unreadable (their boxes unchanged, with a warning); refused by default.
    /// </summary>
    public bool AllowMissingImages { get; init; }
}
