using SkiaSharp;

namespace VisInstruct.Report;

/// <summary>
/// Small JPEG thumbnails for the sample browser: the image is decoded at the smallest scale its codec offers that is
/// still at least the thumbnail's size (a JPEG decodes at 1/2, 1/4 or 1/8 for a fraction of the work), then scaled
/// to fit <see cref="MaxSide"/> and written at quality 78. Batches run in parallel. An image that cannot be decoded
/// gets no thumbnail (the page then shows its path).
/// </summary>
public static class Thumbnailer
{
    public const int MaxSide = 160;

    private const int Quality = 78;

    /// <summary>Writes each (source, destination) pair's thumbnail; the result says which ones were written.</summary>
    public static bool[] Write(IReadOnlyList<(string Source, string Destination)> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var written = new bool[jobs.Count];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, jobs.Count, parallel, i => written[i] = TryWrite(jobs[i].Source, jobs[i].Destination));
        return written;
    }

    /// <summary>Writes one thumbnail; false when the source is missing or not a decodable image.</summary>
    public static bool TryWrite(string source, string destination)
    {
        try
        {
            using var codec = SKCodec.Create(source);
            if (codec is null)
            {
                return false;
            }

            var full = codec.Info;
            float scale = Math.Min(1f, (float)MaxSide / Math.Max(full.Width, full.Height));
            // The codec's nearest supported scale at or above the wanted one (JPEG: 1/8 steps).
            var decodeSize = codec.GetScaledDimensions(Math.Min(1f, scale * 1.01f));
            if (decodeSize.Width < full.Width * scale || decodeSize.Height < full.Height * scale)
            {
                decodeSize = full.Size;
            }

            var decodeInfo = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var decoded = SKBitmap.Decode(codec, decodeInfo);
            if (decoded is null)
            {
                return false;
            }

            int width = Math.Max(1, (int)Math.Round(full.Width * scale)), height = Math.Max(1, (int)Math.Round(full.Height * scale));
            using var scaled = decoded.Width == width && decoded.Height == height ? null
                : decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul),
                    new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
            using var image = SKImage.FromBitmap(scaled ?? decoded);
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, Quality);
            if (data is null)
            {
                return false;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using var stream = File.Create(destination);
            data.SaveTo(stream);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
