using System.Diagnostics;
using VisInstruct.Conversion;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Randomness;

namespace VisInstruct.Bench;

/// <summary>The StableLLaVA conversion at scale: a generated ability file of N entries shaped like the released ones.</summary>
internal static class AbilityFileBench
{
    private static readonly string[] Instructions =
    [
        "Describe the image concisely.", "Provide a brief description of the given image.", "Summarize the visual content of the image.",
        "Share a concise interpretation of the image provided.", "Render a clear and concise summary of the photo.",
    ];

    private static readonly string[] Subjects = ["Peacock", "Yellow-lemon", "barber", "Red-rose", "Golden retriever", "Oak table", "Tram"];
    private static readonly string[] Modifiers =
        ["realistic", "detailed shading", "8k", "vibrant", "soft light", "dramatic lighting", "intricate details"];

    public static int Make(BenchOptions options)
    {
        long entries = options.GetLong("entries");
        string output = options.Get("out");
        var rng = new DeterministicRandom(7);
        var watch = Stopwatch.StartNew();
        using (var stream = File.Create(output))
        using (var writer =
            new RecordFileWriter<StableLlavaEntry>(stream, JsonRecordLayout.Array, JsonStyle.Compact.WithAscii(true), FormatWriter.Write))
        {
            for (long i = 0; i < entries; i++)
            {
                string id = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string subject = rng.Pick(Subjects);
                string prompt = $"(({subject})), {rng.Pick(Modifiers)}, {rng.Pick(Modifiers)}, {rng.Pick(Modifiers)}";
                string instruction = rng.Pick(Instructions);
                writer.Write(new StableLlavaEntry
                {
                    Id = id,
                    Image = "bench/" + id + ".jpg",
                    Prompt = prompt,
                    Question = rng.NextBool() ? "<image>\n" + instruction : instruction + "\n<image>",
                    Answer = $"A {subject.ToLowerInvariant()} is shown in the image with {rng.Pick(Modifiers)} and a calm background.",
                });
            }

            writer.Complete();
        }

        Console.WriteLine(
            $"wrote {entries} entries ({new FileInfo(output).Length / 1e6:F0} MB) to {output} in {watch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    public static int Convert(BenchOptions options)
    {
        string input = options.Get("input");
        string output = options.Get("out");
        long bytes = File.Exists(input)
            ? new FileInfo(input).Length
            : Directory.EnumerateFiles(input, "*.json").Sum(f => new FileInfo(f).Length);
        var watch = Stopwatch.StartNew();
        var report = StableLlavaConversion.Run(new StableLlavaConversionOptions { PromptPath = input, SavePath = output });
        watch.Stop();
        Measure.Report("convert stablellava", report.Written, "entries", watch.Elapsed, bytes);
        return 0;
    }
}
