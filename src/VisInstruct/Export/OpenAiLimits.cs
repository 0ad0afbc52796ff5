namespace VisInstruct.Export;

/// <summary>
/// OpenAI's documented limits for vision fine-tuning data: images are JPEG, PNG or WEBP, each at most 10 MB, at most
/// 64 in one example, at most 50,000 examples with images in one training file, and only in user messages (an answer
/// with an <c>&lt;image&gt;</c> token is already refused by the common check).
/// </summary>
public static class OpenAiLimits
{
    public const long MaxImageBytes = 10L * 1024 * 1024;

    public const int MaxImagesPerExample = 64;

    public const int MaxImageExamples = 50_000;

    /// <summary>Refusal reasons of the OpenAI export.</summary>
    public const string ImageFormat = "openai-image-format";

    public const string ImageSize = "openai-image-size";

    public const string ImageCount = "openai-image-count";

    public const string ImageExamples = "openai-image-examples";
}
