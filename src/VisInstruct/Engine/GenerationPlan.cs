namespace VisInstruct.Engine;

/// <summary>
/// What a recipe hands the engine: its work items (in ascending key order, the same every time), the pipeline they
/// go through, the configuration that decides what they become (fingerprinted to detect changes between runs), and
/// how to describe the dataset.
/// </summary>
public sealed class GenerationPlan
{
    public required string Recipe { get; init; }

    /// <summary>Canonical JSON of everything that changes what items become (models, prompts, sizes, seed), no secrets.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The full resolved configuration for the manifest (no secrets).</summary>
    public string ResolvedConfig { get; init; } = "{}";

    /// <summary>All work items of the run, in ascending ordinal key order. Enumerated more than once.</summary>
    public required Func<IEnumerable<WorkItem>> Items { get; init; }

    public required Pipeline Pipeline { get; init; }

    /// <summary>Writes the dataset card (<c>README.md</c>) from the summary; null for the engine's generic card.</summary>
    public Func<DatasetSummary, string>? Card { get; init; }

    /// <summary>Writes <c>stats.json</c> from the summary (the recipe's statistics as JSON); null, or a null result, for none.</summary>
    public Func<DatasetSummary, string?>? Statistics { get; init; }

    /// <summary>The command that reproduces the run, for the card.</summary>
    public string? ReproduceCommand { get; init; }

    /// <summary>How each LLM endpoint was asked for structured answers this run (for the manifest and the card); null: none.</summary>
    public Func<IReadOnlyList<Backends.Llm.EndpointOutputMode>>? OutputModes { get; init; }

    /// <summary>Things the user should know before the run starts (abilities skipped, stand-in backends).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
}
