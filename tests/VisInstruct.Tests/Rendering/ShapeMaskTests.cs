using SkiaSharp;
using VisInstruct.Rendering;

namespace VisInstruct.Tests.Rendering;

/// <summary>
/// A mask is the object's footprint filled part by part (its fill, then its outline's stroke), as the renderer paints
/// it: the pixels of the union of the parts, which a path operation would compute (slowly, on curved outlines) up to
/// its rounding, a pixel here and there where a stroke's round join meets a sharp corner. Checked for every shape in
/// every style at sizes from small to large.
/// </summary>
public class ShapeMaskTests
{
    public static TheoryData<DrawingStyle> Styles() => [.. Enum.GetValues<DrawingStyle>()];

    [Theory]
    [MemberData(nameof(Styles))]
    public void The_mask_is_the_pixels_of_the_union_of_the_footprint(DrawingStyle style)
    {
        int pixels = 0;
        var differing = new List<string>();
        foreach (var shape in Enum.GetValues<ShapeKind>())
        {
            foreach (var (w, h) in new[] { (9, 8), (23, 31), (57, 40), (96, 96), (131, 77), (190, 201) })
            {
                var box = new PixelBox(13, 7, 13 + w, 7 + h);
                var item = new SceneObject(shape, NamedColor.Palette[0], SizeClass.Medium, box);
                var mask = ShapeMask.Of(item, style);
                var union = UnionPixels(item, style);
                int count = 0;
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        bool expected = union[(y * w) + x];
                        count += expected ? 1 : 0;
                        if (mask.Contains(box.X1 + x, box.Y1 + y) != expected)
                        {
                            differing.Add($"{shape} {w}x{h} at ({x}, {y})");
                            Assert.True(OnEdge(union, w, h, x, y), $"{shape} {w}x{h}: ({x}, {y}) differs away from an edge");
                        }
                    }
                }

                pixels += count;
            }
        }

        // At most one pixel in 10,000 differs, none of them inside a shape (only on an edge, where rounding decides).
        Assert.True(differing.Count <= pixels / 10_000, $"{differing.Count} of {pixels} pixels differ, e.g. "
            + string.Join("; ", differing.Take(5)));
        Assert.True(pixels > 100_000, $"only {pixels} pixels painted");
    }

    /// <summary>Whether a pixel of the reference has a neighbour on the other side of the outline (or the box's side).</summary>
    private static bool OnEdge(bool[] pixels, int w, int h, int x, int y)
    {
        bool at = pixels[(y * w) + x];
        return x == 0 || y == 0 || x == w - 1 || y == h - 1 || pixels[(y * w) + x - 1] != at || pixels[(y * w) + x + 1] != at
            || pixels[((y - 1) * w) + x] != at || pixels[((y + 1) * w) + x] != at;
    }

    /// <summary>The reference: the parts joined by a path union, filled once, without anti-aliasing.</summary>
    private static bool[] UnionPixels(SceneObject item, DrawingStyle style)
    {
        var parts = ObjectPainter.Footprint(item, style);
        var union = parts[0];
        foreach (var part in parts.Skip(1))
        {
            var joined = union.Op(part, SKPathOp.Union)!;
            union.Dispose();
            part.Dispose();
            union = joined;
        }

        var box = item.Box;
        using (union)
        using (var bitmap = new SKBitmap(new SKImageInfo(box.Width, box.Height, SKColorType.Alpha8, SKAlphaType.Premul)))
        {
            bitmap.Erase(SKColors.Transparent);
            using (var canvas = new SKCanvas(bitmap))
            using (var paint = new SKPaint { IsAntialias = false, Color = SKColors.White })
            {
                canvas.Translate(-box.X1, -box.Y1);
                canvas.DrawPath(union, paint);
            }

            var alpha = bitmap.GetPixelSpan();
            var bits = new bool[box.Width * box.Height];
            for (int y = 0; y < box.Height; y++)
            {
                for (int x = 0; x < box.Width; x++)
                {
                    bits[(y * box.Width) + x] = alpha[(y * bitmap.RowBytes) + x] != 0;
                }
            }

            return bits;
        }
    }
}
