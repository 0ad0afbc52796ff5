using System.Text.Json;
using SkiaSharp;
using VisInstruct.Json;
using VisInstruct.Randomness;
using VisInstruct.Recipes.StableLlava;
using VisInstruct.Rendering;

namespace VisInstruct.Tests;

/// <summary>Scenes with overlapping objects: the covered shares are exact, bounded and complete, and objects stay countable.</summary>
public class SceneOverlapTests
{
    private static readonly Background White = new(BackgroundKind.Plain, new NamedColor("white", 255, 255, 255),
        NamedColor.Backgrounds[0]);

    private static IEnumerable<SceneSpec> OverlapScenes(int count)
    {
        var composer = new SceneComposer(512, 512);
        for (int seed = 0; seed < count; seed++)
        {
            var rng = new DeterministicRandom((ulong)(1000 + seed));
            var requests = Enumerable.Range(0, 2 + (seed % 5)).Select(_ => new ObjectRequest()).ToList();
            yield return composer.Compose(rng, requests, overlap: true);
        }
    }

    /// <summary>The pixels one object paints, found by rendering it alone, black and plain, on white, in its scene's style.</summary>
    private static bool[] RenderedMask(SceneSpec scene, SceneObject item)
    {
        var alone = scene with
        {
            Background = White,
            Objects = [item with { Color = NamedColor.Find("black")!, Texture = Texture.Plain, Material = Material.Matte }],
            Occlusions = [],
        };
        using var bitmap = SKBitmap.Decode(ProceduralRenderer.Render(alone, ImageEncoding.Png));
        return bitmap.Pixels.Select(p => p.Red + p.Green + p.Blue < 3 * 140).ToArray();
    }

    [Fact]
    public void OverlapScenes_ListEveryOverlap_WithCoveredSharesRecountedFromRenderedMasks()
    {
        int occlusions = 0;
        foreach (var scene in OverlapScenes(60))
        {
            Assert.NotEqual(DrawingStyle.Sketch, scene.Style);
            var masks = scene.Objects.Select(o => RenderedMask(scene, o)).ToList();
            for (int back = 0; back < scene.Objects.Count; back++)
            {
                for (int front = back + 1; front < scene.Objects.Count; front++)
                {
                    int shared = Enumerable.Range(0, masks[back].Length).Count(i => masks[back][i] && masks[front][i]);
                    var listed = scene.Occlusions.SingleOrDefault(o => o.Front == front && o.Back == back);
                    Assert.True(listed is not null == shared > 0, $"objects {back} and {front} share {shared} pixels; listed: {listed}");
                    if (listed is not null)
                    {
                        double recount = (double)shared / masks[back].Count(b => b);
                        Assert.InRange(listed.Covered, SceneComposer.MinCovered, SceneComposer.MaxCovered);
                        Assert.True(Math.Abs(recount - listed.Covered) <= 0.01, $"{listed}: rendered masks give {recount:0.0000}");
                        Assert.NotEqual(scene.Objects[back].Color, scene.Objects[front].Color);
                        occlusions++;
                    }
                }
            }

            // No object overlaps more than one other, and pairs that are not listed keep apart by their boxes as well.
            var involved = scene.Occlusions.SelectMany(o => new[] { o.Front, o.Back }).ToList();
            Assert.Equal(involved.Count, involved.Distinct().Count());
        }

        Assert.True(occlusions > 40, $"only {occlusions} overlaps in 60 scenes");
    }

    [Fact]
    public void OverlapScenes_KeepEveryObjectVisible_SoCountsStayExact()
    {
        // Flat, plain scenes of distinct colours: each object's colour must still show on most of its own pixels.
        var composer = new SceneComposer(512, 512);
        for (int seed = 0; seed < 30; seed++)
        {
            var rng = new DeterministicRandom((ulong)(2000 + seed));
            var colors = NamedColor.Palette.ToList();
            rng.Shuffle(colors);
            var requests = Enumerable.Range(0, 3 + (seed % 4))
                .Select(i => new ObjectRequest(Color: colors[i], Texture: Texture.Plain, Material: Material.Matte)).ToList();
            var scene = composer.Compose(rng, requests, DrawingStyle.Flat, overlap: true);
            using var bitmap = SKBitmap.Decode(ProceduralRenderer.Render(scene, ImageEncoding.Png));
            var pixels = bitmap.Pixels;
            var masks = scene.Objects.Select(o => RenderedMask(scene, o)).ToList();
            for (int i = 0; i < scene.Objects.Count; i++)
            {
                var c = scene.Objects[i].Color;
                int own = masks[i].Count(b => b);
                bool Shows(SKColor p) => Math.Abs(p.Red - c.R) + Math.Abs(p.Green - c.G) + Math.Abs(p.Blue - c.B) < 90;
                int showing = Enumerable.Range(0, pixels.Length).Count(p => masks[i][p] && Shows(pixels[p]));
                double covered = scene.Occlusions.Where(o => o.Back == i).Sum(o => o.Covered);
                Assert.True(showing >= own * (1 - covered) * 0.85 && showing >= own / 2,
                    $"seed {seed}: {c.Name} {scene.Objects[i].ShapeName} shows on {showing} of its {own} pixels (covered {covered:0.00})");
            }
        }
    }

    [Fact]
    public void WithoutOverlap_NothingOverlaps_AndOverlapScenesAreDeterministic()
    {
        var composer = new SceneComposer(512, 384);
        for (int seed = 0; seed < 40; seed++)
        {
            var requests = Enumerable.Range(0, 1 + (seed % 7)).Select(_ => new ObjectRequest()).ToList();
            Assert.Empty(composer.Compose(new DeterministicRandom((ulong)seed), requests).Occlusions);
            var a = composer.Compose(new DeterministicRandom((ulong)seed), requests, overlap: true);
            var b = composer.Compose(new DeterministicRandom((ulong)seed), requests, overlap: true);
            Assert.Equal(a, b);
            Assert.Equal(ProceduralRenderer.Render(a, ImageEncoding.Png), ProceduralRenderer.Render(b, ImageEncoding.Png));
        }
    }

    [Fact]
    public void SceneTruth_WritesTextureMaterialBackgroundWordsAndOcclusions_AfterTheOldKeys()
    {
        var red = NamedColor.Find("red")!;
        var blue = NamedColor.Find("blue")!;
        var scene = new SceneSpec
        {
            Width = 200, Height = 200, Style = DrawingStyle.Flat,
            Background = new Background(BackgroundKind.Horizon, NamedColor.Backgrounds[2], NamedColor.Backgrounds[3]),
            Objects =
            [
                new SceneObject(ShapeKind.Circle, red, SizeClass.Large, new PixelBox(10, 10, 90, 90)),
                new SceneObject(ShapeKind.Star, blue, SizeClass.Medium, new PixelBox(60, 60, 120, 120), Texture.Striped, Material.Glossy),
            ],
            Occlusions = [new Occlusion(1, 0, 0.23456)],
        };
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            SceneTruth.Write(writer, scene);
        }

        using var json = JsonDocument.Parse(buffer.ToArray());
        var root = json.RootElement;
        Assert.Equal(["width", "height", "background", "style", "objects", "background_words", "occlusions"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["shape", "color", "size", "box_px", "box", "texture", "material"],
            root.GetProperty("objects")[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal(("striped", "glossy"), (root.GetProperty("objects")[1].GetProperty("texture").GetString(),
            root.GetProperty("objects")[1].GetProperty("material").GetString()));
        Assert.Equal(("plain", "matte"), (root.GetProperty("objects")[0].GetProperty("texture").GetString(),
            root.GetProperty("objects")[0].GetProperty("material").GetString()));
        Assert.Equal("a horizon background, pale blue sky above pale green ground", root.GetProperty("background_words").GetString());
        var occlusion = root.GetProperty("occlusions")[0];
        Assert.Equal((1, 0, 0.235), (occlusion.GetProperty("front").GetInt32(), occlusion.GetProperty("back").GetInt32(),
            occlusion.GetProperty("covered").GetDouble()));
        // The words a dialogue writer reads name the finish in order (size, texture, material, colour, shape) and the overlap.
        string facts = SceneWords.Describe(scene);
        Assert.Contains("a medium striped glossy blue star", facts);
        Assert.Contains("the blue star partly covers the red circle", facts);
        Assert.Contains("a horizon background, pale blue sky above pale green ground", facts);
        Assert.StartsWith("((Red circle)), striped glossy blue star, a horizon background", SceneWords.Prompt(scene));
        Assert.Contains("striped glossy blue star", SceneWords.Caption(scene));
    }

    [Fact]
    public void BackgroundWords_NameEveryKindWithItsTones()
    {
        var words = Enum.GetValues<BackgroundKind>()
            .Select(k => SceneWords.Background(new Background(k, NamedColor.Backgrounds[4], NamedColor.Backgrounds[5]))).ToList();
        Assert.Equal(words.Count, words.Distinct().Count());
        Assert.All(words, w => Assert.Contains("cream", w));
        Assert.All(words.Skip(1), w => Assert.Contains("lavender", w));
        Assert.Contains("dots", words[(int)BackgroundKind.Dots]);
        Assert.Contains("grid", words[(int)BackgroundKind.Grid]);
        Assert.Contains("diagonal", words[(int)BackgroundKind.Diagonal]);
        Assert.Contains("waves", words[(int)BackgroundKind.Waves]);
    }
}
