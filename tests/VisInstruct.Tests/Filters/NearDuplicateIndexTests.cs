using VisInstruct.Filters.Images;
using VisInstruct.Randomness;

namespace VisInstruct.Tests.Filters;

public class NearDuplicateIndexTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(12)]
    public void FindsWhatComparingWithEveryStoredHashFinds(int distance)
    {
        var rng = new DeterministicRandom((ulong)(100 + distance));
        var stored = new List<ulong>();
        var index = new NearDuplicateIndex<int>(distance);
        for (int i = 0; i < 400; i++)
        {
            ulong hash = Next(rng);
            stored.Add(hash);
            index.Add(hash, i);
        }

        for (int q = 0; q < 2000; q++)
        {
            // Queries near stored hashes (a few bits flipped) and far from all of them.
            ulong query = q % 2 == 0 ? Flip(stored[rng.NextInt(0, stored.Count)], rng.NextInt(0, distance + 3), rng) : Next(rng);
            int best = -1, bestDistance = int.MaxValue;
            for (int i = 0; i < stored.Count; i++)
            {
                int d = PerceptualHash.Distance(query, stored[i]);
                if (d <= distance && d < bestDistance)
                {
                    (best, bestDistance) = (i, d);
                }
            }

            bool found = index.TryFindNearest(query, out int value, out int foundDistance);
            Assert.Equal(best >= 0, found);
            if (found)
            {
                Assert.Equal(best, value);
                Assert.Equal(bestDistance, foundDistance);
            }
        }
    }

    private static ulong Next(DeterministicRandom rng) => rng.NextUInt64();

    private static ulong Flip(ulong hash, int bits, DeterministicRandom rng)
    {
        for (int i = 0; i < bits; i++)
        {
            hash ^= 1UL << rng.NextInt(0, 64);
        }

        return hash;
    }
}
