namespace VisInstruct.Backends;

/// <summary>
/// What backend services send their calls through: a stack of run-state layers (cache, budgets, journal, accounting)
/// built with <see cref="BackendGatewayBuilder"/> over the call's own send. The engine builds one per run.
/// </summary>
public interface IBackendGateway
{
    /// <summary>The response to <paramref name="call"/>: from a layer (a cached answer), or from sending it.</summary>
    ValueTask<BackendResponse> SendAsync(BackendCall call, CancellationToken cancellationToken = default);
}
