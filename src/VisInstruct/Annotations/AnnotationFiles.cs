using VisInstruct.Json;

namespace VisInstruct.Annotations;

/// <summary>
/// The annotation files an <see cref="AnnotationSet"/> is opened from (the recipe resolves them from the run
/// configuration's <c>annotations:</c> section; the keys below are named as there in error messages).
/// </summary>
public sealed record AnnotationFiles
{
    /// <summary>Visual Genome's <c>image_data.json</c> (<c>annotations.vg_image_data</c>).</summary>
    public string? VgImageData { get; init; }

    /// <summary>Visual Genome's <c>objects.json</c> (<c>annotations.vg_objects</c>).</summary>
    public string? VgObjects { get; init; }

    /// <summary>Visual Genome's <c>region_descriptions.json</c> (<c>annotations.vg_regions</c>).</summary>
    public string? VgRegions { get; init; }

    /// <summary>Visual Genome's <c>attributes.json</c> (<c>annotations.vg_attributes</c>).</summary>
    public string? VgAttributes { get; init; }

    /// <summary>COCO <c>captions_*.json</c> files (<c>annotations.coco_captions</c>).</summary>
    public IReadOnlyList<string>? CocoCaptions { get; init; }

    /// <summary>COCO <c>instances_*.json</c> files (<c>annotations.coco_instances</c>).</summary>
    public IReadOnlyList<string>? CocoInstances { get; init; }

    /// <summary>A file that must be given and exist: its path.</summary>
    internal static string Require(string? path, string key) =>
        Optional(path, key) ?? throw new InputFormatException(key, $"{key}: not set");

    /// <summary>A file that may be given; when given, it must exist. Null when not given.</summary>
    internal static string? Optional(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (Directory.Exists(path))
        {
            throw new InputFormatException(path, $"{key}: {path} is a folder; give the JSON file itself");
        }

        if (!File.Exists(path))
        {
            throw new InputFormatException(path, $"{key}: file not found: {path}");
        }

        return path;
    }

    /// <summary>The given files of a list key, each of which must exist.</summary>
    internal static List<string> OptionalList(IReadOnlyList<string>? paths, string key)
    {
        var list = new List<string>();
        foreach (string path in paths ?? [])
        {
            if (Optional(path, key) is { } p)
            {
                list.Add(p);
            }
        }

        return list;
    }
}
