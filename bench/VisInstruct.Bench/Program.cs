using System.Diagnostics;
using System.Globalization;
using VisInstruct.Bench;

// Each benchmark runs in its own process so that its peak memory is its own.
if (args.Length == 0)
{
    Console.Error.WriteLine("""
        usage: VisInstruct.Bench <benchmark> [options]
          make-ability-file --entries N --out FILE      write a realistic N-entry StableLLaVA ability file
          convert-stablellava --input FILE|DIR --out PATH   time `convert stablellava` in this process
          llm-throughput --in-flight N --endpoints E [--latency-ms 200] [--seconds 6]   the LLM client against loopback servers
          recipe-server --url-file FILE [--latency-ms 200]   an OpenAI-compatible server answering both recipes after the latency (GET
        """
        + """
         /count: requests)
          render [--images N] [--size 512] [--sample DIR]   the procedural renderer, images per second
          make-annotations --out DIR [--images 108077]   write a Visual Genome-scale SVIT annotation set (+ COCO captions)
          annotations --dir DIR [--threads N]   open it as an AnnotationSet and build every image's SVIT context
          phash [--images 2000] [--size 512]   perceptual hash: recall of altered copies, false matches, images/s
        """);
    return 2;
}

var options = BenchOptions.Parse(args[1..]);
return args[0] switch
{
    "make-ability-file" => AbilityFileBench.Make(options),
    "convert-stablellava" => AbilityFileBench.Convert(options),
    "llm-throughput" => await LlmThroughputBench.RunAsync(options).ConfigureAwait(false),
    "recipe-server" => await RecipeServerBench.RunAsync(options).ConfigureAwait(false),
    "render" => RenderBench.Run(options),
    "make-annotations" => AnnotationsBench.Make(options),
    "annotations" => AnnotationsBench.Measure(options),
    "phash" => PhashBench.Run(options),
    _ => throw new ArgumentException("unknown benchmark " + args[0]),
};

namespace VisInstruct.Bench
{
    /// <summary>--name value pairs.</summary>
    internal sealed class BenchOptions(Dictionary<string, string> values)
    {
        public static BenchOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i + 1 < args.Length; i += 2)
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }

            return new BenchOptions(values);
        }

        public string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException("missing --" + name);

        public long GetLong(string name) => long.Parse(Get(name), CultureInfo.InvariantCulture);

        public long GetLong(string name, long fallback) => values.ContainsKey(name) ? GetLong(name) : fallback;

        public string? TryGet(string name) => values.TryGetValue(name, out var v) ? v : null;
    }

    /// <summary>What one run measured.</summary>
    internal static class Measure
    {
        public static void Report(string name, long items, string unit, TimeSpan elapsed, long bytes)
        {
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            double seconds = elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {items} {unit} in {seconds:F2} s = {items / seconds:F0} {unit}/s, {bytes / seconds / 1e6:F1} MB/s, peak RSS "
                    + $"{self.PeakWorkingSet64 / 1e6:F0} MB"));
        }
    }
}
