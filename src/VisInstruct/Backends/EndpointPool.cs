using System.Globalization;

namespace VisInstruct.Backends;

/// <summary>
/// Several endpoints serving the same model, used together. Each endpoint has its own adaptive concurrency limit:
/// it starts at a fair share, grows by one with each success while the endpoint is healthy, and halves on a 429 or a
/// timeout (after which it grows by one per round of successes, as TCP does). A 429's <c>Retry-After</c> pauses that
/// endpoint; repeated connection failures or 5xx answers take it out until a single probe request succeeds. A request
/// goes to the endpoint with the most free room; if none has room it waits (up to the queue timeout).
/// </summary>
public sealed class EndpointPool<T>
{
    private readonly Lock _gate = new();
    private readonly EndpointPoolOptions _options;
    private readonly Slot[] _slots;
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private int _next;

    public EndpointPool(IEnumerable<(Uri Url, T Client)> endpoints, EndpointPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _slots = endpoints.Select(e => new Slot(e.Url, e.Client)).ToArray();
        if (_slots.Length == 0)
        {
            throw new ArgumentException("an endpoint pool needs at least one endpoint", nameof(endpoints));
        }

        double fairShare = Math.Max(1, Math.Ceiling((double)options.MaxConcurrencyPerEndpoint / _slots.Length));
        foreach (var slot in _slots)
        {
            slot.Limit = fairShare;
        }
    }

    public IReadOnlyList<Uri> Endpoints => _slots.Select(s => s.Url).ToList();

    /// <summary>A snapshot of each endpoint: limit, in flight, health (for progress views and tests).</summary>
    public IReadOnlyList<EndpointState> States()
    {
        lock (_gate)
        {
            var now = _options.Time.GetUtcNow();
            return _slots.Select(s => new EndpointState(s.Url, (int)s.Limit, s.InFlight, s.Healthy, s.PausedUntil > now
                ? s.PausedUntil : null, s.Successes, s.Failures)).ToList();
        }
    }

    /// <summary>Waits for room on an endpoint and takes it. Dispose the lease after recording the outcome.</summary>
    public async ValueTask<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        var started = _options.Time.GetTimestamp();
        while (true)
        {
            TaskCompletionSource waiter;
            TimeSpan? wake;
            lock (_gate)
            {
                if (TryTake(out var slot))
                {
                    if (HasRoom())
                    {
                        // Pass the wake-up on: one release may have made room for more than one waiter.
                        WakeOne();
                    }

                    return new Lease(this, slot);
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.AddLast(waiter);
                wake = NextChange();
            }

            var elapsed = _options.Time.GetElapsedTime(started);
            TimeSpan? remaining = _options.QueueTimeout is { } limit ? limit - elapsed : null;
            if (remaining is { } r && r <= TimeSpan.Zero)
            {
                Forget(waiter);
                throw QueueTimeout();
            }

            // Wake when an endpoint frees up, when a pause or probe time comes, or when the queue time runs out.
            TimeSpan delay = Min(wake, remaining) ?? Timeout.InfiniteTimeSpan;
            try
            {
                await waiter.Task.WaitAsync(delay, _options.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Time to look again.
            }
            catch (OperationCanceledException)
            {
                Forget(waiter);
                if (waiter.Task.IsCompletedSuccessfully)
                {
                    // This waiter was woken for room it will not use: hand the wake-up to the next one.
                    lock (_gate)
                    {
                        WakeOne();
                    }
                }

                throw;
            }

            Forget(waiter);
        }
    }

    private BackendException QueueTimeout() => new(FailureKind.QueueTimeout,
        string.Create(CultureInfo.InvariantCulture,
            $"no endpoint had room within the queue timeout of {_options.QueueTimeout!.Value.TotalSeconds:F0} s ({Describe()})"));

    private string Describe()
    {
        var now = _options.Time.GetUtcNow();
        return string.Join("; ", _slots.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Url}: {s.InFlight}/{(int)s.Limit} in flight{(s.Healthy ? "" : ", unhealthy")}{(s.PausedUntil > now ? ", paused" : "")}")));
    }

    private bool HasRoom()
    {
        var now = _options.Time.GetUtcNow();
        return _slots.Any(s => s.PausedUntil <= now && (s.Healthy ? s.InFlight < (int)s.Limit : s.NextProbe <= now && s.InFlight == 0));
    }

    private bool TryTake(out Slot slot)
    {
        var now = _options.Time.GetUtcNow();
        Slot? best = null;
        double bestRoom = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            var candidate = _slots[(_next + i) % _slots.Length];
            if (candidate.PausedUntil > now)
            {
                continue;
            }

            double room;
            if (candidate.Healthy)
            {
                room = (candidate.Limit - candidate.InFlight) / candidate.Limit;
                if (candidate.InFlight >= (int)candidate.Limit)
                {
                    continue;
                }
            }
            else
            {
                // An unhealthy endpoint gets one probe request once its probe time has come.
                if (candidate.NextProbe > now || candidate.InFlight > 0)
                {
                    continue;
                }

                room = 0.0001;
            }

            if (best is null || room > bestRoom)
            {
                best = candidate;
                bestRoom = room;
            }
        }

        if (best is null)
        {
            slot = null!;
            return false;
        }

        best.InFlight++;
        _next = (Array.IndexOf(_slots, best) + 1) % _slots.Length;
        slot = best;
        return true;
    }

    /// <summary>How long until something may change without a release: a pause ending or a probe coming due.</summary>
    private TimeSpan? NextChange()
    {
        var now = _options.Time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var slot in _slots)
        {
            if (slot.PausedUntil > now)
            {
                next = next is null || slot.PausedUntil < next ? slot.PausedUntil : next;
            }

            if (!slot.Healthy && slot.NextProbe > now)
            {
                next = next is null || slot.NextProbe < next ? slot.NextProbe : next;
            }
        }

        return next is { } n ? n - now : null;
    }

    /// <summary>
    /// Takes an endpoint out of rotation as one found down before the run (the pre-flight check): requests go to the
    /// others, and it is probed again as an unhealthy one would be.
    /// </summary>
    public void MarkDown(Uri url)
    {
        lock (_gate)
        {
            foreach (var slot in _slots.Where(s => s.Url == url))
            {
                slot.Healthy = false;
                slot.ProbeBackoff = _options.ProbeInterval;
                slot.NextProbe = _options.Time.GetUtcNow() + slot.ProbeBackoff;
            }
        }
    }

    private void Release(Slot slot, FailureKind? failure, TimeSpan? retryAfter)
    {
        lock (_gate)
        {
            slot.InFlight--;
            var now = _options.Time.GetUtcNow();
            if (failure is null)
            {
                slot.Successes++;
                slot.ConsecutiveFailures = 0;
                if (!slot.Healthy)
                {
                    slot.Healthy = true;
                    slot.ProbeBackoff = _options.ProbeInterval;
                    slot.Limit = Math.Max(1, slot.Limit);
                }

                // Grow while healthy: one per success until the first congestion, then one per round of successes.
                slot.Limit = Math.Min(_options.MaxConcurrencyPerEndpoint, slot.Limit + (slot.Congested ? 1 / slot.Limit : 1));
            }
            else
            {
                slot.Failures++;
                switch (failure)
                {
                    case FailureKind.RateLimited:
                        Congest(slot);
                        var pause = Min(retryAfter ?? _options.RateLimitPause, _options.MaxRetryAfter)!.Value;
                        slot.PausedUntil = now + pause > slot.PausedUntil ? now + pause : slot.PausedUntil;
                        break;
                    case FailureKind.Timeout:
                        Congest(slot);
                        CountFailure(slot, now);
                        break;
                    case FailureKind.Connection or FailureKind.ServerError:
                        CountFailure(slot, now);
                        break;
                }
            }

            WakeOne();
        }
    }

    private static void Congest(Slot slot)
    {
        slot.Congested = true;
        slot.Limit = Math.Max(1, Math.Floor(slot.Limit / 2));
    }

    private void CountFailure(Slot slot, DateTimeOffset now)
    {
        slot.ConsecutiveFailures++;
        if (!slot.Healthy)
        {
            // A failed probe: wait longer before the next.
            slot.ProbeBackoff = Min(slot.ProbeBackoff * 2, _options.MaxProbeInterval)!.Value;
            slot.NextProbe = now + slot.ProbeBackoff;
        }
        else if (slot.ConsecutiveFailures >= _options.FailuresBeforeUnhealthy)
        {
            slot.Healthy = false;
            slot.ProbeBackoff = _options.ProbeInterval;
            slot.NextProbe = now + slot.ProbeBackoff;
        }
    }

    private void WakeOne()
    {
        if (_waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            first.Value.TrySetResult();
        }
    }

    private void Forget(TaskCompletionSource waiter)
    {
        lock (_gate)
        {
            _waiters.Remove(waiter);
        }
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    /// <summary>Room taken on one endpoint for one request.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly EndpointPool<T> _pool;
        private readonly Slot _slot;
        private bool _released;
        private FailureKind? _failure;
        private TimeSpan? _retryAfter;

        internal Lease(EndpointPool<T> pool, Slot slot)
        {
            _pool = pool;
            _slot = slot;
        }

        public Uri Endpoint => _slot.Url;

        public T Client => _slot.Client;

        /// <summary>Records that the request failed (success is the default).</summary>
        public void Failed(FailureKind kind, TimeSpan? retryAfter = null)
        {
            _failure = kind;
            _retryAfter = retryAfter;
        }

        public void Dispose()
        {
            if (_released)
            {
                return;
            }

            _released = true;
            _pool.Release(_slot, _failure, _retryAfter);
        }
    }

    internal sealed class Slot(Uri url, T client)
    {
        public Uri Url { get; } = url;

        public T Client { get; } = client;

        public double Limit { get; set; }

        public int InFlight { get; set; }

        public bool Healthy { get; set; } = true;

        public bool Congested { get; set; }

        public int ConsecutiveFailures { get; set; }

        public DateTimeOffset PausedUntil { get; set; }

        public DateTimeOffset NextProbe { get; set; }

        public TimeSpan ProbeBackoff { get; set; }

        public long Successes { get; set; }

        public long Failures { get; set; }
    }
}
