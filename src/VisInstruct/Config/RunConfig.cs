namespace VisInstruct.Config;

/// <summary>
/// The run configuration (<c>--config run.yaml</c>). Every key is optional; a section that is absent means the
/// built-in backend for it. Key names are the contract in docs/DESIGN.md; secrets are never in it (only the names of
/// the environment variables that hold them). A key that is not set is null (it is left out of the manifest's
/// resolved configuration); its default is the constant the key's documentation names.
/// </summary>
public sealed class RunConfig
{
    /// <summary>The run's seed (default 0; <c>--seed</c> overrides).</summary>
    public ulong? Seed { get; set; }

    /// <summary>How many samples (StableLLaVA: per ability) or images (SVIT) to make.</summary>
    public int? Count { get; set; }

    /// <summary>
    /// Above this share of failed items the run exits with code 1 (default <c>EngineOptions.DefaultMaxFailureRatio</c>).
    /// </summary>
    public double? MaxFailureRatio { get; set; }

    /// <summary>Warn after this many seconds without progress (default <c>EngineOptions.DefaultStallWarning</c>).</summary>
    public double? StallWarningSeconds { get; set; }

    public LlmConfig? Llm { get; set; }

    /// <summary>A vision-language model for check and evaluation stages (same keys as <see cref="Llm"/>).</summary>
    public LlmConfig? Vision { get; set; }

    public ImagesConfig? Images { get; set; }

    public AnnotationsConfig? Annotations { get; set; }

    /// <summary>Per model: USD per million input/output tokens, per image, per image-second.</summary>
    public Dictionary<string, PriceConfig>? Prices { get; set; }

    public OutputConfig? Output { get; set; }

    /// <summary>StableLLaVA recipe settings.</summary>
    public StableLlavaConfig? Stablellava { get; set; }

    /// <summary>SVIT recipe settings (Visual Genome + COCO annotations to the four SVIT tasks).</summary>
    public AnnotatedRecipeConfig? Svit { get; set; }

    /// <summary>LLaVA-Instruct recipe settings (COCO captions and boxes to LLaVA's three tasks).</summary>
    public AnnotatedRecipeConfig? LlavaInstruct { get; set; }

    /// <summary>The quality filters: what they flag goes to <c>filters.jsonl</c>, what they drop leaves the filtered dataset.</summary>
    public FiltersConfig? Filters { get; set; }

    /// <summary>Checks every key that is set; the first problem throws, named with its key and place.</summary>
    internal void Validate(ConfigCheck check)
    {
        check.Finite(this, "");
        if (Count is < 1)
        {
            check.Fail("count", "count must be at least 1");
        }

        if (MaxFailureRatio is < 0 or > 1)
        {
            check.Fail("max_failure_ratio", "max_failure_ratio must be between 0 and 1");
        }

        if (StallWarningSeconds is <= 0)
        {
            check.Fail("stall_warning_seconds", "stall_warning_seconds must be positive");
        }

        Llm?.Validate(check, "llm");
        Vision?.Validate(check, "vision");
        Images?.Validate(check);
        foreach (var (model, price) in Prices ?? [])
        {
            price.Validate(check, $"prices.{model}");
        }

        Stablellava?.Validate(check, hasVision: Vision is not null);
        Svit?.Validate(check, "svit");
        LlavaInstruct?.Validate(check, "llava_instruct");
        Output?.Validate(check);
        Filters?.Validate(check, this);
    }
}
