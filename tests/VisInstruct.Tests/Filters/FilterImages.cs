using SkiaSharp;
using VisInstruct.Randomness;

namespace VisInstruct.Tests.Filters;

/// <summary>Distinct test pictures: random shapes on random backgrounds, JPEG-encoded (far apart in pHash, unlike flat scenes).</summary>
internal static class FilterImages
{
    public static byte[] Picture(int seed, int size = 256)
    {
        var rng = new DeterministicRandom((ulong)seed + 1000);
        using var bitmap = new SKBitmap(size, size);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Colour(rng));
            using var paint = new SKPaint { IsAntialias = true };
            for (int i = 0; i < 12; i++)
            {
                paint.Color = Colour(rng);
                float x = rng.NextInt(0, size), y = rng.NextInt(0, size), r = rng.NextInt(size / 10, size / 3);
                if (i % 2 == 0)
                {
                    canvas.DrawCircle(x, y, r, paint);
                }
                else
                {
                    canvas.DrawRect(x - r, y - (r / 2), 2 * r, r, paint);
                }
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static SKColor Colour(DeterministicRandom rng) =>
        new((byte)rng.NextInt(0, 256), (byte)rng.NextInt(0, 256), (byte)rng.NextInt(0, 256));
}
