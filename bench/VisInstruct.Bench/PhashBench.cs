using System.Diagnostics;
using System.Globalization;
using VisInstruct.Filters.Images;
using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Bench;

/// <summary>
/// The perceptual hash measured as issue 17 asks: recall of re-encoded (JPEG 60), resized (0.5x) and cropped (5 %)
/// copies, and the false-match rate among distinct procedural images, at each Hamming distance; then hashing
/// throughput from files on disk (decode included) on every core.
/// </summary>
internal static class PhashBench
{
    public static int Run(BenchOptions options)
    {
        int count = (int)options.GetLong("images", 2000);
        int size = (int)options.GetLong("size", 512);
        int maxDistance = (int)options.GetLong("max-distance", 12);
        string work = options.TryGet("work") ?? Path.Combine(Path.GetTempPath(), "visinstruct-phash");
        Directory.CreateDirectory(work);
        var composer = new SceneComposer(size, size);
        var originals = new byte[count][];
        Parallel.For(0, count, i => originals[i] = Render(composer, i));
        var files = new string[count];
        for (int i = 0; i < count; i++)
        {
            files[i] = Path.Combine(work, i.ToString("D5", CultureInfo.InvariantCulture) + ".jpg");
            File.WriteAllBytes(files[i], originals[i]);
        }

        // Throughput: hash the files (read, decode, hash), on every core, twice (the first warms the JIT and the page cache).
        var hashes = new ulong[count];
        double seconds = 0;
        for (int round = 0; round < 2; round++)
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, count, i => hashes[i] = PerceptualHash.ComputeFile(files[i]) ?? throw new InvalidDataException(files[i]));
            seconds = watch.Elapsed.TotalSeconds;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hashing: {count} JPEG files of {size}x{size} in {seconds:F2} s = {count / seconds:F0} images/s on "
                + $"{Environment.ProcessorCount} cores (decode included)"));

        var variants = new (string Name, Func<byte[], byte[]> Make)[]
        {
            ("re-encoded JPEG q60", b => ImageVariants.Reencode(b, 60)),
            ("resized 0.5x", b => ImageVariants.Resize(b, 0.5)),
            ("cropped 5 %", b => ImageVariants.Crop(b, 0.05)),
        };
        var copyDistances = variants.Select(v =>
        {
            var d = new int[count];
            Parallel.For(0, count, i => d[i] = PerceptualHash.Distance(hashes[i], PerceptualHash.Compute(v.Make(originals[i]))!.Value));
            return d;
        }).ToArray();

        // Distinct pairs: every pair of different images (the procedural scenes are all different draws).
        var pairCounts = new long[65];
        for (int i = 0; i < count; i++)
        {
            for (int j = i + 1; j < count; j++)
            {
                pairCounts[PerceptualHash.Distance(hashes[i], hashes[j])]++;
            }
        }

        long pairs = (long)count * (count - 1) / 2;
        Console.WriteLine($"distance | {string.Join(" | ", variants.Select(v => "recall " + v.Name))} | "
            + $"false matches among {pairs} distinct pairs | images with a false match");
        for (int d = 0; d <= maxDistance; d++)
        {
            var recalls = copyDistances.Select(c => (double)c.Count(x => x <= d) / count);
            long falsePairs = pairCounts.Take(d + 1).Sum();
            int withFalse = ImagesWithAMatch(hashes, d);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{d} | {string.Join(" | ", recalls.Select(r => r.ToString("P1", CultureInfo.InvariantCulture)))} | "
                    + $"{falsePairs} ({(double)falsePairs / pairs:P4}) | {withFalse} ({(double)withFalse / count:P2})"));
        }

        return 0;
    }

    private static int ImagesWithAMatch(ulong[] hashes, int distance)
    {
        int found = 0;
        for (int i = 0; i < hashes.Length; i++)
        {
            for (int j = 0; j < hashes.Length; j++)
            {
                if (i != j && PerceptualHash.Distance(hashes[i], hashes[j]) <= distance)
                {
                    found++;
                    break;
                }
            }
        }

        return found;
    }

    private static byte[] Render(SceneComposer composer, int index)
    {
        var rng = new DeterministicRandom(DeterministicRandom.DeriveSeed(17, index.ToString(CultureInfo.InvariantCulture)));
        var requests = Enumerable.Range(0, rng.NextInt(1, 7)).Select(_ => new ObjectRequest()).ToList();
        return ProceduralRenderer.Render(composer.Compose(rng, requests), ImageEncoding.Jpeg, 95);
    }
}
