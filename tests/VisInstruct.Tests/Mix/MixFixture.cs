using System.Text.Json;
using System.Text.Json.Nodes;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Mix;

/// <summary>
/// The sources the mix tests share: a generated StableLLaVA folder and an SVIT-style LLaVA file over a data root
/// (<c>vg/</c> and <c>coco/</c> images copied from the generated ones) with repeated ids, one exact duplicate under a
/// second image path, one planted bad record and one text-only sample.
/// </summary>
public sealed class MixFixture : IDisposable
{
    private readonly TempDir _temp = new();

    public MixFixture()
    {
        var run = CliRunner.Run("generate", "--out", Generated, "--count", "4", "--seed", "5", "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        var images = Directory.EnumerateFiles(System.IO.Path.Combine(Generated, "images"), "*.jpg", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Take(6).ToList();
        var records = new JsonArray();
        for (int i = 0; i < 12; i++)
        {
            string folder = i % 2 == 0 ? "vg/VG_100K" : "coco/train2017";
            string name = $"{folder}/{i}.jpg";
            Directory.CreateDirectory(System.IO.Path.Combine(DataRoot, folder));
            File.Copy(images[i % images.Count], System.IO.Path.Combine(DataRoot, name), overwrite: true);
            // Ids repeat, as in LLaVA-665K: 0..5 twice.
            records.Add(Record((i % 6).ToString(System.Globalization.CultureInfo.InvariantCulture), name, $"What is shown in scene {i}?",
                $"Scene {i}."));
        }

        // The same bytes as vg/VG_100K/0.jpg under another path, with the same dialogue: an exact duplicate.
        File.Copy(System.IO.Path.Combine(DataRoot, "vg/VG_100K/0.jpg"), System.IO.Path.Combine(DataRoot, "coco/train2017/copy-of-0.jpg"));
        records.Add(Record("dup", "coco/train2017/copy-of-0.jpg", "What is shown in scene 0?", "Scene 0."));
        records.Add(new JsonObject
        {
            ["id"] = "bad", ["image"] = "coco/train2017/1.jpg",
            ["conversations"] = new JsonArray(Turn("human", "No token here."), Turn("gpt", "So it would crash.")),
        });
        records.Add(new JsonObject
        {
            ["id"] = "text", ["conversations"] = new JsonArray(Turn("human", "Say hello."), Turn("gpt", "Hello.")),
        });
        Directory.CreateDirectory(_temp.File("svit"));
        File.WriteAllText(SvitFile, records.ToJsonString());
    }

    /// <summary>The generated StableLLaVA folder.</summary>
    public string Generated => _temp.File("gen");

    /// <summary>The SVIT-style file's image root (LLaVA's --image_folder for it).</summary>
    public string DataRoot => _temp.File("data");

    public string SvitFile => _temp.File("svit", "svit_mix.json");

    /// <summary>The usable records of the SVIT-style file: 12 + the text-only one (the duplicate and the bad one are not).</summary>
    public const int SvitUsable = 13;

    public void Dispose() => _temp.Dispose();

    /// <summary>Every record of a JSON array file, read with System.Text.Json (not this tool's reader).</summary>
    internal static List<JsonElement> Records(string file) =>
        File.Exists(file) ? [.. JsonDocument.Parse(File.ReadAllBytes(file)).RootElement.EnumerateArray().Select(e => e.Clone())] : [];

    /// <summary>The dialogue of a record as one string (its identity for these tests).</summary>
    internal static string Dialogue(JsonElement record) =>
        string.Join("\u0001", record.GetProperty("conversations").EnumerateArray().Select(t => t.GetProperty("value").GetString()));

    internal static IReadOnlyList<string> Images(JsonElement record) =>
        !record.TryGetProperty("image", out var image) ? []
            : image.ValueKind == JsonValueKind.Array ? [.. image.EnumerateArray().Select(e => e.GetString()!)] : [image.GetString()!];

    private static JsonObject Record(string id, string image, string question, string answer) => new()
    {
        ["id"] = id, ["image"] = image,
        ["conversations"] = new JsonArray(Turn("human", "<image>\n" + question), Turn("gpt", answer)),
    };

    private static JsonObject Turn(string from, string value) => new() { ["from"] = from, ["value"] = value };
}
