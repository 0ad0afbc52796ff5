namespace VisInstruct.Backends.Llm;

/// <summary>Settings of an <see cref="LlmService"/> (what the request carries besides the messages).</summary>
public sealed record LlmServiceOptions
{
    /// <summary>
    /// The backend lane the calls use (<see cref="BackendLane.Llm"/>, <see cref="BackendLane.Vision"/>): its name in
    /// output-mode records and the engine's concurrency limit. Default <c>llm</c>.
    /// </summary>
    public string Name { get; init; } = BackendLane.Llm.Name;

    /// <summary>The model asked (part of every cache key).</summary>
    public required string Model { get; init; }

    /// <summary>The sampling temperature of requests that set none (0 to 2). Default null: the server's.</summary>
    public double? Temperature { get; init; }

    /// <summary>The nucleus-sampling mass of requests that set none (0 to 1). Default null: the server's.</summary>
    public double? TopP { get; init; }

    /// <summary>The longest answer of requests that set none, in tokens. Default null: the server's limit.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Ask for JSON-schema structured output (falls back by itself when a server refuses it). Default true.</summary>
    public bool StructuredOutput { get; init; } = true;

    /// <summary>
    /// The model's window in tokens (prompt and answer), overriding what the server reports (<c>llm.context_tokens</c>).
    /// Default null: the server's.
    /// </summary>
    public int? ContextTokens { get; init; }

    /// <summary>Send images as <c>file://</c> URLs (servers that allow local media) instead of base64. Default false.</summary>
    public bool LocalMedia { get; init; }

    /// <summary>These settings, if they make sense; otherwise an <see cref="ArgumentException"/> naming the one that does not.</summary>
    public LlmServiceOptions Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name, nameof(Name));
        ArgumentException.ThrowIfNullOrWhiteSpace(Model, nameof(Model));
        OptionChecks.Range(Temperature, 0, 2, nameof(Temperature));
        OptionChecks.Range(TopP, 0, 1, nameof(TopP));
        OptionChecks.Range(MaxTokens, 1, int.MaxValue, nameof(MaxTokens));
        OptionChecks.Range(ContextTokens, 1, int.MaxValue, nameof(ContextTokens));
        return this;
    }
}
