using System.Globalization;
using VisInstruct.Filters.Images;
using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Tests.Filters;

public class PerceptualHashTests
{
    [Fact]
    public void AFlatImageSetsOnlyTheDcBit()
    {
        // Every AC coefficient of a flat image is 0, so their median is 0 and only the DC coefficient (bit 63) is above it.
        var grey = Enumerable.Repeat(128f, 100 * 70).ToArray();
        Assert.Equal(1UL << 63, PerceptualHash.FromGrey(grey, 100, 70));
    }

    [Fact]
    public void TheBitsAreTheLowDctCoefficientsAboveTheirMedianComputedDirectly()
    {
        // An independent reading of the rule: the 2-D DCT-II straight from its definition (no separable passes) over a
        // 32x32 image, whose reduction to 32x32 is the identity.
        var rng = new DeterministicRandom(5);
        for (int trial = 0; trial < 5; trial++)
        {
            var grey = new float[32 * 32];
            for (int i = 0; i < grey.Length; i++)
            {
                grey[i] = rng.NextInt(0, 256);
            }

            var low = new double[64];
            for (int u = 0; u < 8; u++)
            {
                for (int v = 0; v < 8; v++)
                {
                    double sum = 0;
                    for (int y = 0; y < 32; y++)
                    {
                        for (int x = 0; x < 32; x++)
                        {
                            sum += grey[(y * 32) + x] * Math.Cos(Math.PI * ((2 * y) + 1) * u / 64)
                                * Math.Cos(Math.PI * ((2 * x) + 1) * v / 64);
                        }
                    }

                    low[(u * 8) + v] = sum;
                }
            }

            var sorted = low.Order().ToArray();
            double median = (sorted[31] + sorted[32]) / 2;
            ulong expected = 0;
            foreach (double c in low)
            {
                expected = (expected << 1) | (c > median ? 1UL : 0UL);
            }

            Assert.Equal(expected, PerceptualHash.FromGrey(grey, 32, 32));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void AreaAveragingMakesAnUpscaledImageHashTheSame(int factor)
    {
        var rng = new DeterministicRandom(11);
        var small = new float[32 * 32];
        for (int i = 0; i < small.Length; i++)
        {
            small[i] = rng.NextInt(0, 256);
        }

        int side = 32 * factor;
        var large = new float[side * side];
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                large[(y * side) + x] = small[((y / factor) * 32) + (x / factor)];
            }
        }

        Assert.Equal(PerceptualHash.FromGrey(small, 32, 32), PerceptualHash.FromGrey(large, side, side));
    }

    [Fact]
    public void AlteredCopiesOfRenderedImagesStayWithinTheDefaultDistance()
    {
        // Measured in full by bench (VisInstruct.Bench phash, BENCHMARKS.md); here 120 scenes hold the floor: every
        // re-encoded and resized copy within 6 bits, most 5 % crops too, and distinct scenes rarely that close.
        var composer = new SceneComposer(512, 512);
        var originals = Enumerable.Range(0, 120).Select(i => Render(composer, i)).ToArray();
        var hashes = originals.Select(o => PerceptualHash.Compute(o)!.Value).ToArray();
        int reencoded = 0, resized = 0, cropped = 0;
        for (int i = 0; i < originals.Length; i++)
        {
            reencoded += Near(hashes[i], ImageVariants.Reencode(originals[i], 60));
            resized += Near(hashes[i], ImageVariants.Resize(originals[i], 0.5));
            cropped += Near(hashes[i], ImageVariants.Crop(originals[i], 0.05));
        }

        Assert.Equal(originals.Length, reencoded);
        Assert.Equal(originals.Length, resized);
        Assert.True(cropped >= originals.Length * 0.7, $"{cropped} of {originals.Length} crops within 6 bits");
        int falsePairs = 0;
        for (int i = 0; i < hashes.Length; i++)
        {
            for (int j = i + 1; j < hashes.Length; j++)
            {
                falsePairs += PerceptualHash.Distance(hashes[i], hashes[j]) <= 6 ? 1 : 0;
            }
        }

        Assert.True(falsePairs <= 3, $"{falsePairs} distinct pairs within 6 bits");
    }

    [Fact]
    public void AnUndecodableImageHasNoHash() => Assert.Null(PerceptualHash.Compute("not an image"u8));

    private static int Near(ulong hash, byte[] copy) => PerceptualHash.Distance(hash, PerceptualHash.Compute(copy)!.Value) <= 6 ? 1 : 0;

    private static byte[] Render(SceneComposer composer, int index)
    {
        var rng = new DeterministicRandom(DeterministicRandom.DeriveSeed(23, index.ToString(CultureInfo.InvariantCulture)));
        var requests = Enumerable.Range(0, rng.NextInt(1, 7)).Select(_ => new ObjectRequest()).ToList();
        return ProceduralRenderer.Render(composer.Compose(rng, requests), ImageEncoding.Jpeg, 95);
    }
}
