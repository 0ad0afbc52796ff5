namespace VisInstruct.Annotations;

/// <summary>
/// One annotated object: its name (Visual Genome <c>names[0]</c>, or the COCO category), box and attributes. A COCO
/// crowd box (<c>iscrowd: 1</c>, one box over many objects) carries the attribute <see cref="CrowdAttribute"/>.
/// </summary>
public sealed record AnnotatedObject(long Id, string Name, PixelRect Box, IReadOnlyList<string> Attributes)
{
    public const string CrowdAttribute = "crowd";

    public bool IsCrowd => Attributes.Contains(CrowdAttribute);
}
