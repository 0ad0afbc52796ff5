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

    private ShapeMask(PixelBox box, bool[] bits, int count)
    {
        Box = box;
        this.bits = bits;
        Count = count;
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
        var paths = ObjectPainter.Footprint(item, style);
        using var bitmap = new SKBitmap(new SKImageInfo(box.Width, box.Height, SKColorType.Alpha8, SKAlphaType.Premul));
        bitmap.Erase(SKColors.Transparent);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Translate(-box.X1, -box.Y1);
            using var paint = new SKPaint { IsAntialias = false, Color = SKColors.White };
            foreach (var path in paths)
            {
                canvas.DrawPath(path, paint);
                path.Dispose();
            }
        }

        ReadOnlySpan<byte> alpha = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        var bits = new bool[box.Width * box.Height];
        int count = 0;
        for (int y = 0; y < box.Height; y++)
        {
            var row = alpha.Slice(y * rowBytes, box.Width);
            var to = bits.AsSpan(y * box.Width, box.Width);
            for (int x = 0; x < row.Length; x++)
            {
                bool on = row[x] != 0;
                to[x] = on;
                count += on ? 1 : 0;
            }
        }

        return new ShapeMask(box, bits, count);
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
        int width = x2 - x1;
        for (int y = y1; y < y2; y++)
        {
            var mine = bits.AsSpan(((y - Box.Y1) * Box.Width) + (x1 - Box.X1), width);
            var theirs = other.bits.AsSpan(((y - other.Box.Y1) * other.Box.Width) + (x1 - other.Box.X1), width);
            for (int x = 0; x < width; x++)
            {
                shared += mine[x] && theirs[x] ? 1 : 0;
            }
        }

        return shared;
    }

    /// <summary>The share of this (back) object's pixels that <paramref name="front"/> paints over (0 to 1).</summary>
    public double CoveredBy(ShapeMask front) => Count == 0 ? 0 : (double)Shared(front) / Count;
}
