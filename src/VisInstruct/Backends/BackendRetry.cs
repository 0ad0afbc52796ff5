using Polly;
using Polly.Retry;

namespace VisInstruct.Backends;

/// <summary>
/// The retry policy of backend requests, shared by the chat and image retry layers: transient
/// <see cref="BackendException"/>s are tried again with exponential backoff and jitter, each attempt from the top of
/// the layers under it (so on whichever endpoint is best then); the failure that ends it carries the attempt count.
/// </summary>
public sealed class BackendRetry
{
    private readonly ResiliencePipeline _pipeline;

    /// <summary>
    /// A policy of <paramref name="retries"/> retries (0: none), the first after <paramref name="delay"/>, doubling up to
    /// 30 s.
    /// </summary>
    public BackendRetry(int retries, TimeSpan delay, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<BackendException>(e => e.IsTransient),
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = delay,
                MaxDelay = TimeSpan.FromSeconds(30),
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the retries are spent.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        int attempts = 0;
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                return await attempt(token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException ex)
        {
            ex.Attempts = attempts;
            throw;
        }
    }
}
