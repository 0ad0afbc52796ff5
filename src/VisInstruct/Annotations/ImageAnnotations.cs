namespace VisInstruct.Annotations;

/// <summary>
/// Everything the annotation files say about one image, joined by image id: the input of the SVIT and LLaVA-Instruct
/// recipes. Captions, objects and regions keep their file order.
/// </summary>
public sealed record ImageAnnotations
{
    /// <summary>The Visual Genome image id (SVIT) or the COCO image id (LLaVA-Instruct).</summary>
    public required long ImageId { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>
    /// The image's path in LLaVA-1.5's image folder layout: <c>vg/VG_100K/1.jpg</c>, <c>coco/train2017/000000000009.jpg</c>.
    /// </summary>
    public required string ImagePath { get; init; }

    public long? CocoId { get; init; }

    public IReadOnlyList<string> Captions { get; init; } = [];

    public IReadOnlyList<AnnotatedObject> Objects { get; init; } = [];

    public IReadOnlyList<AnnotatedRegion> Regions { get; init; } = [];
}
