using SkiaSharp;
using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Tests;

public class RendererTests
{
    [Fact]
    public void Composer_PlacesObjectsWithoutOverlapInsideTheImage()
    {
        var composer = new SceneComposer(512, 384);
        for (int seed = 0; seed < 200; seed++)
        {
            var rng = new DeterministicRandom((ulong)seed);
            var scene = composer.Compose(rng, Enumerable.Range(0, 1 + (seed % 8)).Select(_ => new ObjectRequest()).ToList());
            foreach (var item in scene.Objects)
            {
                Assert.InRange(item.Box.X1, 0, 512);
                Assert.InRange(item.Box.X2, item.Box.X1 + 1, 512);
                Assert.InRange(item.Box.Y2, item.Box.Y1 + 1, 384);
            }

            for (int i = 0; i < scene.Objects.Count; i++)
            {
                for (int j = i + 1; j < scene.Objects.Count; j++)
                {
                    Assert.False(scene.Objects[i].Box.Touches(scene.Objects[j].Box), $"seed {seed}: objects {i} and {j} overlap");
                }
            }
        }
    }

    [Fact]
    public void Composer_HonoursRequestedAttributes_AndIsDeterministic()
    {
        var composer = new SceneComposer(256, 256);
        var red = NamedColor.Find("red")!;
        var requests = new[] { new ObjectRequest(ShapeKind.Star, red, SizeClass.Large), new ObjectRequest(ShapeKind.Circle) };
        var a = composer.Compose(new DeterministicRandom(5), requests);
        var b = composer.Compose(new DeterministicRandom(5), requests);
        Assert.Equal(a, b);
        Assert.Equal((ShapeKind.Star, red, SizeClass.Large), (a.Objects[0].Shape, a.Objects[0].Color, a.Objects[0].Size));
        Assert.Equal(ShapeKind.Circle, a.Objects[1].Shape);
    }

    /// <summary>Every style plain; the flat and outlined styles also with every texture and material.</summary>
    public static TheoryData<DrawingStyle, Texture, Material> Finishes()
    {
        var data = new TheoryData<DrawingStyle, Texture, Material>();
        foreach (var style in Enum.GetValues<DrawingStyle>())
        {
            bool finishes = style is DrawingStyle.Flat or DrawingStyle.Outlined;
            foreach (var texture in finishes ? Enum.GetValues<Texture>() : [Texture.Plain])
            {
                foreach (var material in finishes ? Enum.GetValues<Material>() : [Material.Matte])
                {
                    data.Add(style, texture, material);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Finishes))]
    public void EveryShape_IsDrawnInsideItsBoxAndTouchesAllFourSides(DrawingStyle style, Texture texture, Material material)
    {
        // One shape at a time on a plain background, in a box of the shape's own aspect: the pixels that differ from the
        // background must fill the ground-truth box to all four edges (within anti-aliasing) and never leave it.
        var background = new Background(BackgroundKind.Plain, NamedColor.Backgrounds[0], NamedColor.Backgrounds[1]);
        foreach (var shape in Enum.GetValues<ShapeKind>())
        {
            int height = 100;
            var box = new PixelBox(40, 50, 40 + (int)Math.Round(height * SceneComposer.Aspect(shape)), 50 + height);
            var scene = new SceneSpec { Width = 256, Height = 256, Background = background, Style = style,
                Objects = [new SceneObject(shape, NamedColor.Find("blue")!, SizeClass.Large, box, texture, material)] };
            using var bitmap = SKBitmap.Decode(ProceduralRenderer.Render(scene, ImageEncoding.Png));
            var pixels = bitmap.Pixels;
            var bg = pixels[0];
            int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
            for (int y = 0; y < 256; y++)
            {
                for (int x = 0; x < 256; x++)
                {
                    var p = pixels[(y * 256) + x];
                    if (Math.Abs(p.Red - bg.Red) + Math.Abs(p.Green - bg.Green) + Math.Abs(p.Blue - bg.Blue) > 60)
                    {
                        (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
                    }
                }
            }

            string what = $"{shape} {style} {texture} {material}";
            Assert.True(minX >= box.X1 - 1 && minY >= box.Y1 - 1 && maxX <= box.X2 && maxY <= box.Y2,
                $"{what}: drawn at [{minX},{minY},{maxX},{maxY}], box {box}");
            Assert.True(minX <= box.X1 + 2 && minY <= box.Y1 + 2 && maxX >= box.X2 - 3 && maxY >= box.Y2 - 3,
                $"{what}: drawn at [{minX},{minY},{maxX},{maxY}] does not reach box {box}");
        }
    }

    [Fact]
    public void PromptStandIns_UseTheColourShapeAndNumberWords()
    {
        var scene = new SceneComposer(512, 512).ForPrompt("((Red-rose)), two hearts, realistic", new DeterministicRandom(3));
        Assert.Equal(2, scene.Objects.Count);
        Assert.All(scene.Objects, o => Assert.Equal(("red", ShapeKind.Heart), (o.Color.Name, o.Shape)));
    }

    [Fact]
    public void NormalizedBoxes_UsePythonRounding() =>
        Assert.Equal([0.013, 0.037, 0.087, 1.0], new PixelBox(1, 3, 7, 80).Normalized(80, 80));
}
