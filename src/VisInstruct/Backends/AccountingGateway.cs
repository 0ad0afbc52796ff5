namespace VisInstruct.Backends;

/// <summary>Counts each sent call: what its answer used, or an error when it failed (a caller's cancellation is neither).</summary>
internal sealed class AccountingGateway(IBackendGateway inner, IUsageMeter meter) : DelegatingBackendGateway(inner)
{
    public override async ValueTask<BackendResponse> SendAsync(BackendCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = call.Request;
        BackendResponse response;
        try
        {
            response = await Inner.SendAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            meter.RecordError(request.Backend, request.Model);
            throw;
        }

        meter.RecordRequest(request.Backend, request.Model, response.Usage);
        return response;
    }
}
