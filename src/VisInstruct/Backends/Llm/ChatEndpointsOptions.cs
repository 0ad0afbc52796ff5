namespace VisInstruct.Backends.Llm;

/// <summary>
/// Settings of the chat backend <see cref="ChatBackend.Build"/> composes over a model's OpenAI-compatible endpoints
/// (<c>http://host:8000/v1</c>). Defaults: 64 requests in flight per endpoint, 4 retries, the first after 500 ms.
/// </summary>
public sealed record ChatEndpointsOptions() : PooledEndpointsOptions(maxConcurrencyPerEndpoint: 64, retries: 4,
    retryDelay: TimeSpan.FromMilliseconds(500))
{
    /// <summary>The model the endpoints serve.</summary>
    public required string Model { get; init; }

    /// <summary>These settings, if they make sense; otherwise an <see cref="ArgumentException"/> naming the one that does not.</summary>
    public ChatEndpointsOptions Validate()
    {
        ValidateShared();
        ArgumentException.ThrowIfNullOrWhiteSpace(Model, nameof(Model));
        return this;
    }
}
