using System.Text.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Report;

/// <summary>
/// One generated dataset shared by the report tests (25 samples of each of the ten offline abilities: 250 samples in
/// three chunks of the browser, single- and multi-image), made once per test run and only read by the tests.
/// </summary>
internal static class ReportFixture
{
    public const int PerAbility = 25;

    private static readonly Lazy<string> Folder = new(() =>
    {
        string root = Path.Combine(Path.GetTempPath(), "visinstruct-tests", "report-" + Guid.NewGuid().ToString("N"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        string dataset = Path.Combine(root, "dataset");
        var result = CliRunner.Run("generate", "--out", dataset, "--count",
            PerAbility.ToString(System.Globalization.CultureInfo.InvariantCulture), "--quiet");
        Assert.True(result.ExitCode == 0, result.Error);
        return dataset;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The dataset folder (do not write into it; give reports their own --out).</summary>
    public static string Dataset => Folder.Value;

    /// <summary>The samples of the dataset's training files, read with System.Text.Json: (id, image paths), in file order.</summary>
    public static IReadOnlyList<(string Id, IReadOnlyList<string> Images)> Samples()
    {
        var samples = new List<(string, IReadOnlyList<string>)>();
        foreach (string file in new[] { "llava.json", "llava_multi.json" })
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Dataset, file)));
            foreach (var sample in document.RootElement.EnumerateArray())
            {
                var image = sample.GetProperty("image");
                IReadOnlyList<string> images = image.ValueKind == JsonValueKind.String ? [image.GetString()!]
                    : [.. image.EnumerateArray().Select(i => i.GetString()!)];
                samples.Add((sample.GetProperty("id").GetString()!, images));
            }
        }

        return samples;
    }

    /// <summary>The ability of a StableLLaVA id (<c>color_000012</c>: <c>color</c>).</summary>
    public static string Ability(string id) => id[..id.LastIndexOf('_')];

    /// <summary>Every sample record in a report's chunks of one key (<c>all</c>, <c>g0</c>, ...), in chunk order.</summary>
    public static List<JsonElement> Chunks(string report, string key)
    {
        var records = new List<JsonElement>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(report, "data"), key + "-*.js").Order(StringComparer.Ordinal))
        {
            string text = File.ReadAllText(file);
            string prefix = $"visinstructChunk(\"{key}\",";
            Assert.StartsWith(prefix, text, StringComparison.Ordinal);
            Assert.EndsWith("]);\n", text, StringComparison.Ordinal);
            int open = text.IndexOf('[', StringComparison.Ordinal);
            using var document = JsonDocument.Parse(text[open..^3]);
            records.AddRange(document.RootElement.EnumerateArray().Select(e => e.Clone()));
        }

        return records;
    }

    /// <summary>The sample browser's index embedded in the page.</summary>
    public static JsonElement Index(string report)
    {
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        const string start = "<script type=\"application/json\" id=\"visinstruct-index\">";
        int from = html.IndexOf(start, StringComparison.Ordinal) + start.Length;
        int to = html.IndexOf("</script>", from, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(html[from..to].Replace("<\\/", "</", StringComparison.Ordinal));
        return document.RootElement.Clone();
    }
}
