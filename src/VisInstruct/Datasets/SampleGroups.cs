using System.Text.RegularExpressions;
using VisInstruct.Formats;

namespace VisInstruct.Datasets;

/// <summary>
/// The group a sample is counted under. In a folder this tool wrote, the recipe's unit read back from the id it gave:
/// StableLLaVA's ability (<c>color_000012</c>), SVIT's and LLaVA-Instruct's task (<c>1_referring_qa_3</c>,
/// <c>000000000009_detail_description</c>). In any other LLaVA file, the image's source folder, the first segment of
/// its path (<c>coco</c>, <c>gqa</c>, <c>ocr_vqa</c>, <c>textvqa</c>, <c>vg</c> in LLaVA-1.5's mix), or
/// <c>text-only</c>.
/// </summary>
public static partial class SampleGroups
{
    public const string TextOnly = "text-only";

    /// <summary>The group of <paramref name="sample"/> in a dataset written by <paramref name="recipe"/> (null: a plain file).</summary>
    public static string Of(LlavaSample sample, string? recipe)
    {
        ArgumentNullException.ThrowIfNull(sample);
        string? fromId = recipe switch
        {
            "stablellava" => Ability().Match(sample.Id) is { Success: true } m ? m.Groups[1].Value : null,
            "svit" or "llava-instruct" => Task().Match(sample.Id) is { Success: true } m ? m.Groups[1].Value : null,
            // A filtered dataset keeps its source's ids: an ability's or a task's.
            "filter" => Ability().Match(sample.Id) is { Success: true } a ? a.Groups[1].Value
                : Task().Match(sample.Id) is { Success: true } t ? t.Groups[1].Value : null,
            _ => null,
        };
        return fromId ?? BySource(sample);
    }

    private static string BySource(LlavaSample sample)
    {
        if (sample.Image is not { Paths.Count: > 0 } image)
        {
            return TextOnly;
        }

        string path = image.Paths[0].Replace('\\', '/').TrimStart('.', '/');
        int slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? path[..slash] : "images";
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9_]*?)_[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Ability();

    [GeneratedRegex("^[0-9]+_([A-Za-z][A-Za-z_]*?)(?:_[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Task();
}
