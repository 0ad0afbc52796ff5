using System.Text.Json;
using VisInstruct.Rendering;

namespace VisInstruct.Tests.Recipes.Verification;

/// <summary>
/// Reads a StableLLaVA output folder back: each sample's turns (from <c>llava.json</c> and <c>llava_multi.json</c>)
/// and each image's scene (from <c>images/provenance.jsonl</c>), as the verifier needs them.
/// </summary>
internal static class OutputScenes
{
    public sealed record Sample(string Id, List<SceneSpec> Scenes, List<(string Question, string Answer)> Turns);

    public static List<Sample> Read(string folder)
    {
        var scenes = new Dictionary<string, List<SceneSpec>>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(Path.Combine(folder, "images", "provenance.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            string id = doc.RootElement.GetProperty("sample").GetString()!;
            if (doc.RootElement.TryGetProperty("scene", out var scene))
            {
                if (!scenes.TryGetValue(id, out var list))
                {
                    scenes[id] = list = [];
                }

                list.Add(Scene(scene));
            }
        }

        var samples = new List<Sample>();
        foreach (string file in new[] { "llava.json", "llava_multi.json" })
        {
            string path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var sample in doc.RootElement.EnumerateArray())
            {
                string id = sample.GetProperty("id").GetString()!;
                var turns = new List<(string, string)>();
                var conversation = sample.GetProperty("conversations").EnumerateArray()
                    .Select(t => t.GetProperty("value").GetString()!).ToList();
                for (int i = 0; i + 1 < conversation.Count; i += 2)
                {
                    turns.Add((conversation[i].Replace("<image>\n", "", StringComparison.Ordinal)
                        .Replace("\n<image>", "", StringComparison.Ordinal), conversation[i + 1]));
                }

                samples.Add(new Sample(id, scenes.GetValueOrDefault(id) ?? [], turns));
            }
        }

        return samples;
    }

    /// <summary>A texture as provenance writes it (<c>checkered</c> for the checked one).</summary>
    private static Texture TextureOf(string word) => word == "checkered" ? Texture.Checked : Enum.Parse<Texture>(word, true);

    /// <summary>A scene as provenance writes it; texture, material and occlusions where it has them.</summary>
    public static SceneSpec Scene(JsonElement e)
    {
        string[] background = e.GetProperty("background").GetString()!.Split(' ', 2);
        string[] colors = background[1].Split('/');
        var objects = new List<SceneObject>();
        foreach (var o in e.GetProperty("objects").EnumerateArray())
        {
            var box = o.GetProperty("box_px").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            objects.Add(new SceneObject(ShapeNames.Parse(o.GetProperty("shape").GetString()!)!.Value,
                NamedColor.Find(o.GetProperty("color").GetString()!)!, Enum.Parse<SizeClass>(o.GetProperty("size").GetString()!, true),
                new PixelBox(box[0], box[1], box[2], box[3]),
                o.TryGetProperty("texture", out var t) ? TextureOf(t.GetString()!) : Texture.Plain,
                o.TryGetProperty("material", out var m) ? Enum.Parse<Material>(m.GetString()!, true) : Material.Matte));
        }

        var occlusions = new List<Occlusion>();
        if (e.TryGetProperty("occlusions", out var occ))
        {
            occlusions.AddRange(occ.EnumerateArray().Select(x => new Occlusion(x.GetProperty("front").GetInt32(),
                x.GetProperty("back").GetInt32(), x.GetProperty("covered").GetDouble())));
        }

        return new SceneSpec
        {
            Width = e.GetProperty("width").GetInt32(),
            Height = e.GetProperty("height").GetInt32(),
            Background = new Background(Enum.Parse<BackgroundKind>(background[0], true), Color(colors[0]), Color(colors[1])),
            Style = Enum.Parse<DrawingStyle>(e.GetProperty("style").GetString()!, true),
            Objects = objects,
            Occlusions = occlusions,
        };
    }

    private static NamedColor Color(string name) =>
        NamedColor.Backgrounds.Concat(NamedColor.Palette).First(c => c.Name == name);
}
