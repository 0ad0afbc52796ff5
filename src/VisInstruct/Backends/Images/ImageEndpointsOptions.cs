namespace VisInstruct.Backends.Images;

/// <summary>Settings shared by the HTTP image backends.</summary>
public sealed record ImageEndpointsOptions
{
    /// <summary>Base URLs of the servers (<c>http://host:7860</c>, <c>http://host:8188</c>, <c>https://api.openai.com/v1</c>).</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>The checkpoint or model name (ComfyUI ckpt_name, A1111 sd_model_checkpoint, OpenAI model). Default null: the server's.</summary>
    public string? Model { get; init; }

    /// <summary>Sent as a bearer token (OpenAI images) — read from the environment variable the config names. Default none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>HTTP basic auth for AUTOMATIC1111's <c>--api-auth</c>. Default none.</summary>
    public (string User, string Password)? BasicAuth { get; init; }

    /// <summary>The most one image may take, queueing on the server included. Default 10 minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The most a request may wait for room on an endpoint. Default null: no limit.</summary>
    public TimeSpan? QueueTimeout { get; init; }

    /// <summary>Images in the making on one endpoint at most. Default 4.</summary>
    public int MaxConcurrencyPerEndpoint { get; init; } = 4;

    /// <summary>Retries of a transient failure, each on the best endpoint then. Default 3.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>First retry delay; doubles (with jitter) up to 30 s. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>ComfyUI: how often to ask whether the job is done. Default 250 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The clock (tests use a fake one). Default the system's.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>For tests: the HTTP handler under the client. Default null: a pooled socket handler.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>These settings, if they make sense; otherwise an <see cref="ArgumentException"/> naming the one that does not.</summary>
    public ImageEndpointsOptions Validate()
    {
        OptionChecks.Endpoints(Endpoints, nameof(Endpoints));
        OptionChecks.Positive(RequestTimeout, nameof(RequestTimeout));
        OptionChecks.Positive(QueueTimeout, nameof(QueueTimeout));
        OptionChecks.Positive(MaxConcurrencyPerEndpoint, nameof(MaxConcurrencyPerEndpoint));
        OptionChecks.NotNegative(Retries, nameof(Retries));
        OptionChecks.NotNegative(RetryDelay, nameof(RetryDelay));
        OptionChecks.Positive(PollInterval, nameof(PollInterval));
        ArgumentNullException.ThrowIfNull(Time, nameof(Time));
        return this;
    }
}
