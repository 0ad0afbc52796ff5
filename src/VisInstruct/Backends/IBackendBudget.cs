namespace VisInstruct.Backends;

/// <summary>The run's budgets as the budget layer sees them (the engine implements it over its ledger and run control).</summary>
public interface IBackendBudget
{
    /// <summary>
    /// Admits <paramref name="request"/> with its worst-case usage, on top of what is spent and reserved for the
    /// requests in flight; the reservation is settled by disposing the result once the request's real usage is
    /// counted. When the run is stopping or a budget would be passed, the implementation stops the run and throws.
    /// </summary>
    IDisposable Admit(BackendRequest request, Usage worstCase);
}
