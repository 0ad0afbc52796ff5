namespace VisInstruct.Backends;

/// <summary>
/// Admits a call only if the budgets hold its worst case (<see cref="BackendRequest.WorstCase"/>) on top of what is
/// spent and reserved for the calls in flight; the reservation is settled when the call is answered or fails.
/// </summary>
internal sealed class BudgetGateway(IBackendGateway inner, IBackendBudget budget) : DelegatingBackendGateway(inner)
{
    public override async ValueTask<BackendResponse> SendAsync(BackendCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var reservation = budget.Admit(call.Request, call.Request.WorstCase());
        return await Inner.SendAsync(call, cancellationToken).ConfigureAwait(false);
    }
}
