using System.Diagnostics;
using System.Globalization;
using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Bench;

/// <summary>Procedural images per second: compose a scene, draw it, encode it (JPEG), on every core.</summary>
internal static class RenderBench
{
    public static int Run(BenchOptions options)
    {
        int count = (int)options.GetLong("images", 2000);
        int size = (int)options.GetLong("size", 512);
        string? sample = options.TryGet("sample");
        var composer = new SceneComposer(size, size);
        Render(composer, 0, 50);
        long bytes = 0;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            Interlocked.Add(ref bytes, Render(composer, i, count).Length);
        });
        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"procedural {size}x{size} JPEG: {count} images in {watch.Elapsed.TotalSeconds:F2} s = "
                + $"{count / watch.Elapsed.TotalSeconds:F0} images/s on {Environment.ProcessorCount} cores, {bytes / count / 1024.0:F0} "
                + $"KiB each"));
        if (sample is not null)
        {
            Directory.CreateDirectory(sample);
            for (int i = 0; i < 8; i++)
            {
                File.WriteAllBytes(Path.Combine(sample, $"scene{i}.jpg"), Render(composer, i, 0));
            }
        }

        return 0;
    }

    private static byte[] Render(SceneComposer composer, int index, int _)
    {
        var rng = new DeterministicRandom(DeterministicRandom.DeriveSeed(7, index.ToString(CultureInfo.InvariantCulture)));
        var requests = Enumerable.Range(0, rng.NextInt(1, 7)).Select(_ => new ObjectRequest()).ToList();
        return ProceduralRenderer.Render(composer.Compose(rng, requests), ImageEncoding.Jpeg, 95);
    }
}
