using VisInstruct.Json;

namespace VisInstruct.Engine;

/// <summary>What the dataset files are written from, besides the run states.</summary>
public sealed class MaterializeRequest
{
    public required string Recipe { get; init; }

    public ulong Seed { get; init; }

    public string ResolvedConfig { get; init; } = "{}";

    public Func<DatasetSummary, string>? Card { get; init; }

    /// <summary>Writes <c>stats.json</c> (the recipe's statistics as JSON) from the summary; null for none.</summary>
    public Func<DatasetSummary, string?>? Statistics { get; init; }

    public string? ReproduceCommand { get; init; }

    /// <summary>How each LLM endpoint was asked for structured answers this run; null: none recorded.</summary>
    public Func<IReadOnlyList<Backends.Llm.EndpointOutputMode>>? OutputModes { get; init; }

    public JsonStyle Style { get; init; } = JsonStyle.Compact;

    public required RunOutcome Outcome { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where files are staged before they are moved into place (same filesystem as the output).</summary>
    public string? TempDirectory { get; init; }
}
