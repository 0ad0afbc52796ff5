namespace VisInstruct.Backends;

/// <summary>
/// Answers a call from the response cache when the same request was made before for the same scope (so a resumed or
/// repeated run pays nothing twice); otherwise passes it on and caches the answer (through the journal, when there is one).
/// </summary>
internal sealed class CachingGateway(IBackendGateway inner, IResponseCache cache, IUsageMeter meter, IRequestJournal? journal)
    : DelegatingBackendGateway(inner)
{
    public override async ValueTask<BackendResponse> SendAsync(BackendCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = call.Request;
        byte[] key = request.CacheKey();
        if (cache.TryGet(call.Scope, key) is { } cached && (call.Reuse is null || call.Reuse(cached)))
        {
            meter.RecordCacheHit(request.Backend, request.Model);
            journal?.CacheHit(request.Backend, request.Model);
            return new BackendResponse(cached, default);
        }

        var response = await Inner.SendAsync(call, cancellationToken).ConfigureAwait(false);
        if (journal is null)
        {
            cache.Put(call.Scope, key, request.Backend, request.Model, response.Body);
        }

        return response;
    }
}
