namespace VisInstruct.Annotations;

/// <summary>What an <see cref="AnnotationSet"/> was opened from and what it holds, for a dataset card.</summary>
public sealed record AnnotationSetInfo
{
    /// <summary><c>visual_genome</c> or <c>coco</c>.</summary>
    public required string Source { get; init; }

    public required IReadOnlyList<AnnotationFileInfo> Files { get; init; }

    /// <summary>Images in the image list (image_data, or the COCO captions files' <c>images</c>).</summary>
    public long ImagesListed { get; init; }

    /// <summary>Images selected (<see cref="AnnotationSet.ImageIds"/>).</summary>
    public int ImageCount { get; init; }

    public int ImagesFilteredOut { get; init; }

    /// <summary>Selected images with no objects record (they get an empty object list).</summary>
    public int ImagesWithoutObjects { get; init; }

    /// <summary>Selected images with no regions record (they get an empty region list).</summary>
    public int ImagesWithoutRegions { get; init; }

    public int ImagesWithCaptions { get; init; }

    /// <summary>Captions kept for the selected images.</summary>
    public long Captions { get; init; }

    /// <summary>Per-image records not indexed: their image is filtered out or not in the image list.</summary>
    public long RecordsSkipped { get; init; }

    /// <summary>Objects left out because they have no name (empty <c>names</c>), counted over the loads so far.</summary>
    public long ObjectsWithoutName { get; init; }

    /// <summary>Time to open the set (index pass and COCO reading).</summary>
    public TimeSpan IndexTime { get; init; }

    public long TotalBytes => Files.Sum(f => f.Bytes);
}
