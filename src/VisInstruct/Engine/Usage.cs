using System.Collections.Concurrent;
using System.Globalization;
using VisInstruct.Backends;

namespace VisInstruct.Engine;

/// <summary>Totals for one backend and model.</summary>
public sealed record UsageTotals(string Backend, string Model)
{
    public long Requests { get; init; }

    public long CacheHits { get; init; }

    public long Errors { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long Images { get; init; }

    public double ImageSeconds { get; init; }

    /// <summary>
    /// Requests that were sent (they are in <see cref="Requests"/>) whose answers were lost when the process died
    /// before it could record them; their tokens and images are counted from estimates.
    /// </summary>
    public long Lost { get; init; }

    /// <summary>
    /// How many of <see cref="InputTokens"/> and <see cref="OutputTokens"/> are estimates (lost answers) rather than
    /// reported.
    /// </summary>
    public long EstimatedTokens { get; init; }

    public UsageTotals Plus(UsageTotals other) => this with
    {
        Requests = Requests + other.Requests,
        CacheHits = CacheHits + other.CacheHits,
        Errors = Errors + other.Errors,
        InputTokens = InputTokens + other.InputTokens,
        OutputTokens = OutputTokens + other.OutputTokens,
        Images = Images + other.Images,
        ImageSeconds = ImageSeconds + other.ImageSeconds,
        Lost = Lost + other.Lost,
        EstimatedTokens = EstimatedTokens + other.EstimatedTokens,
    };
}

/// <summary>Prices per model: USD per million input and output tokens, per image, per image-second.</summary>
public sealed class PriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices;

    public PriceTable(IReadOnlyDictionary<string, ModelPrice>? prices = null) =>
        _prices = new Dictionary<string, ModelPrice>(prices ?? new Dictionary<string, ModelPrice>(), StringComparer.Ordinal);

    public static PriceTable Empty { get; } = new();

    public bool Knows(string model) => _prices.ContainsKey(model);

    /// <summary>The cost of <paramref name="totals"/>; 0 for a model without a price (reported as unpriced).</summary>
    public decimal Cost(UsageTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        if (!_prices.TryGetValue(totals.Model, out var price))
        {
            return 0m;
        }

        return (price.Input * totals.InputTokens / 1_000_000m) + (price.Output * totals.OutputTokens / 1_000_000m)
            + (price.Image * totals.Images) + (price.ImageSecond * (decimal)totals.ImageSeconds);
    }
}

/// <summary>One model's prices (USD): per million input tokens, per million output tokens, per image, per image-second.</summary>
public sealed record ModelPrice(decimal Input = 0, decimal Output = 0, decimal Image = 0, decimal ImageSecond = 0);

/// <summary>
/// Counts what the run used, per backend and model, and enforces the request and cost budgets. Totals include what
/// earlier invocations of the same run used (loaded from the run state), so budgets cap the whole run.
/// </summary>
public sealed class UsageLedger : IUsageMeter
{
    private readonly ConcurrentDictionary<(string, string), Counters> _counters = new();
    private readonly Dictionary<(string, string), UsageTotals> _previous = [];
    private readonly PriceTable _prices;
    private readonly long _previousRequests;
    private long _requestsThisRun;

    public UsageLedger(PriceTable prices, IEnumerable<UsageTotals>? previous = null, long? maxRequests = null, decimal? maxCost = null)
    {
        _prices = prices;
        MaxRequests = maxRequests;
        MaxCost = maxCost;
        foreach (var totals in previous ?? [])
        {
            _previous[(totals.Backend, totals.Model)] = totals;
            _previousRequests += totals.Requests;
        }
    }

    public long? MaxRequests { get; }

    public decimal? MaxCost { get; }

    public PriceTable Prices => _prices;

    /// <summary>Requests sent by this invocation (not counting earlier ones).</summary>
    public long RequestsThisRun => Interlocked.Read(ref _requestsThisRun);

    /// <summary>
    /// Why no further request may be sent (a budget is reached), or null. Checked before each request that the
    /// cache does not answer.
    /// </summary>
    public string? BudgetExhausted()
    {
        if (MaxRequests is { } maxRequests && _previousRequests + RequestsThisRun >= maxRequests)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the request budget (--max-requests {maxRequests}) is reached");
        }

        if (MaxCost is { } maxCost && TotalCost() >= maxCost)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the cost budget (--max-cost {maxCost}) is reached");
        }

        return null;
    }

    private readonly Lock _reservations = new();
    private decimal _reservedCost;
    private long _reservedRequests;

    /// <summary>The cost reserved for requests sent and not yet answered (their worst case).</summary>
    public decimal ReservedCost
    {
        get
        {
            lock (_reservations)
            {
                return _reservedCost;
            }
        }
    }

    /// <summary>Requests sent and not yet answered.</summary>
    public long OpenReservations
    {
        get
        {
            lock (_reservations)
            {
                return _reservedRequests;
            }
        }
    }

    /// <summary>
    /// Admits one request with its worst-case usage (its input tokens plus its answer at <c>max_tokens</c>, an image
    /// at its price) if the request and cost budgets hold it together with what is spent and what is reserved for the
    /// requests still open; null with the reason when they do not, and then nothing is reserved. The reservation is
    /// settled (released) by disposing it once the request's real usage is recorded.
    /// </summary>
    public Reservation? TryReserve(string backend, string model, Usage worstCase, out string? refusal)
    {
        decimal cost = MaxCost is null ? 0m : _prices.Cost(new UsageTotals(backend, model)
        {
            Requests = 1, InputTokens = worstCase.InputTokens, OutputTokens = worstCase.OutputTokens, Images = worstCase.Images,
                ImageSeconds = worstCase.ImageSeconds,
        });
        lock (_reservations)
        {
            if (MaxRequests is { } maxRequests && _previousRequests + RequestsThisRun + _reservedRequests + 1 > maxRequests)
            {
                refusal = string.Create(CultureInfo.InvariantCulture, $"the request budget (--max-requests {maxRequests}) is reached");
                return null;
            }

            if (MaxCost is { } maxCost && (TotalCost() + _reservedCost + cost > maxCost || (cost == 0 && TotalCost() >= maxCost)))
            {
                refusal = string.Create(CultureInfo.InvariantCulture,
                    $"the cost budget (--max-cost {maxCost}) is reached: the next request could cost up to ${cost:0.######} "
                    + $"more than the ${maxCost - TotalCost() - _reservedCost:0.######} left");
                return null;
            }

            _reservedCost += cost;
            _reservedRequests++;
            refusal = null;
            return new Reservation(this, cost);
        }
    }

    private void Settle(decimal cost)
    {
        lock (_reservations)
        {
            _reservedCost -= cost;
            _reservedRequests--;
        }
    }

    /// <summary>One request's admission under the budgets; disposing it settles it (after its usage is recorded).</summary>
    public sealed class Reservation : IDisposable
    {
        private UsageLedger? _ledger;
        private readonly decimal _cost;

        internal Reservation(UsageLedger ledger, decimal cost)
        {
            _ledger = ledger;
            _cost = cost;
        }

        public void Dispose()
        {
            Interlocked.Exchange(ref _ledger, null)?.Settle(_cost);
        }
    }

    /// <inheritdoc />
    public void RecordRequest(string backend, string model, Usage usage)
    {
        var c = For(backend, model);
        Interlocked.Increment(ref c.Requests);
        Interlocked.Increment(ref _requestsThisRun);
        Interlocked.Add(ref c.InputTokens, usage.InputTokens);
        Interlocked.Add(ref c.OutputTokens, usage.OutputTokens);
        Interlocked.Add(ref c.Images, usage.Images);
        Interlocked.Add(ref c.ImageMicroseconds, (long)(usage.ImageSeconds * 1e6));
    }

    /// <inheritdoc />
    public void RecordCacheHit(string backend, string model) => Interlocked.Increment(ref For(backend, model).CacheHits);

    /// <inheritdoc />
    public void RecordError(string backend, string model)
    {
        var c = For(backend, model);
        Interlocked.Increment(ref c.Requests);
        Interlocked.Increment(ref _requestsThisRun);
        Interlocked.Increment(ref c.Errors);
    }

    /// <summary>This invocation's usage only, per backend and model.</summary>
    public IReadOnlyList<UsageTotals> ThisRun() => _counters.Select(p => p.Value.Snapshot(p.Key.Item1, p.Key.Item2))
        .OrderBy(t => t.Backend, StringComparer.Ordinal).ThenBy(t => t.Model, StringComparer.Ordinal).ToList();

    /// <summary>The whole run's usage (earlier invocations included), per backend and model.</summary>
    public IReadOnlyList<UsageTotals> Totals()
    {
        var totals = new Dictionary<(string, string), UsageTotals>(_previous);
        foreach (var current in ThisRun())
        {
            var key = (current.Backend, current.Model);
            totals[key] = totals.TryGetValue(key, out var before) ? before.Plus(current) : current;
        }

        return totals.Values.OrderBy(t => t.Backend, StringComparer.Ordinal).ThenBy(t => t.Model, StringComparer.Ordinal).ToList();
    }

    public decimal TotalCost() => Totals().Sum(_prices.Cost);

    private Counters For(string backend, string model) => _counters.GetOrAdd((backend, model), _ => new Counters());

    private sealed class Counters
    {
        public long Requests;
        public long CacheHits;
        public long Errors;
        public long InputTokens;
        public long OutputTokens;
        public long Images;
        public long ImageMicroseconds;

        public UsageTotals Snapshot(string backend, string model) => new(backend, model)
        {
            Requests = Interlocked.Read(ref Requests),
            CacheHits = Interlocked.Read(ref CacheHits),
            Errors = Interlocked.Read(ref Errors),
            InputTokens = Interlocked.Read(ref InputTokens),
            OutputTokens = Interlocked.Read(ref OutputTokens),
            Images = Interlocked.Read(ref Images),
            ImageSeconds = Interlocked.Read(ref ImageMicroseconds) / 1e6,
        };
    }
}
