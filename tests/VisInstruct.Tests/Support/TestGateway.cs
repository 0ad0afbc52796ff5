using System.Collections.Concurrent;
using VisInstruct.Backends;
using VisInstruct.Engine;

namespace VisInstruct.Tests.Support;

/// <summary>A response cache in memory, for backend tests that do not need a run state.</summary>
internal sealed class MemoryCache : IResponseCache
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new();

    public int Count => _entries.Count;

    public byte[]? TryGet(string scope, byte[] key) =>
        _entries.TryGetValue(scope + "/" + Convert.ToHexString(key), out var value) ? value : null;

    public void Put(string scope, byte[] key, string backend, string model, byte[] value) =>
        _entries[scope + "/" + Convert.ToHexString(key)] = value;
}

internal static class TestGateway
{
    public static BackendGateway Create(out UsageLedger ledger, PriceTable? prices = null)
    {
        ledger = new UsageLedger(prices ?? PriceTable.Empty);
        return new BackendGateway(new MemoryCache(), null, ledger, new RunControl());
    }
}
