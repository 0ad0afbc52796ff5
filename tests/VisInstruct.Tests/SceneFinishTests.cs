using SkiaSharp;
using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Tests;

/// <summary>Textures, materials and backgrounds as drawn: colours stay nameable, glass is see-through, backgrounds are pale.</summary>
public class SceneFinishTests
{
    private static readonly Background Plain = new(BackgroundKind.Plain, NamedColor.Backgrounds[0], NamedColor.Backgrounds[1]);

    private static SKColor[] Draw(SceneSpec scene)
    {
        using var bitmap = SKBitmap.Decode(ProceduralRenderer.Render(scene, ImageEncoding.Png));
        return bitmap.Pixels;
    }

    private static SceneSpec One(SceneObject item, Background background, DrawingStyle style = DrawingStyle.Flat) =>
        new() { Width = 200, Height = 200, Background = background, Style = style, Objects = [item] };

    private static (double Hue, double Saturation) Hsv(double r, double g, double b)
    {
        double max = Math.Max(r, Math.Max(g, b));
        double min = Math.Min(r, Math.Min(g, b));
        double d = max - min;
        double hue = d == 0 ? 0
            : max == r ? 60 * (((g - b) / d) + 6) % 360
            : max == g ? 60 * (((b - r) / d) + 2)
            : 60 * (((r - g) / d) + 4);
        return (hue, max == 0 ? 0 : d / max);
    }

    [Theory]
    [InlineData(Texture.Striped, Material.Matte)]
    [InlineData(Texture.Dotted, Material.Matte)]
    [InlineData(Texture.Checked, Material.Matte)]
    [InlineData(Texture.Plain, Material.Glossy)]
    [InlineData(Texture.Plain, Material.Metallic)]
    [InlineData(Texture.Striped, Material.Metallic)]
    public void TexturesAndMaterials_KeepTheMeanHueOfTheColour(Texture texture, Material material)
    {
        foreach (var color in NamedColor.Palette.Where(c => Hsv(c.R, c.G, c.B).Saturation > 0.4))
        {
            var box = new PixelBox(20, 20, 180, 180);
            var pixels = Draw(One(new SceneObject(ShapeKind.Square, color, SizeClass.Large, box, texture, material), Plain));
            double r = 0, g = 0, b = 0;
            int n = 0;
            int varied = 0;
            for (int y = box.Y1 + 2; y < box.Y2 - 2; y++)
            {
                for (int x = box.X1 + 2; x < box.X2 - 2; x++)
                {
                    var p = pixels[(y * 200) + x];
                    (r, g, b, n) = (r + p.Red, g + p.Green, b + p.Blue, n + 1);
                    varied += Math.Abs(p.Red - color.R) + Math.Abs(p.Green - color.G) + Math.Abs(p.Blue - color.B) > 60 ? 1 : 0;
                }
            }

            double hue = Hsv(r / n, g / n, b / n).Hue;
            double expected = Hsv(color.R, color.G, color.B).Hue;
            double apart = Math.Min(Math.Abs(hue - expected), 360 - Math.Abs(hue - expected));
            Assert.True(apart <= 12, $"{color.Name} {texture} {material}: mean hue {hue:0} against {expected:0}");
            // The pattern or finish is clearly there: a good share of the shape is in another tone.
            Assert.True(varied > n / 10, $"{color.Name} {texture} {material}: only {varied} of {n} pixels differ from the colour");
        }
    }

    [Fact]
    public void Glass_ShowsTheBackgroundThrough_AndMatteDoesNot()
    {
        var checker = new Background(BackgroundKind.Checker, NamedColor.Backgrounds[0], NamedColor.Backgrounds[2]);
        var box = new PixelBox(20, 20, 180, 180);
        var red = NamedColor.Find("red")!;
        var empty = Draw(new SceneSpec { Width = 200, Height = 200, Background = checker, Objects = [] });
        foreach (var (material, seeThrough) in new[] { (Material.Glass, true), (Material.Matte, false) })
        {
            var pixels = Draw(One(new SceneObject(ShapeKind.Square, red, SizeClass.Large, box, Texture.Plain, material), checker));
            // Inside the rim: where the background is in its second tone, the object's pixels must follow it under glass.
            var inside = Enumerable.Range(40, 120).SelectMany(y => Enumerable.Range(40, 120).Select(x => (y * 200) + x)).ToList();
            var overPrimary = inside.Where(i => empty[i] == empty[(40 * 200) + 40]).Select(i => pixels[i]).Distinct().ToList();
            var overSecondary = inside.Where(i => empty[i] != empty[(40 * 200) + 40]).Select(i => pixels[i]).Distinct().ToList();
            Assert.NotEmpty(overSecondary);
            bool differs = overPrimary.Intersect(overSecondary).Count() < Math.Min(overPrimary.Count, overSecondary.Count);
            Assert.Equal(seeThrough, differs && overPrimary.All(p => p.Red > p.Green + 40));
        }
    }

    [Fact]
    public void Backgrounds_UseOnlyBackgroundTones_NeverAnObjectColour()
    {
        var tones = NamedColor.Backgrounds.Select(c => (c, Background: true))
            .Concat(NamedColor.Palette.Select(c => (c, Background: false))).ToList();
        var rng = new DeterministicRandom(11);
        foreach (var kind in Enum.GetValues<BackgroundKind>())
        {
            for (int pair = 0; pair < 4; pair++)
            {
                var primary = rng.Pick(NamedColor.Backgrounds);
                var secondary = rng.Pick(NamedColor.Backgrounds.Where(c => c != primary).ToList());
                var background = new Background(kind, primary, secondary);
                var pixels = Draw(new SceneSpec { Width = 200, Height = 160, Background = background, Objects = [] });
                foreach (var p in pixels.Distinct())
                {
                    var nearest = tones.MinBy(t => Math.Pow(t.c.R - p.Red, 2) + Math.Pow(t.c.G - p.Green, 2) + Math.Pow(t.c.B - p.Blue, 2));
                    Assert.True(nearest.Background, $"{kind} {primary.Name}/{secondary.Name}: pixel {p} is nearest {nearest.c.Name}");
                }

                // Patterned kinds show both tones.
                Assert.Equal(kind != BackgroundKind.Plain, pixels.Distinct().Count() > 1);
            }
        }
    }

    [Fact]
    public void Composer_PicksTexturesAndMaterials_OnlyInFlatAndOutlinedStyles()
    {
        var composer = new SceneComposer(512, 512);
        var counts = new Dictionary<DrawingStyle, (int All, int Plain, int Matte)>();
        for (int seed = 0; seed < 300; seed++)
        {
            var requests = Enumerable.Range(0, 4).Select(_ => new ObjectRequest()).ToList();
            var scene = composer.Compose(new DeterministicRandom((ulong)seed), requests);
            var (all, plain, matte) = counts.GetValueOrDefault(scene.Style);
            counts[scene.Style] = (all + scene.Objects.Count, plain + scene.Objects.Count(o => o.Texture == Texture.Plain),
                matte + scene.Objects.Count(o => o.Material == Material.Matte));
        }

        foreach (var (style, (all, plain, matte)) in counts)
        {
            if (style is DrawingStyle.Flat or DrawingStyle.Outlined)
            {
                Assert.InRange((double)plain / all, 0.4, 0.6);
                Assert.InRange((double)matte / all, 0.4, 0.6);
            }
            else
            {
                Assert.Equal((all, all), (plain, matte));
            }
        }

        Assert.Equal(4, counts.Count);
    }

    [Fact]
    public void Composer_RefusesFinishesInShadedAndSketchStyles_AndOverlapInSketch()
    {
        var composer = new SceneComposer(256, 256);
        var rng = new DeterministicRandom(1);
        Assert.Throws<ArgumentException>(() => composer.Compose(rng, [new ObjectRequest(Texture: Texture.Striped)], DrawingStyle.Sketch));
        Assert.Throws<ArgumentException>(() => composer.Compose(rng, [new ObjectRequest(Material: Material.Glass)], DrawingStyle.Shaded));
        Assert.Throws<ArgumentException>(() => composer.Compose(rng, [new ObjectRequest(), new ObjectRequest()], DrawingStyle.Sketch,
            overlap: true));
        // Plain and matte asked for in so many words are fine anywhere; a finish with no style given picks a style that shows it.
        Assert.Equal(DrawingStyle.Sketch, composer.Compose(rng, [new ObjectRequest(Texture: Texture.Plain)], DrawingStyle.Sketch).Style);
        for (int seed = 0; seed < 40; seed++)
        {
            var scene = composer.Compose(new DeterministicRandom((ulong)seed), [new ObjectRequest(Material: Material.Metallic)]);
            Assert.Contains(scene.Style, new[] { DrawingStyle.Flat, DrawingStyle.Outlined });
            Assert.Equal(Material.Metallic, scene.Objects[0].Material);
        }
    }

    [Fact]
    public void PromptStandIns_ReadTheNewColourShapeTextureAndMaterialWords()
    {
        var composer = new SceneComposer(512, 512);
        var scene = composer.ForPrompt("Two shiny striped lightning bolts in navy", new DeterministicRandom(4));
        Assert.Equal(2, scene.Objects.Count);
        Assert.All(scene.Objects, o => Assert.Equal((ShapeKind.Bolt, "navy", Texture.Striped, Material.Glossy),
            (o.Shape, o.Color.Name, o.Texture, o.Material)));
        Assert.Contains(scene.Style, new[] { DrawingStyle.Flat, DrawingStyle.Outlined });
        var leaves = composer.ForPrompt("three see-through polka dot olive leaves", new DeterministicRandom(4));
        Assert.All(leaves.Objects, o => Assert.Equal((ShapeKind.Leaf, "olive", Texture.Dotted, Material.Glass),
            (o.Shape, o.Color.Name, o.Texture, o.Material)));
        Assert.Equal(3, leaves.Objects.Count);
    }
}
