namespace VisInstruct.Config;

/// <summary>An OpenAI-compatible chat endpoint (vLLM, SGLang, Ollama, llama.cpp server, OpenAI).</summary>
public sealed class LlmConfig
{
    /// <summary>Base URLs (<c>http://127.0.0.1:8000/v1</c>); several serve the same model together.</summary>
    public List<string>? Endpoints { get; set; }

    public string? Model { get; set; }

    /// <summary>The name of the environment variable holding the API key (never the key itself).</summary>
    public string? ApiKeyEnv { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? MaxTokens { get; set; }

    /// <summary>Seconds one request may take (default <c>PooledEndpointsOptions.RequestTimeout</c>).</summary>
    public double? TimeoutSeconds { get; set; }

    /// <summary>Seconds a request may wait for a free slot before it fails (default: no limit).</summary>
    public double? QueueTimeoutSeconds { get; set; }

    /// <summary>
    /// Requests in flight across all endpoints (default <c>BackendLane.Llm</c>'s, for <c>vision:</c>
    /// <c>BackendLane.Vision</c>'s; <c>--concurrency</c> overrides).
    /// </summary>
    public int? Concurrency { get; set; }

    /// <summary>
    /// Ask the server for JSON-schema structured output (default <c>LlmServiceOptions.StructuredOutput</c>; turned off for
    /// servers that refuse it).
    /// </summary>
    public bool? StructuredOutput { get; set; }

    /// <summary>Pass images as <c>file://</c> paths (servers started with local media allowed) instead of base64 (default no).</summary>
    public bool? LocalMedia { get; set; }

    /// <summary>The served model's window in tokens (prompt and answer); overrides what <c>GET /v1/models</c> reports.</summary>
    public int? ContextTokens { get; set; }

    /// <summary>
    /// Retries of a failed request (429, 5xx, timeouts, resets) before the sample fails (default <c>ChatEndpointsOptions</c>'s).
    /// </summary>
    public int? Retries { get; set; }

    /// <summary>Checks the section named <paramref name="name"/> (<c>llm</c> or <c>vision</c>).</summary>
    internal void Validate(ConfigCheck check, string name)
    {
        check.Endpoints(Endpoints, name);
        if (Endpoints is { Count: > 0 } && string.IsNullOrWhiteSpace(Model))
        {
            check.Fail(name, $"{name}.model is needed: the name of the model the server serves");
        }

        if (Temperature is < 0 or > 2)
        {
            check.Fail($"{name}.temperature", "temperature must be between 0 and 2");
        }

        if (TopP is <= 0 or > 1)
        {
            check.Fail($"{name}.top_p", "top_p must be in (0, 1]");
        }

        if (MaxTokens is < 1)
        {
            check.Fail($"{name}.max_tokens", "max_tokens must be at least 1");
        }

        if (ContextTokens is < 1)
        {
            check.Fail($"{name}.context_tokens", "context_tokens (the model's window) must be at least 1");
        }

        if (ContextTokens is { } window && MaxTokens is { } answer && answer >= window)
        {
            check.Fail($"{name}.max_tokens",
                $"max_tokens ({answer}) leaves no room for the prompt in a window of context_tokens ({window})");
        }

        check.Positive(TimeoutSeconds, $"{name}.timeout_seconds");
        check.Positive(QueueTimeoutSeconds, $"{name}.queue_timeout_seconds");
        check.AtLeastOne(Concurrency, $"{name}.concurrency");
        if (Retries is < 0)
        {
            check.Fail($"{name}.retries", "retries must be 0 or more");
        }

        check.EnvName(ApiKeyEnv, $"{name}.api_key_env");
        if (Endpoints is not { Count: > 0 })
        {
            check.Fail(name, $"{name}: has no endpoints, so the run would not use this model while its manifest names it; give "
                + $"{name}.endpoints (the server URLs) or leave the {name}: section out for the built-in "
                + (name == "llm" ? "template writer" : "checks"));
        }
    }
}
