namespace VisInstruct.Config;

/// <summary>Settings of the annotation recipes (<c>svit:</c> and <c>llava_instruct:</c>).</summary>
public sealed class AnnotatedRecipeConfig
{
    /// <summary>The default of <see cref="GroundingIou"/>.</summary>
    public const double DefaultGroundingIou = 0.5;

    /// <summary>The tasks to make (default: all of the recipe's); --tasks overrides.</summary>
    public List<string>? Tasks { get; set; }

    /// <summary>
    /// A folder of prompt files in the original layout (SVIT's prompts/, LLaVA's playground/data/prompts/); --prompts overrides.
    /// </summary>
    public string? Prompts { get; set; }

    /// <summary>Detail-description instructions, one per line (SVIT's data/questions.txt); --detail-questions overrides.</summary>
    public string? DetailQuestions { get; set; }

    /// <summary>Only these image ids, one per line; --image-ids overrides.</summary>
    public string? ImageIds { get; set; }

    /// <summary>Never these image ids, one per line (SVIT's data/test_image_ids.txt); --exclude-image-ids overrides.</summary>
    public string? ExcludeImageIds { get; set; }

    /// <summary>
    /// Deprecated: the most tokens an image's annotation context may take (0: no limit). Use <c>llm.context_tokens</c>,
    /// the model's window, instead.
    /// </summary>
    public int? ContextTokens { get; set; }

    /// <summary>
    /// The IoU a referring box needs with an annotated box to count as grounded (default <see cref="DefaultGroundingIou"/>).
    /// </summary>
    public double? GroundingIou { get; set; }

    /// <summary>The IoU that applies: <see cref="GroundingIou"/>, or its default when unset.</summary>
    public double EffectiveGroundingIou => GroundingIou ?? DefaultGroundingIou;

    internal void Validate(ConfigCheck check, string section)
    {
        if (ContextTokens is < 0)
        {
            check.Fail(section + ".context_tokens", section + ".context_tokens must be 0 (no limit) or more");
        }

        if (GroundingIou is < 0 or > 1)
        {
            check.Fail(section + ".grounding_iou", section + ".grounding_iou must be between 0 and 1");
        }
    }
}
