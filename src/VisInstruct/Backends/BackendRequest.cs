using System.Security.Cryptography;
using System.Text;

namespace VisInstruct.Backends;

/// <summary>A request to a backend in canonical form: what the cache key is made of.</summary>
public sealed record BackendRequest(string Backend, string Model, byte[] Canonical)
{
    /// <summary>Backends that run in this process: their calls are not journalled (nothing is paid, redoing them is cheap).</summary>
    public static IReadOnlySet<string> LocalBackends { get; } = new HashSet<string>(StringComparer.Ordinal) { "procedural", "template" };

    /// <summary>
    /// What the request is expected to use, counted for it if the process dies after sending it and before its answer
    /// is recorded. Null: a token per four bytes of the canonical request in, nothing out.
    /// </summary>
    public Usage? Estimate { get; init; }

    /// <summary>Whether <see cref="Backend"/> runs in this process (one of <see cref="LocalBackends"/>).</summary>
    public bool IsLocal => LocalBackends.Contains(Backend);

    /// <summary>What an LLM request without <c>max_tokens</c> is reserved for as its answer: it has no limit of its own.</summary>
    public const long UnboundedAnswerTokens = 4096;

    /// <summary><see cref="Estimate"/>, or the rule of thumb when the backend gave none.</summary>
    public Usage EstimateOrDefault() => Estimate ?? new Usage(InputTokens: (Canonical.Length + 3) / 4);

    /// <summary>
    /// What the budgets reserve for the request while it is in flight: an LLM request's prompt plus its answer at
    /// max_tokens, an image at its price; a remote request without max_tokens with <see cref="UnboundedAnswerTokens"/>
    /// for its answer.
    /// </summary>
    public Usage WorstCase()
    {
        var estimate = EstimateOrDefault();
        return estimate.OutputTokens == 0 && Estimate is { Images: 0 } && !IsLocal
            ? estimate with { OutputTokens = UnboundedAnswerTokens }
            : estimate;
    }

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
