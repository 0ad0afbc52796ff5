using System.Numerics;
using SkiaSharp;

namespace VisInstruct.Filters.Images;

/// <summary>
/// The 64-bit perceptual hash (pHash) of an image: the image in grey, reduced to 32x32 by area averaging, its 2-D
/// DCT-II, and one bit per coefficient of the 8x8 lowest frequencies, set when the coefficient is above their median.
/// Bit 63 is the DC coefficient, then row by row (frequency (0,1) is bit 62). Images that look alike (re-encoded,
/// resized, lightly cropped) get hashes a few bits apart; <see cref="Distance"/> counts them.
/// </summary>
public static class PerceptualHash
{
    /// <summary>The side of the grey image the DCT is taken over.</summary>
    public const int Side = 32;

    /// <summary>The side of the block of low frequencies that make the bits.</summary>
    public const int LowSide = 8;

    // cos(pi * (2n + 1) * k / (2 * Side)) for k < LowSide, n < Side.
    private static readonly double[] Cosines = BuildCosines();

    /// <summary>The number of bits in which two hashes differ (0 to 64).</summary>
    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    /// <summary>The hash of an encoded image (JPEG, PNG, WebP, GIF, BMP), or null when SkiaSharp cannot decode it.</summary>
    public static ulong? Compute(ReadOnlySpan<byte> encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        return codec is null ? null : Compute(codec);
    }

    /// <summary>The hash of an image file, or null when it cannot be decoded.</summary>
    public static ulong? ComputeFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        using var codec = SKCodec.Create(stream);
        return codec is null ? null : Compute(codec);
    }

    /// <summary>The hash of a decoded bitmap.</summary>
    public static ulong Compute(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using var rgba = bitmap.ColorType == SKColorType.Rgba8888 ? null : bitmap.Copy(SKColorType.Rgba8888);
        var source = rgba ?? bitmap;
        return FromGrey(Grey(source.GetPixelSpan(), source.Width, source.Height, source.RowBytes), source.Width, source.Height);
    }

    /// <summary>
    /// The hash of <paramref name="grey"/> (row-major luminance, <paramref name="width"/> x <paramref name="height"/>):
    /// area-averaged to 32x32, then the DCT bits.
    /// </summary>
    public static ulong FromGrey(ReadOnlySpan<float> grey, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (grey.Length < width * height)
        {
            throw new ArgumentException("fewer pixels than width x height", nameof(grey));
        }

        Span<double> small = stackalloc double[Side * Side];
        AreaResize(grey, width, height, small);
        Span<double> low = stackalloc double[LowSide * LowSide];
        LowFrequencies(small, low);
        // Rounding leaves coefficients that are zero in exact arithmetic (a flat image's AC terms) at about 1e-12 with
        // either sign; they are set to zero so that such an image has one hash, not a noise pattern.
        double tiny = 1e-9 * (Math.Abs(low[0]) + 1);
        for (int i = 0; i < low.Length; i++)
        {
            low[i] = Math.Abs(low[i]) < tiny ? 0 : low[i];
        }

        Span<double> sorted = stackalloc double[low.Length];
        low.CopyTo(sorted);
        sorted.Sort();
        double median = (sorted[(low.Length / 2) - 1] + sorted[low.Length / 2]) / 2;
        ulong hash = 0;
        for (int i = 0; i < low.Length; i++)
        {
            hash = (hash << 1) | (low[i] > median ? 1UL : 0UL);
        }

        return hash;
    }

    private static ulong Compute(SKCodec codec)
    {
        // Decode at the smallest size the codec offers that keeps at least 2 pixels per hash pixel (JPEG scales by
        // 1/2, 1/4, 1/8 inside the decoder): a 512x512 JPEG is decoded at 64x64.
        var full = codec.Info;
        float scale = Math.Min(1f, 2f * Side / Math.Min(full.Width, full.Height));
        var size = codec.GetScaledDimensions(scale);
        if (size.Width < Side || size.Height < Side)
        {
            size = full.Size;
        }

        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            // A codec that cannot scale to this size decodes at full size.
            info = new SKImageInfo(full.Width, full.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            using var whole = new SKBitmap(info);
            result = codec.GetPixels(info, whole.GetPixels());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            {
                throw new InvalidDataException($"the image could not be decoded ({result})");
            }

            return Compute(whole);
        }

        return Compute(bitmap);
    }

    /// <summary>Luminance by ITU-R BT.601 weights (as PIL's "L" mode), transparent pixels over white.</summary>
    private static float[] Grey(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes)
    {
        var grey = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * rowBytes, width * 4);
            for (int x = 0; x < width; x++)
            {
                float r = row[4 * x], g = row[(4 * x) + 1], b = row[(4 * x) + 2], a = row[(4 * x) + 3] / 255f;
                float luma = (0.299f * r) + (0.587f * g) + (0.114f * b);
                grey[(y * width) + x] = (luma * a) + (255f * (1 - a));
            }
        }

        return grey;
    }

    /// <summary>Box-filter reduction to Side x Side: each target pixel is the mean of the source area it covers.</summary>
    private static void AreaResize(ReadOnlySpan<float> grey, int width, int height, Span<double> target)
    {
        var columns = new double[height * Side];
        double sx = (double)width / Side, sy = (double)height / Side;
        for (int y = 0; y < height; y++)
        {
            var row = grey.Slice(y * width, width);
            for (int tx = 0; tx < Side; tx++)
            {
                columns[(y * Side) + tx] = Average(row, tx * sx, (tx + 1) * sx, 1, 0);
            }
        }

        for (int tx = 0; tx < Side; tx++)
        {
            for (int ty = 0; ty < Side; ty++)
            {
                target[(ty * Side) + tx] = Average((ReadOnlySpan<double>)columns, ty * sy, (ty + 1) * sy, Side, tx);
            }
        }
    }

    /// <summary>The mean of the samples over [from, to) of a line (stride and offset pick the line), partial ends weighted.</summary>
    private static double Average<T>(ReadOnlySpan<T> line, double from, double to, int stride, int offset)
        where T : INumberBase<T>
    {
        double sum = 0;
        int first = (int)Math.Floor(from), last = Math.Min((int)Math.Ceiling(to), ((line.Length - offset - 1) / stride) + 1);
        for (int i = first; i < last; i++)
        {
            double weight = Math.Min(to, i + 1) - Math.Max(from, i);
            sum += weight * double.CreateTruncating(line[(i * stride) + offset]);
        }

        return sum / (to - from);
    }

    /// <summary>The 8x8 lowest-frequency coefficients of the 32x32 DCT-II (unnormalised: the median rule needs no scale).</summary>
    private static void LowFrequencies(ReadOnlySpan<double> pixels, Span<double> low)
    {
        Span<double> rows = stackalloc double[Side * LowSide];
        for (int y = 0; y < Side; y++)
        {
            for (int k = 0; k < LowSide; k++)
            {
                double sum = 0;
                for (int n = 0; n < Side; n++)
                {
                    sum += pixels[(y * Side) + n] * Cosines[(k * Side) + n];
                }

                rows[(y * LowSide) + k] = sum;
            }
        }

        for (int ky = 0; ky < LowSide; ky++)
        {
            for (int kx = 0; kx < LowSide; kx++)
            {
                double sum = 0;
                for (int n = 0; n < Side; n++)
                {
                    sum += rows[(n * LowSide) + kx] * Cosines[(ky * Side) + n];
                }

                low[(ky * LowSide) + kx] = sum;
            }
        }
    }

    private static double[] BuildCosines()
    {
        var table = new double[LowSide * Side];
        for (int k = 0; k < LowSide; k++)
        {
            for (int n = 0; n < Side; n++)
            {
                table[(k * Side) + n] = Math.Cos(Math.PI * ((2 * n) + 1) * k / (2.0 * Side));
            }
        }

        return table;
    }
}
