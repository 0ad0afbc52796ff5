using VisInstruct.Backends;
using VisInstruct.Randomness;

namespace VisInstruct.Engine;

/// <summary>
/// What a stage knows about the item it works on: its key, its seed (derived from the run seed and the key, never from
/// time or order), a random generator of its own, and the run's backend gateway.
/// </summary>
public sealed class SampleContext
{
    internal SampleContext(string key, ulong seed, string stage, BackendGateway gateway, int attempt)
    {
        Key = key;
        Seed = seed;
        Stage = stage;
        Gateway = gateway;
        Attempt = attempt;
    }

    public string Key { get; }

    /// <summary>The item's seed: <c>DeriveSeed(run seed, key)</c>.</summary>
    public ulong Seed { get; }

    /// <summary>The stage running now.</summary>
    public string Stage { get; }

    /// <summary>1 on the first try of the item, more when <c>--retry-failed</c> runs it again.</summary>
    public int Attempt { get; }

    /// <summary>Calls to backends go through here: cache, accounting, budgets.</summary>
    public BackendGateway Gateway { get; }

    /// <summary>
    /// A generator for this stage of this item: the same whatever ran before it, so that changing one stage does not
    /// change the random choices of another.
    /// </summary>
    public DeterministicRandom Random => _random ??= new DeterministicRandom(DeterministicRandom.DeriveSeed(Seed, "stage:" + Stage));

    /// <summary>A backend call for this item, through the cache (scoped to the item), accounting and budgets.</summary>
    public ValueTask<byte[]> CallAsync(BackendRequest request, Func<CancellationToken, ValueTask<BackendResponse>> send,
        CancellationToken cancellationToken) =>
        Gateway.CallAsync(Key, request, send, cancellationToken);

    /// <summary>A seed for a named purpose (an image seed, a re-render attempt).</summary>
    public ulong SeedFor(string purpose) => DeterministicRandom.DeriveSeed(Seed, purpose);

    private DeterministicRandom? _random;
}
