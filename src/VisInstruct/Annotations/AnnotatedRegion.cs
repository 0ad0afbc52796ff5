namespace VisInstruct.Annotations;

/// <summary>One region description (Visual Genome <c>region_descriptions.json</c>).</summary>
public sealed record AnnotatedRegion(long Id, string Phrase, PixelRect Box);
