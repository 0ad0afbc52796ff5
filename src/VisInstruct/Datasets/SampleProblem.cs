namespace VisInstruct.Datasets;

/// <summary>
/// Why a sample would crash a trainer or train it wrong: a short reason code (counted per reason in every export and
/// mix), a sentence, and the field of the record it is about.
/// </summary>
public sealed record SampleProblem(string Reason, string Message, string? Field = null)
{
    /// <summary>The sample has no turns.</summary>
    public const string NoTurns = "no-turns";

    /// <summary>A turn's role is not <c>human</c>/<c>gpt</c>, or they do not alternate from a human turn.</summary>
    public const string Roles = "roles";

    /// <summary>The last turn is a question: chat trainers need an answer to train on.</summary>
    public const string NoAnswer = "ends-with-question";

    /// <summary>A turn with nothing but whitespace and image tokens.</summary>
    public const string EmptyTurn = "empty-turn";

    /// <summary>The number of <c>&lt;image&gt;</c> tokens is not the number of images.</summary>
    public const string TokenCount = "image-token-count";

    /// <summary>An <c>&lt;image&gt;</c> token in an answer (it would become a training target).</summary>
    public const string TokenInAnswer = "image-token-in-answer";

    /// <summary>An image path that is empty or climbs out of the image folder.</summary>
    public const string ImagePath = "image-path";

    /// <summary>An image file that is not there.</summary>
    public const string ImageMissing = "image-missing";

    /// <summary>An image file that is not a readable JPEG, PNG, GIF, BMP or WebP.</summary>
    public const string ImageUnreadable = "image-unreadable";
}
