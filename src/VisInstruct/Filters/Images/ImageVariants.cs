using SkiaSharp;

namespace VisInstruct.Filters.Images;

/// <summary>
/// The copies of an image that a near-duplicate filter must catch, as its precision and recall are measured on:
/// re-encoded as a lower-quality JPEG, resized, and lightly cropped.
/// </summary>
public static class ImageVariants
{
    /// <summary>The image decoded and encoded again as a JPEG of <paramref name="quality"/> (0-100).</summary>
    public static byte[] Reencode(byte[] encoded, int quality)
    {
        using var bitmap = Decode(encoded);
        return Jpeg(bitmap, quality);
    }

    /// <summary>
    /// The image scaled by <paramref name="factor"/> on both sides (linear filtering with mipmaps), as a JPEG of quality 90.
    /// </summary>
    public static byte[] Resize(byte[] encoded, double factor)
    {
        using var bitmap = Decode(encoded);
        var info = new SKImageInfo(Math.Max(1, (int)Math.Round(bitmap.Width * factor)),
            Math.Max(1, (int)Math.Round(bitmap.Height * factor)), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var scaled = bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new InvalidDataException("the image could not be resized");
        return Jpeg(scaled, 90);
    }

    /// <summary>
    /// The image with <paramref name="share"/> of its width and of its height cut away, half from each side, as a JPEG
    /// of quality 90.
    /// </summary>
    public static byte[] Crop(byte[] encoded, double share)
    {
        using var bitmap = Decode(encoded);
        int dx = (int)Math.Round(bitmap.Width * share / 2), dy = (int)Math.Round(bitmap.Height * share / 2);
        using var cropped = new SKBitmap(bitmap.Width - (2 * dx), bitmap.Height - (2 * dy));
        if (!bitmap.ExtractSubset(cropped, new SKRectI(dx, dy, bitmap.Width - dx, bitmap.Height - dy)))
        {
            throw new InvalidDataException("the image could not be cropped");
        }

        return Jpeg(cropped, 90);
    }

    private static SKBitmap Decode(byte[] encoded) =>
        SKBitmap.Decode(encoded) ?? throw new InvalidDataException("the image could not be decoded");

    private static byte[] Jpeg(SKBitmap bitmap, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }
}
