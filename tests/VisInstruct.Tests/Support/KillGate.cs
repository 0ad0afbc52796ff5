using Microsoft.AspNetCore.Http;

namespace VisInstruct.Tests.Support;

/// <summary>
/// Counts the paid requests that loopback servers receive (the paths a backend bills: chat completions, txt2img) and
/// can hold them: after a set number of requests in a round, every further one is received and counted but not
/// answered, so the client under test has a known set of requests in flight when the test kills it. Several servers
/// can share one gate (an LLM and an image server of one run).
/// </summary>
internal sealed class KillGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received;
    private int _answered;
    private int _roundReceived;
    private int _held;
    private int _holdAfter = int.MaxValue;
    private long _changes;

    /// <summary>Paid requests received, over every round.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Paid requests received and not (yet) answered: held, or still being answered.</summary>
    public int Unanswered
    {
        get
        {
            lock (_lock)
            {
                return _received - _answered;
            }
        }
    }

    /// <summary>Requests held (never to be answered) in this round.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>A counter that moves whenever anything is received or answered (for waiting until nothing moves).</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Starts a round: the first <paramref name="answerFirst"/> requests are answered, the rest held.</summary>
    public void StartRound(int answerFirst = int.MaxValue)
    {
        lock (_lock)
        {
            _release.TrySetResult();
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _roundReceived = 0;
            _held = 0;
            _holdAfter = answerFirst;
            // What a killed client left is no longer in flight.
            _answered = _received;
        }
    }

    /// <summary>Lets the held requests go (their client is gone; they end without an answer).</summary>
    public void ReleaseHeld()
    {
        lock (_lock)
        {
            _release.TrySetResult();
        }
    }

    /// <summary>Wraps a server's handler: requests to <paramref name="paidPaths"/> are counted and, when the round says so, held.</summary>
    public Func<HttpContext, RecordedRequest, Task> Wrap(Func<HttpContext, RecordedRequest, Task> handler, params string[] paidPaths) =>
        async (context, request) =>
    {
        if (request.Method != "POST" || !paidPaths.Contains(request.Path, StringComparer.Ordinal))
        {
            await handler(context, request);
            return;
        }

        Task? hold = null;
        lock (_lock)
        {
            _received++;
            _roundReceived++;
            if (_roundReceived > _holdAfter)
            {
                _held++;
                hold = _release.Task;
            }
        }

        Interlocked.Increment(ref _changes);
        if (hold is not null)
        {
            await hold;
            context.Abort();
            return;
        }

        try
        {
            await handler(context, request);
        }
        finally
        {
            lock (_lock)
            {
                _answered++;
            }

            Interlocked.Increment(ref _changes);
        }
    };
}
