namespace VisInstruct.Annotations;

/// <summary>
/// One annotated object: its name (Visual Genome <c>names[0]</c>, or the COCO category), box and attributes. A COCO
/// crowd box (<c>iscrowd: 1</c>, one box over many objects) carries the attribute <see cref="CrowdAttribute"/>.
/// <see cref="Synset"/> is Visual Genome's first WordNet synset of the object (<c>"shoe.n.01"</c>), null where the file
/// gives none (COCO, older releases, objects without one).
/// </summary>
public sealed record AnnotatedObject(long Id, string Name, PixelRect Box, IReadOnlyList<string> Attributes)
{
    public const string CrowdAttribute = "crowd";

    public string? Synset { get; init; }

    public bool IsCrowd => Attributes.Contains(CrowdAttribute);
}
