namespace VisInstruct.Backends;

/// <summary>
/// Journals a call: a remote request durably before it is sent, its answer (with its cache entry and usage) or its
/// failure durably before the answer is used. Requests to local backends are recorded without being committed.
/// </summary>
internal sealed class JournalGateway(IBackendGateway inner, IRequestJournal journal, Func<Exception, Exception> commitFailed)
    : DelegatingBackendGateway(inner)
{
    public override async ValueTask<BackendResponse> SendAsync(BackendCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = call.Request;
        bool durable = !request.IsLocal;
        long id = 0;
        if (durable)
        {
            id = journal.Sending(call.Scope, request);
            await CommitAsync().ConfigureAwait(false);
        }

        BackendResponse response;
        try
        {
            response = await Inner.SendAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            journal.Failed(id, request);
            if (durable)
            {
                await CommitAsync().ConfigureAwait(false);
            }

            throw;
        }

        journal.Answered(id, call.Scope, request.CacheKey(), request, response);
        if (durable)
        {
            // The answer is used only once it is in the run state: a kill from here on costs nothing.
            await CommitAsync().ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>Waits for a commit; one that fails becomes what the run makes of it (it must not go on unrecorded).</summary>
    private async Task CommitAsync()
    {
        try
        {
            await journal.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw commitFailed(ex);
        }
    }
}
