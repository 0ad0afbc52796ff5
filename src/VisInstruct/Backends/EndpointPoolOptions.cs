namespace VisInstruct.Backends;

/// <summary>Settings of an <see cref="EndpointPool{T}"/>.</summary>
public sealed record EndpointPoolOptions
{
    /// <summary>The most requests in flight on one endpoint (the engine also caps the total). Default 64.</summary>
    public int MaxConcurrencyPerEndpoint { get; init; } = 64;

    /// <summary>How long a request may wait for a free endpoint before it fails (default null: as long as it takes).</summary>
    public TimeSpan? QueueTimeout { get; init; }

    /// <summary>Consecutive failures (connection, 5xx, timeouts) after which an endpoint is skipped until re-probed. Default 3.</summary>
    public int FailuresBeforeUnhealthy { get; init; } = 3;

    /// <summary>
    /// First wait before an unhealthy endpoint is tried again; doubles each time, up to <see cref="MaxProbeInterval"/>.
    /// Default 2 s.
    /// </summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between probes of an unhealthy endpoint. Default 60 s.</summary>
    public TimeSpan MaxProbeInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest <c>Retry-After</c> honoured (a server asking for an hour gets this instead). Default 2 min.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a 429 without <c>Retry-After</c> pauses its endpoint. Default 1 s.</summary>
    public TimeSpan RateLimitPause { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock (tests use a fake one). Default the system's.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>These settings, if they make sense; otherwise an <see cref="ArgumentException"/> naming the one that does not.</summary>
    public EndpointPoolOptions Validate()
    {
        OptionChecks.Positive(MaxConcurrencyPerEndpoint, nameof(MaxConcurrencyPerEndpoint));
        OptionChecks.Positive(QueueTimeout, nameof(QueueTimeout));
        OptionChecks.Positive(FailuresBeforeUnhealthy, nameof(FailuresBeforeUnhealthy));
        OptionChecks.Positive(ProbeInterval, nameof(ProbeInterval));
        OptionChecks.AtLeast(MaxProbeInterval, ProbeInterval, nameof(MaxProbeInterval), nameof(ProbeInterval));
        OptionChecks.Positive(MaxRetryAfter, nameof(MaxRetryAfter));
        OptionChecks.NotNegative(RateLimitPause, nameof(RateLimitPause));
        ArgumentNullException.ThrowIfNull(Time, nameof(Time));
        return this;
    }
}

