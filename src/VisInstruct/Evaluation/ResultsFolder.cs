using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.Engine;

namespace VisInstruct.Evaluation;

/// <summary>
/// An evaluation results folder: one <c>&lt;benchmark&gt;.json</c> and <c>&lt;benchmark&gt;.md</c> per scored benchmark, its
/// chart (<c>&lt;benchmark&gt;.svg</c> and <c>.png</c>, when a font is found: <see cref="Charts"/>), and
/// <c>summary.md</c>, a table of every benchmark's headline figures, rewritten from the JSON files after each score.
/// Files are written to a temporary name and renamed, so an interrupted write leaves the old file.
/// </summary>
public static class ResultsFolder
{
    public const string Summary = "summary.md";

    /// <summary>The score as indented JSON, with where its answers came from.</summary>
    public static byte[] Json(BenchmarkScore score, string answersFile, string? model)
    {
        ArgumentNullException.ThrowIfNull(score);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("answers", answersFile);
            if (model is not null)
            {
                writer.WriteString("model", model);
            }

            writer.WriteString("scorer", $"{ToolInfo.Name} {ToolInfo.Version}");
            writer.WritePropertyName("result");
            score.WriteJson(writer);
            writer.WriteStartArray("headline");
            foreach (var (name, value) in score.Headline)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteNumber("value", double.IsNaN(value) ? 0 : value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Writes the score's files into <paramref name="directory"/> and rewrites the summary.</summary>
    public static void Write(string directory, BenchmarkScore score, string answersFile, string? model)
    {
        ArgumentNullException.ThrowIfNull(score);
        Directory.CreateDirectory(directory);
        Save(Path.Combine(directory, score.Benchmark + ".json"), Json(score, answersFile, model));
        Save(Path.Combine(directory, score.Benchmark + ".md"), Encoding.UTF8.GetBytes(score.Markdown()));
        Save(Path.Combine(directory, Summary), Encoding.UTF8.GetBytes(SummaryOf(directory)));
        string title = score.Benchmark + (model is null ? "" : " - " + model);
        Charts.Bars(Path.Combine(directory, score.Benchmark), title, score.ChartBars, score.ChartUnit);
        if (score.Radar)
        {
            Charts.Radar(Path.Combine(directory, score.Benchmark + "-radar"), title,
                [.. score.ChartBars.Select(b => (b.Label, b.Value / 100))]);
        }
    }

    /// <summary>The summary table of every <c>*.json</c> score in the folder.</summary>
    public static string SummaryOf(string directory)
    {
        var sb = new StringBuilder("# Evaluation summary\n\n| benchmark | figure | value | model | answers | scorer |\n");
        sb.Append("|---|---|---:|---|---|---|\n");
        foreach (string file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            if (!root.TryGetProperty("headline", out var headline) || !root.TryGetProperty("result", out var result))
            {
                continue;
            }

            string model = root.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "";
            foreach (var figure in headline.EnumerateArray())
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {result.GetProperty("benchmark").GetString()} | ")
                    .Append(CultureInfo.InvariantCulture, $"{figure.GetProperty("name").GetString()} | ")
                    .Append(figure.GetProperty("value").GetDouble().ToString("F2", CultureInfo.InvariantCulture))
                    .Append(CultureInfo.InvariantCulture, $" | {model} | {root.GetProperty("answers").GetString()} | ")
                    .Append(CultureInfo.InvariantCulture, $"{root.GetProperty("scorer").GetString()} |\n");
            }
        }

        return sb.ToString();
    }

    private static void Save(string path, byte[] bytes)
    {
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
