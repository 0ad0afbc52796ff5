using VisInstruct.Formats;
using VisInstruct.Json;

namespace VisInstruct.Datasets;

/// <summary>
/// One sample read from a dataset: the LLaVA record, where it was read (file, 0-based index, position), the group it
/// is counted under (ability, task or image source) and the kind of dialogue it is.
/// </summary>
public sealed record DatasetSample(LlavaSample Sample, string File, long Index, SourcePosition Position, string Group)
{
    public string Id => Sample.Id;

    /// <summary>The image paths as the record writes them (none for a text-only sample).</summary>
    public IReadOnlyList<string> ImagePaths => Sample.Image?.Paths ?? [];

    public DialogueKind Kind => DialogueKinds.Of(Sample);

    /// <summary>An error about this sample, naming the file, the record and <paramref name="field"/>.</summary>
    public InputFormatException Error(string message, string? field = null) =>
        new(File, message, Position, field, Index, Id);
}
