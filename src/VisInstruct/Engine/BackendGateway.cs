using VisInstruct.Backends;

namespace VisInstruct.Engine;

/// <summary>
/// The run's backend gateway: the Backends' run-state layers built over this run's state (the response cache, the
/// request journal when the run keeps one, the ledger's accounting and budgets), outermost first: cache, budget,
/// journal, accounting. A refused budget or a run state that cannot be written stops the run.
/// </summary>
public sealed class BackendGateway : IBackendGateway, IBackendBudget
{
    private readonly IBackendGateway _layers;
    private readonly UsageLedger _ledger;
    private readonly RunControl _control;

    /// <param name="cache">The response cache (the run state's, or an in-memory one).</param>
    /// <param name="journal">The request journal, or null for none (answers are then durable only once cached).</param>
    /// <param name="ledger">The run's accounting and budgets.</param>
    /// <param name="control">The run's stop and abort switch.</param>
    public BackendGateway(IResponseCache cache, IRequestJournal? journal, UsageLedger ledger, RunControl control)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _control = control ?? throw new ArgumentNullException(nameof(control));
        var builder = new BackendGatewayBuilder().UseCache(cache, ledger, journal).UseBudget(this);
        if (journal is not null)
        {
            builder.UseJournal(journal, CommitFailed);
        }

        _layers = builder.UseAccounting(ledger).Build();
    }

    /// <inheritdoc />
    public ValueTask<BackendResponse> SendAsync(BackendCall call, CancellationToken cancellationToken = default) =>
        _layers.SendAsync(call, cancellationToken);

    /// <summary>
    /// The cached response to <paramref name="request"/> made for <paramref name="scope"/> (an item's key, or a
    /// recipe's own key for work shared by items), or the one <paramref name="send"/> gets (then cached).
    /// </summary>
    public async ValueTask<byte[]> CallAsync(string scope, BackendRequest request, Func<CancellationToken, ValueTask<BackendResponse>> send,
        CancellationToken cancellationToken) =>
        (await _layers.SendAsync(new BackendCall(scope, request, send), cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>Admits a request under the ledger's budgets; when they refuse it (or the run is stopping) the run stops.</summary>
    IDisposable IBackendBudget.Admit(BackendRequest request, Usage worstCase)
    {
        ArgumentNullException.ThrowIfNull(request);
        _control.ThrowIfStopping();
        if (_ledger.TryReserve(request.Backend, request.Model, worstCase, out string? reason) is { } reservation)
        {
            return reservation;
        }

        _control.Stop(reason!);
        throw new RunStoppedException(reason!);
    }

    /// <summary>If the run state cannot be written the run aborts (it must not go on unrecorded).</summary>
    private RunStoppedException CommitFailed(Exception ex)
    {
        _control.Abort("the run state could not be written: " + ex.Message);
        return new RunStoppedException("the run state could not be written: " + ex.Message);
    }
}
