namespace VisInstruct.Backends.Llm;

/// <summary>Settings of the chat backend <see cref="ChatBackend.Build"/> composes over a model's endpoints.</summary>
public sealed record ChatEndpointsOptions
{
    /// <summary>Base URLs of OpenAI-compatible servers (<c>http://host:8000/v1</c>) that serve <see cref="Model"/>.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>The model the endpoints serve.</summary>
    public required string Model { get; init; }

    /// <summary>The API key (read from the environment variable the config names; never written anywhere). Default none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The most one request may take. Default 10 minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The most a request may wait for room on an endpoint. Default null: no limit.</summary>
    public TimeSpan? QueueTimeout { get; init; }

    /// <summary>Requests in flight on one endpoint at most. Default 64.</summary>
    public int MaxConcurrencyPerEndpoint { get; init; } = 64;

    /// <summary>
    /// Retries of a transient failure (429, 5xx, timeout, connection, malformed answer), each on the best endpoint then.
    /// Default 4.
    /// </summary>
    public int Retries { get; init; } = 4;

    /// <summary>First retry delay; doubles (with jitter) up to 30 s. Default 500 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The clock (tests use a fake one). Default the system's.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>For tests: the HTTP handler under the clients. Default null: a pooled socket handler.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>These settings, if they make sense; otherwise an <see cref="ArgumentException"/> naming the one that does not.</summary>
    public ChatEndpointsOptions Validate()
    {
        OptionChecks.Endpoints(Endpoints, nameof(Endpoints));
        ArgumentException.ThrowIfNullOrWhiteSpace(Model, nameof(Model));
        OptionChecks.Positive(RequestTimeout, nameof(RequestTimeout));
        OptionChecks.Positive(QueueTimeout, nameof(QueueTimeout));
        OptionChecks.Positive(MaxConcurrencyPerEndpoint, nameof(MaxConcurrencyPerEndpoint));
        OptionChecks.NotNegative(Retries, nameof(Retries));
        OptionChecks.NotNegative(RetryDelay, nameof(RetryDelay));
        ArgumentNullException.ThrowIfNull(Time, nameof(Time));
        return this;
    }
}
