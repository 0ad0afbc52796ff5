namespace VisInstruct.Backends;

/// <summary>
/// The settings every pooled HTTP backend shares: its endpoints and credentials, the request timeout, the pool's
/// limits and the retries. The defaults of what differs between backends (concurrency, retries, first retry delay)
/// are the derived types'.
/// </summary>
public abstract record PooledEndpointsOptions
{
    /// <summary>Settings with the derived backend's defaults.</summary>
    protected PooledEndpointsOptions(int maxConcurrencyPerEndpoint, int retries, TimeSpan retryDelay)
    {
        MaxConcurrencyPerEndpoint = maxConcurrencyPerEndpoint;
        Retries = retries;
        RetryDelay = retryDelay;
    }

    /// <summary>Base URLs of the servers.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>
    /// Sent as a bearer token — read from the environment variable the config names; never written anywhere. Default none.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>The most one request may take (for an image, queueing on the server included). Default 10 minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The most a request may wait for room on an endpoint. Default null: no limit.</summary>
    public TimeSpan? QueueTimeout { get; init; }

    /// <summary>Requests in flight on one endpoint at most.</summary>
    public int MaxConcurrencyPerEndpoint { get; init; }

    /// <summary>Retries of a transient failure (429, 5xx, timeout, connection, malformed answer), each on the best endpoint then.</summary>
    public int Retries { get; init; }

    /// <summary>First retry delay; doubles (with jitter) up to 30 s.</summary>
    public TimeSpan RetryDelay { get; init; }

    /// <summary>The clock (tests use a fake one). Default the system's.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>For tests: the HTTP handler under the clients. Default null: a pooled socket handler.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The settings of the endpoint pool these make.</summary>
    public EndpointPoolOptions PoolOptions() => new()
    {
        MaxConcurrencyPerEndpoint = MaxConcurrencyPerEndpoint,
        QueueTimeout = QueueTimeout,
        Time = Time,
    };

    /// <summary>The retry policy these make.</summary>
    public BackendRetry RetryPolicy() => new(Retries, RetryDelay, Time);

    /// <summary>Checks the shared settings; an <see cref="ArgumentException"/> names the first that does not make sense.</summary>
    protected void ValidateShared()
    {
        OptionChecks.Endpoints(Endpoints, nameof(Endpoints));
        OptionChecks.Positive(RequestTimeout, nameof(RequestTimeout));
        OptionChecks.Positive(QueueTimeout, nameof(QueueTimeout));
        OptionChecks.Positive(MaxConcurrencyPerEndpoint, nameof(MaxConcurrencyPerEndpoint));
        OptionChecks.NotNegative(Retries, nameof(Retries));
        OptionChecks.NotNegative(RetryDelay, nameof(RetryDelay));
        ArgumentNullException.ThrowIfNull(Time, nameof(Time));
    }
}
