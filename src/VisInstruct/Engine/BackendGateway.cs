using System.Security.Cryptography;
using System.Text;

namespace VisInstruct.Engine;

/// <summary>A request to a backend in canonical form: what the cache key is made of.</summary>
public sealed record BackendRequest(string Backend, string Model, byte[] Canonical)
{
    /// <summary>
    /// What the request is expected to use, counted for it if the process dies after sending it and before its answer
    /// is recorded. Null: a token per four bytes of the canonical request in, nothing out.
    /// </summary>
    public Usage? Estimate { get; init; }

    /// <summary><see cref="Estimate"/>, or the rule of thumb when the backend gave none.</summary>
    public Usage EstimateOrDefault() => Estimate ?? new Usage(InputTokens: (Canonical.Length + 3) / 4);

    /// <summary>SHA-256 of backend kind, model and canonical request: the content address of the response.</summary>
    public byte[] CacheKey()
    {
        int length = Encoding.UTF8.GetByteCount(Backend) + Encoding.UTF8.GetByteCount(Model) + 2 + Canonical.Length;
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int at = Encoding.UTF8.GetBytes(Backend, rented);
            rented[at++] = 0;
            at += Encoding.UTF8.GetBytes(Model, rented.AsSpan(at));
            rented[at++] = 0;
            Canonical.CopyTo(rented.AsSpan(at));
            return SHA256.HashData(rented.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>A backend's answer: the body to cache and what it used.</summary>
public sealed record BackendResponse(byte[] Body, Usage Usage);

/// <summary>The content-addressed store of backend responses.</summary>
public interface IResponseCache
{
    /// <summary>The response stored under <paramref name="scope"/> (the asking item's key) and request hash, or null.</summary>
    byte[]? TryGet(string scope, byte[] key);

    void Put(string scope, byte[] key, string backend, string model, byte[] value);
}

/// <summary>
/// The durable record of what was sent. A request is journalled (durably, <see cref="CommitAsync"/>) before it is sent,
/// and its answer, cache entry and usage are journalled before the answer is used; so a process killed at any moment
/// leaves every answer it used in the run state, and every request it sent counted: a journalled request without an
/// answer is counted as sent (with its estimate) by the next run.
/// </summary>
public interface IRequestJournal
{
    /// <summary>Queues the record that <paramref name="request"/> is about to be sent; returns its journal id.</summary>
    long Sending(string scope, BackendRequest request);

    /// <summary>Queues the answer to journalled request <paramref name="id"/> (0: not journalled): cached under scope and key, usage counted.</summary>
    void Answered(long id, string scope, byte[] key, BackendRequest request, BackendResponse response);

    /// <summary>Queues that journalled request <paramref name="id"/> failed (counted as a request and an error).</summary>
    void Failed(long id, BackendRequest request);

    /// <summary>Queues the count of an answer taken from the cache.</summary>
    void CacheHit(string backend, string model);

    /// <summary>Completes when everything journalled before the call would survive the process being killed.</summary>
    Task CommitAsync();
}

/// <summary>
/// Every backend call of a run goes through here: answered from the response cache when the same request was made
/// before (so a resumed or repeated run pays nothing twice), else sent, counted, and cached; refused once a budget is
/// reached, which stops the run cleanly.
/// </summary>
public sealed class BackendGateway(IResponseCache cache, UsageLedger ledger, RunControl control)
{
    /// <summary>Backends that run in this process: their calls are not journalled (nothing is paid, redoing them is cheap).</summary>
    private static readonly HashSet<string> Local = new(StringComparer.Ordinal) { "procedural", "template" };

    public UsageLedger Ledger { get; } = ledger;

    public IResponseCache Cache { get; } = cache;

    /// <summary>The cache as the run state's request journal, when it is one (looked up once, not per call).</summary>
    private readonly IRequestJournal? _journal = cache as IRequestJournal;

    public RunControl Control { get; } = control;

    /// <summary>
    /// The cached response to <paramref name="request"/> made for <paramref name="scope"/> (an item's key, or a
    /// recipe's own key for work shared by items), or the one <paramref name="send"/> gets (then cached).
    /// </summary>
    public ValueTask<byte[]> CallAsync(string scope, BackendRequest request, Func<CancellationToken, ValueTask<BackendResponse>> send, CancellationToken cancellationToken) =>
        CallAsync(scope, request, send, reuse: null, cancellationToken);

    /// <summary>
    /// As above, where a cached response is used only if <paramref name="reuse"/> accepts it (an image's metadata is
    /// cached, and the image file must still be there).
    /// </summary>
    public async ValueTask<byte[]> CallAsync(string scope, BackendRequest request, Func<CancellationToken, ValueTask<BackendResponse>> send,
        Func<byte[], bool>? reuse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(send);
        byte[] key = request.CacheKey();
        if (Cache.TryGet(scope, key) is { } cached && (reuse is null || reuse(cached)))
        {
            Ledger.RecordCacheHit(request.Backend, request.Model);
            _journal?.CacheHit(request.Backend, request.Model);
            return cached;
        }

        Control.ThrowIfStopping();
        // Admitted only if the budgets hold its worst case on top of what is spent and reserved for the requests in
        // flight: an LLM request's prompt plus its answer at max_tokens, an image at its price. A request without
        // max_tokens is reserved with UnboundedAnswerTokens for its answer.
        bool local = Local.Contains(request.Backend);
        var worstCase = request.EstimateOrDefault();
        if (worstCase.OutputTokens == 0 && request.Estimate is { Images: 0 } && !local)
        {
            worstCase = worstCase with { OutputTokens = UsageLedger.UnboundedAnswerTokens };
        }

        using var reservation = Ledger.TryReserve(request.Backend, request.Model, worstCase, out string? reason);
        if (reservation is null)
        {
            Control.Stop(reason!);
            throw new RunStoppedException(reason!);
        }

        var journal = _journal;
        bool journalled = journal is not null && !local;
        long id = 0;
        if (journalled)
        {
            id = journal!.Sending(scope, request);
            await Durably(journal.CommitAsync()).ConfigureAwait(false);
        }

        BackendResponse response;
        try
        {
            response = await send(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Ledger.RecordError(request.Backend, request.Model);
            journal?.Failed(id, request);
            if (journalled)
            {
                await Durably(journal!.CommitAsync()).ConfigureAwait(false);
            }

            throw;
        }

        Ledger.RecordRequest(request.Backend, request.Model, response.Usage);
        if (journal is null)
        {
            Cache.Put(scope, key, request.Backend, request.Model, response.Body);
        }
        else
        {
            journal.Answered(id, scope, key, request, response);
            if (journalled)
            {
                // The answer is used only once it is in the run state: a kill from here on costs nothing.
                await Durably(journal.CommitAsync()).ConfigureAwait(false);
            }
        }

        return response.Body;
    }

    /// <summary>Waits for a commit; if the run state cannot be written the run aborts (it must not go on unrecorded).</summary>
    private async Task Durably(Task commit)
    {
        try
        {
            await commit.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Control.Abort("the run state could not be written: " + ex.Message);
            throw new RunStoppedException("the run state could not be written: " + ex.Message);
        }
    }
}
