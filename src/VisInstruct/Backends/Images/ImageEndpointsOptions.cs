namespace VisInstruct.Backends.Images;

/// <summary>
/// Settings of the HTTP image backends (<see cref="ImageBackends"/>): AUTOMATIC1111 (<c>http://host:7860</c>), ComfyUI
/// (<c>http://host:8188</c>), OpenAI images (<c>https://api.openai.com/v1</c>). Defaults: 4 images in the making per
/// endpoint, 3 retries, the first after 1 s.
/// </summary>
public sealed record ImageEndpointsOptions() : PooledEndpointsOptions(maxConcurrencyPerEndpoint: 4, retries: 3,
    retryDelay: TimeSpan.FromSeconds(1))
{
    /// <summary>
    /// The checkpoint or model name (ComfyUI ckpt_name, A1111 sd_model_checkpoint, OpenAI model). Default null: the
    /// server's.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>HTTP basic auth for AUTOMATIC1111's <c>--api-auth</c>. Default none.</summary>
    public (string User, string Password)? BasicAuth { get; init; }

    /// <summary>ComfyUI: how often to ask whether the job is done. Default 250 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>These settings, if they make sense; otherwise an <see cref="ArgumentException"/> naming the one that does not.</summary>
    public ImageEndpointsOptions Validate()
    {
        ValidateShared();
        OptionChecks.Positive(PollInterval, nameof(PollInterval));
        return this;
    }
}
