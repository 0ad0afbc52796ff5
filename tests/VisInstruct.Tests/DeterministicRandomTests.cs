using VisInstruct.Randomness;


namespace VisInstruct.Tests;

public class DeterministicRandomTests
{
    [Fact]
    public void SameSeedAndKey_GiveTheSameSequence()
    {
        var a = DeterministicRandom.For(42, "sample/7");
        var b = DeterministicRandom.For(42, "sample/7");
        Assert.Equal(Enumerable.Range(0, 50).Select(_ => a.NextUInt64()), Enumerable.Range(0, 50).Select(_ => b.NextUInt64()));
    }

    [Fact]
    public void DifferentKeys_GiveDifferentSequences()
    {
        Assert.NotEqual(DeterministicRandom.DeriveSeed(42, "a"), DeterministicRandom.DeriveSeed(42, "b"));
        Assert.NotEqual(DeterministicRandom.DeriveSeed(42, "a"), DeterministicRandom.DeriveSeed(43, "a"));
    }

    [Fact]
    public void Sequence_IsPinned()
    {
        // The generator's output is part of the reproducibility contract: a seed must give the same data on any
        // machine and any .NET version. These are the first values of the published xoshiro256** seeded by
        // SplitMix64(1234), computed independently.
        var rng = new DeterministicRandom(1234);
        Assert.Equal([840842556444225107UL, 15548185570577040190UL, 12744864379734484625UL],
            new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() });
    }

    [Fact]
    public void NextInt_IsUniformEnough()
    {
        var rng = new DeterministicRandom(9);
        var counts = new int[3];
        for (int i = 0; i < 30000; i++)
        {
            counts[rng.NextInt(3)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9500, 10500));
    }
}
