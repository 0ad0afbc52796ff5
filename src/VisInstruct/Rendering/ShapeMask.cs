using SkiaSharp;

namespace VisInstruct.Rendering;

/// <summary>
/// The pixels one object paints, at the scene's resolution: its footprint (<see cref="ObjectPainter.Footprint"/>)
/// rasterised without anti-aliasing, so a pixel belongs to the object when its centre lies inside the outline. The mask
/// covers only the object's box (nothing is drawn outside it). Overlaps between objects are counted from these masks.
/// </summary>
public sealed class ShapeMask
{
    private readonly bool[] bits;

    private ShapeMask(PixelBox box, bool[] bits)
    {
        Box = box;
        this.bits = bits;
        Count = bits.Count(b => b);
    }

    /// <summary>The box the mask spans (the object's box).</summary>
    public PixelBox Box { get; }

    /// <summary>How many pixels the object paints.</summary>
    public int Count { get; }

    /// <summary>The mask of <paramref name="item"/> drawn in <paramref name="style"/>.</summary>
    public static ShapeMask Of(SceneObject item, DrawingStyle style)
    {
        ArgumentNullException.ThrowIfNull(item);
        var box = item.Box;
        using var path = ObjectPainter.Footprint(item, style);
        using var bitmap = new SKBitmap(new SKImageInfo(box.Width, box.Height, SKColorType.Alpha8, SKAlphaType.Premul));
        bitmap.Erase(SKColors.Transparent);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Translate(-box.X1, -box.Y1);
            using var paint = new SKPaint { IsAntialias = false, Color = SKColors.White };
            canvas.DrawPath(path, paint);
        }

        var alpha = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        var bits = new bool[box.Width * box.Height];
        for (int y = 0; y < box.Height; y++)
        {
            for (int x = 0; x < box.Width; x++)
            {
                bits[(y * box.Width) + x] = alpha[(y * rowBytes) + x] != 0;
            }
        }

        return new ShapeMask(box, bits);
    }

    /// <summary>Whether the object paints pixel (<paramref name="x"/>, <paramref name="y"/>) of the picture.</summary>
    public bool Contains(int x, int y) =>
        x >= Box.X1 && x < Box.X2 && y >= Box.Y1 && y < Box.Y2 && bits[((y - Box.Y1) * Box.Width) + (x - Box.X1)];

    /// <summary>How many pixels both masks paint.</summary>
    public int Shared(ShapeMask other)
    {
        ArgumentNullException.ThrowIfNull(other);
        int x1 = Math.Max(Box.X1, other.Box.X1);
        int y1 = Math.Max(Box.Y1, other.Box.Y1);
        int x2 = Math.Min(Box.X2, other.Box.X2);
        int y2 = Math.Min(Box.Y2, other.Box.Y2);
        int shared = 0;
        for (int y = y1; y < y2; y++)
        {
            for (int x = x1; x < x2; x++)
            {
                if (Contains(x, y) && other.Contains(x, y))
                {
                    shared++;
                }
            }
        }

        return shared;
    }

    /// <summary>The share of this (back) object's pixels that <paramref name="front"/> paints over (0 to 1).</summary>
    public double CoveredBy(ShapeMask front) => Count == 0 ? 0 : (double)Shared(front) / Count;
}
