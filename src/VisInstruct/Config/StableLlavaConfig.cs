namespace VisInstruct.Config;

/// <summary>Settings of the StableLLaVA recipe.</summary>
public sealed class StableLlavaConfig
{
    /// <summary>The default of <see cref="LaneSize"/>.</summary>
    public const int DefaultLaneSize = 16;

    /// <summary>The default of <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 8;

    /// <summary>The default of <see cref="CheckRetries"/>.</summary>
    public const int DefaultCheckRetries = 2;

    /// <summary>A YAML file of abilities laid over the built-in ones (changed or added abilities, instructions).</summary>
    public string? AbilitiesFile { get; set; }

    /// <summary>The abilities to generate (default: all that the configured backends can make); --abilities overrides.</summary>
    public List<string>? Abilities { get; set; }

    /// <summary>Caption questions, one per line (for example the original LLaVA list), instead of the built-in ones.</summary>
    public string? CaptionInstructionsFile { get; set; }

    /// <summary>
    /// Samples per prompt-writing lane: the update loop runs within a lane (default <see cref="DefaultLaneSize"/>; 1 to 256).
    /// </summary>
    public int? LaneSize { get; set; }

    /// <summary>Prompts asked for per prompt-writer request (default <see cref="DefaultBatchSize"/>; 1 to 64).</summary>
    public int? BatchSize { get; set; }

    /// <summary>Check rendered images with the vision model (default: yes when a vision model is configured).</summary>
    public bool? Check { get; set; }

    /// <summary>
    /// Re-renders (with new seeds) before a sample whose image fails the check is dropped (default
    /// <see cref="DefaultCheckRetries"/>; 0 to 10).
    /// </summary>
    public int? CheckRetries { get; set; }

    /// <summary>Write dialogues with the vision model looking at the rendered image(s), not from the prompt alone (default no).</summary>
    public bool? DialogueSeesImage { get; set; }

    internal void Validate(ConfigCheck check, bool hasVision)
    {
        if (LaneSize is < 1 or > 256)
        {
            check.Fail("stablellava.lane_size", "stablellava.lane_size must be between 1 and 256");
        }

        if (BatchSize is < 1 or > 64)
        {
            check.Fail("stablellava.batch_size", "stablellava.batch_size must be between 1 and 64");
        }

        if (CheckRetries is < 0 or > 10)
        {
            check.Fail("stablellava.check_retries", "stablellava.check_retries must be between 0 and 10");
        }

        if ((Check == true || DialogueSeesImage == true) && !hasVision)
        {
            check.Fail("stablellava", "stablellava.check and stablellava.dialogue_sees_image need a vision model (the vision: section)");
        }
    }
}
