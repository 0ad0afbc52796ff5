using System.Buffers.Binary;

namespace VisInstruct.Engine;

/// <summary>
/// A Bloom filter over response-cache keys (a scope and a SHA-256 hash, whose bytes are already uniformly random and
/// serve as the filter's hash functions). It answers "certainly not cached" without touching the database, which is most
/// lookups of a fresh run. About 10 bits per key (1% false positives); it doubles when full.
/// </summary>
internal sealed class KeyFilter
{
    private const int Probes = 7;
    private readonly ulong[] _bits;
    private long _count;

    public KeyFilter(long expectedKeys)
    {
        Capacity = Math.Max(1 << 16, expectedKeys);
        _bits = new ulong[Math.Max(1, Capacity * 10 / 64)];
    }

    public long Capacity { get; }

    public bool IsFull => Interlocked.Read(ref _count) > Capacity;

    public void Add(string scope, ReadOnlySpan<byte> key)
    {
        ulong length = (ulong)_bits.Length * 64;
        ulong mix = Mix(scope);
        for (int i = 0; i < Probes; i++)
        {
            ulong bit = (BinaryPrimitives.ReadUInt32LittleEndian(key[(i * 4)..]) | ((ulong)key[28 + (i % 4)] << 32)) ^ mix;
            bit %= length;
            Interlocked.Or(ref _bits[bit >> 6], 1UL << (int)(bit & 63));
        }

        Interlocked.Increment(ref _count);
    }

    public bool MayContain(string scope, ReadOnlySpan<byte> key)
    {
        ulong length = (ulong)_bits.Length * 64;
        ulong mix = Mix(scope);
        for (int i = 0; i < Probes; i++)
        {
            ulong bit = (BinaryPrimitives.ReadUInt32LittleEndian(key[(i * 4)..]) | ((ulong)key[28 + (i % 4)] << 32)) ^ mix;
            bit %= length;
            if ((Volatile.Read(ref _bits[bit >> 6]) & (1UL << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    // The filter lives in this process only (rebuilt at every open), so the process-randomised string hash is fine.
    private static ulong Mix(string scope) => (ulong)(uint)scope.GetHashCode(StringComparison.Ordinal) * 0x9E3779B97F4A7C15UL;
}
