namespace VisInstruct.Annotations;

/// <summary>One annotation file that was read: its configuration key, path, size and how many records it had.</summary>
public sealed record AnnotationFileInfo(string Key, string Path, long Bytes, long Records);
