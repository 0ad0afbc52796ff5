namespace VisInstruct.Backends;

/// <summary>
/// Builds an <see cref="IBackendGateway"/> from layers, as <c>ChatClientBuilder</c> does for chat clients: the first
/// layer added is the outermost (it sees a call first and its answer last); under the last one the call is sent.
/// The run's stack is <c>UseCache</c>, <c>UseBudget</c>, <c>UseJournal</c>, <c>UseAccounting</c>, in that order.
/// </summary>
public sealed class BackendGatewayBuilder
{
    private readonly List<Func<IBackendGateway, IBackendGateway>> _layers = [];

    /// <summary>Adds a layer under those added before.</summary>
    public BackendGatewayBuilder Use(Func<IBackendGateway, IBackendGateway> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>
    /// Answers a call from <paramref name="cache"/> when the same request was made before for the same scope (counted
    /// as a cache hit in <paramref name="meter"/> and the journal); otherwise stores the answer, unless
    /// <paramref name="journal"/> is given, which stores it with the rest of the answer's record.
    /// </summary>
    public BackendGatewayBuilder UseCache(IResponseCache cache, IUsageMeter meter, IRequestJournal? journal = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(meter);
        return Use(inner => new CachingGateway(inner, cache, meter, journal));
    }

    /// <summary>Admits each call under <paramref name="budget"/> with its worst case, settled once it is answered or failed.</summary>
    public BackendGatewayBuilder UseBudget(IBackendBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return Use(inner => new BudgetGateway(inner, budget));
    }

    /// <summary>
    /// Records each call in <paramref name="journal"/>: durably before a remote request is sent, and its answer (or
    /// failure) durably before it is used. A commit that fails is turned into what <paramref name="commitFailed"/> returns.
    /// </summary>
    public BackendGatewayBuilder UseJournal(IRequestJournal journal, Func<Exception, Exception> commitFailed)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(commitFailed);
        return Use(inner => new JournalGateway(inner, journal, commitFailed));
    }

    /// <summary>Counts each sent call in <paramref name="meter"/>: its usage, or an error when it fails.</summary>
    public BackendGatewayBuilder UseAccounting(IUsageMeter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return Use(inner => new AccountingGateway(inner, meter));
    }

    /// <summary>The layers over the call's own send, the first added outermost.</summary>
    public IBackendGateway Build()
    {
        IBackendGateway gateway = Sending.Instance;
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            gateway = _layers[i](gateway) ?? throw new InvalidOperationException($"gateway layer {i} returned null");
        }

        return gateway;
    }

    /// <summary>The bottom of every stack: the call is sent.</summary>
    private sealed class Sending : IBackendGateway
    {
        public static readonly Sending Instance = new();

        public ValueTask<BackendResponse> SendAsync(BackendCall call, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(call);
            return call.Send(cancellationToken);
        }
    }
}
