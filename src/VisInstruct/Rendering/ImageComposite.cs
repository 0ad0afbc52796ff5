using SkiaSharp;

namespace VisInstruct.Rendering;

/// <summary>
/// Several images as one: two side by side, more in a grid (2 x 2 for three or four), each centred in a cell as large as
/// the largest image, cells parted by a white gap. For trainers that take one image per sample (LLaVA-1.5).
/// </summary>
public static class ImageComposite
{
    /// <summary>The white gap between cells, in pixels.</summary>
    public const int Gap = 8;

    /// <summary>Columns and rows for <paramref name="count"/> images: 2 side by side, else the smallest near-square grid.</summary>
    public static (int Columns, int Rows) Layout(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int columns = (int)Math.Ceiling(Math.Sqrt(count));
        return (columns, (count + columns - 1) / columns);
    }

    /// <summary>Where image <paramref name="index"/> of <paramref name="count"/> sits, in words: left, top-right, ...</summary>
    public static string Position(int index, int count)
    {
        var (columns, rows) = Layout(count);
        int row = index / columns, column = index % columns;
        if (rows == 1 && columns == 2)
        {
            return column == 0 ? "left" : "right";
        }

        if (rows <= 2 && columns == 2)
        {
            return (row == 0 ? "top" : "bottom") + "-" + (column == 0 ? "left" : "right");
        }

        return FormattableString.Invariant($"row {row + 1}, column {column + 1}");
    }

    /// <summary>Reads the images at <paramref name="paths"/> and returns them as one JPEG.</summary>
    public static byte[] Compose(IReadOnlyList<string> paths, int quality = 95)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var images = new List<SKBitmap>();
        try
        {
            foreach (string path in paths)
            {
                images.Add(SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not an image SkiaSharp can read"));
            }

            var (columns, rows) = Layout(images.Count);
            int cellWidth = images.Max(i => i.Width), cellHeight = images.Max(i => i.Height);
            var info = new SKImageInfo(columns * cellWidth + (columns - 1) * Gap, rows * cellHeight + (rows - 1) * Gap,
                SKColorType.Rgba8888, SKAlphaType.Premul);
            using var surface = SKSurface.Create(info)
                ?? throw new InvalidOperationException("SkiaSharp could not create a raster surface");
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.White);
            for (int k = 0; k < images.Count; k++)
            {
                int x = k % columns * (cellWidth + Gap) + (cellWidth - images[k].Width) / 2;
                int y = k / columns * (cellHeight + Gap) + (cellHeight - images[k].Height) / 2;
                using var part = SKImage.FromBitmap(images[k]);
                canvas.DrawImage(part, x, y, new SKSamplingOptions(SKFilterMode.Nearest));
            }

            canvas.Flush();
            using var snapshot = surface.Snapshot();
            using var data = snapshot.Encode(SKEncodedImageFormat.Jpeg, quality);
            return data.ToArray();
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }
}
