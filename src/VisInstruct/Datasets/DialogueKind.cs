using VisInstruct.Formats;

namespace VisInstruct.Datasets;

/// <summary>The shape of a sample's dialogue, as the report and the mix card count it.</summary>
public enum DialogueKind
{
    /// <summary>No image.</summary>
    TextOnly,

    /// <summary>One image, one question and its answer.</summary>
    SingleTurn,

    /// <summary>One image, several question-answer rounds.</summary>
    MultiTurn,

    /// <summary>Two or more images.</summary>
    MultiImage,
}

public static class DialogueKinds
{
    public static DialogueKind Of(LlavaSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        int images = sample.Image?.Paths.Count ?? 0;
        if (images == 0)
        {
            return DialogueKind.TextOnly;
        }

        if (images > 1)
        {
            return DialogueKind.MultiImage;
        }

        int questions = sample.Conversations.Count(t => t.From == LlavaTurn.Human);
        return questions > 1 ? DialogueKind.MultiTurn : DialogueKind.SingleTurn;
    }

    /// <summary>
    /// The name used in files and on the page: <c>text-only</c>, <c>single-turn</c>, <c>multi-turn</c>, <c>multi-image</c>.
    /// </summary>
    public static string Name(this DialogueKind kind) => kind switch
    {
        DialogueKind.TextOnly => "text-only",
        DialogueKind.SingleTurn => "single-turn",
        DialogueKind.MultiTurn => "multi-turn",
        DialogueKind.MultiImage => "multi-image",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
