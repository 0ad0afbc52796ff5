using VisInstruct.Json;

namespace VisInstruct.Conversion;

/// <summary>Options of <c>visinstruct convert svit</c>.</summary>
public sealed class SvitConversionOptions
{
    public required string InputFile { get; init; }

    public required string OutputFile { get; init; }

    /// <summary>Where the Visual Genome images are (for their sizes, when <see cref="ImageDataFile"/> does not give them).</summary>
    public string? ImageDirectory { get; init; }

    /// <summary>Visual Genome's <c>image_data.json</c>: sizes, and the <c>VG_100K</c> / <c>VG_100K_2</c> folder of each image.</summary>
    public string? ImageDataFile { get; init; }

    /// <summary>Seeds the choice of the response-format instruction appended to referring questions.</summary>
    public ulong Seed { get; init; }

    /// <summary>Put before every sample id, for files that will be concatenated with others.</summary>
    public string IdPrefix { get; init; } = "";

    /// <summary>The instructions appended to referring questions, one chosen per question.</summary>
    public IReadOnlyList<string> ReferringInstructions { get; init; } = SvitConversion.DefaultReferringInstructions;

    public JsonStyle Style { get; init; } = JsonStyle.Compact;

    /// <summary>
    /// Write the file even when images are missing or unreadable (their boxes left as they are, with a warning);
    /// by default such a conversion is refused and nothing is written.
    /// </summary>
    public bool AllowMissingImages { get; init; }
}
