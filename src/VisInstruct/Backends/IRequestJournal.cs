namespace VisInstruct.Backends;

/// <summary>
/// The durable record of what was sent (the run state implements it). A request is journalled (durably,
/// <see cref="CommitAsync"/>) before it is sent, and its answer, cache entry and usage are journalled before the answer
/// is used; so a process killed at any moment leaves every answer it used in the run state, and every request it sent
/// counted: a journalled request without an answer is counted as sent (with its estimate) by the next run.
/// </summary>
public interface IRequestJournal
{
    /// <summary>Queues the record that <paramref name="request"/> is about to be sent; returns its journal id.</summary>
    long Sending(string scope, BackendRequest request);

    /// <summary>
    /// Queues the answer to journalled request <paramref name="id"/> (0: not journalled): cached under scope and key, usage
    /// counted.
    /// </summary>
    void Answered(long id, string scope, byte[] key, BackendRequest request, BackendResponse response);

    /// <summary>Queues that journalled request <paramref name="id"/> failed (counted as a request and an error).</summary>
    void Failed(long id, BackendRequest request);

    /// <summary>Queues the count of an answer taken from the cache.</summary>
    void CacheHit(string backend, string model);

    /// <summary>Completes when everything journalled before the call would survive the process being killed.</summary>
    Task CommitAsync();
}
