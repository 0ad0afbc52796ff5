using System.Security.Cryptography;
using System.Text;

namespace VisInstruct.Engine;

/// <summary>A request to a backend in canonical form: what the cache key is made of.</summary>
public sealed record BackendRequest(string Backend, string Model, byte[] Canonical)
{
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
/// Every backend call of a run goes through here: answered from the response cache when the same request was made
/// before (so a resumed or repeated run pays nothing twice), else sent, counted, and cached; refused once a budget is
/// reached, which stops the run cleanly.
/// </summary>
public sealed class BackendGateway(IResponseCache cache, UsageLedger ledger, RunControl control)
{
    public UsageLedger Ledger { get; } = ledger;

    public IResponseCache Cache { get; } = cache;

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
            return cached;
        }

        Control.ThrowIfStopping();
        if (Ledger.BudgetExhausted() is { } reason)
        {
            Control.Stop(reason);
            throw new RunStoppedException(reason);
        }

        BackendResponse response;
        try
        {
            response = await send(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Ledger.RecordError(request.Backend, request.Model);
            throw;
        }

        Ledger.RecordRequest(request.Backend, request.Model, response.Usage);
        Cache.Put(scope, key, request.Backend, request.Model, response.Body);
        return response.Body;
    }
}
