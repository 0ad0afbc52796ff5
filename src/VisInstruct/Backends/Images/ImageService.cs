using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using SkiaSharp;
using VisInstruct.Json;
using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Backends.Images;

/// <summary>
/// What stages call to make an image: the request goes through the run's gateway (<see cref="IBackendGateway"/>) (so a
/// finished image is not paid for
/// again: its metadata is cached, and reused while the file it names is intact), the image is saved in the format its
/// file name asks for (converted if the backend sent another), written atomically, and described by a provenance record.
/// </summary>
public sealed class ImageService(IImageProducer producer, ImageServiceOptions? options = null)
{
    private readonly ImageServiceOptions _options = (options ?? new ImageServiceOptions()).Validate();

    public IImageProducer Producer { get; } = producer ?? throw new ArgumentNullException(nameof(producer));

    public string Name => _options.Name;

    public bool IsProcedural => Producer.Kind == ProceduralProducer.Name;

    /// <summary>Makes the image for <paramref name="request"/> and saves it at <paramref name="destination"/>.</summary>
    public async Task<RenderedImage> RenderAsync(string scope, IBackendGateway gateway, ImageRequest request, string destination,
        string relativePath,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        request = request with { PreferredMediaType = MediaTypeFor(Path.GetExtension(destination).ToLowerInvariant()) };
        SceneSpec? scene = request.Scene;
        var sent = new BackendRequest(Producer.Kind, Producer.Model, Canonical(request)) { Estimate = new Usage(Images: 1) };
        var response = await gateway.SendAsync(new BackendCall(scope, sent, async token =>
        {
            var watch = Stopwatch.StartNew();
            var produced = await Producer.ProduceAsync(request, token).ConfigureAwait(false);
            scene = produced.Scene ?? scene;
            string sha = Save(produced, destination);
            return new BackendResponse(Metadata(sha, produced), new Usage(Images: 1, ImageSeconds: watch.Elapsed.TotalSeconds));
        })
        {
            Reuse = cached => FileMatches(destination, cached),
        }, cancellationToken).ConfigureAwait(false);

        using var document = JsonDocument.Parse(response.Body);
        var root = document.RootElement;
        if (scene is null && IsProcedural)
        {
            // Answered from the cache: the stand-in scene is a function of the prompt and the seed.
            scene = new SceneComposer(request.Width, request.Height).ForPrompt(request.Prompt,
                new DeterministicRandom(unchecked((ulong)request.Seed)));
        }

        var provenance = new ImageProvenance
        {
            File = relativePath,
            Sha256 = root.GetProperty("sha256").GetString()!,
            Backend = Producer.Kind,
            Model = Producer.Model,
            Request = request,
            Seed = root.GetProperty("seed").GetInt64(),
            SeedHonoured = root.GetProperty("seed_honoured").GetBoolean(),
            Reported = root.TryGetProperty("reported", out var reported)
                ? reported.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
                : new Dictionary<string, string>(),
        };
        return new RenderedImage(destination, provenance, scene);
    }

    private string Save(ProducedImage produced, string destination)
    {
        byte[] bytes = Encode(produced, Path.GetExtension(destination).ToLowerInvariant());
        string directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(_options.TempDirectory ?? directory, IO.StagedOutput.TempName(Path.GetFileName(destination)));
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, destination, overwrite: true);
        }
        catch
        {
            // A full disk or a failed move leaves no half image behind.
            File.Delete(temp);
            throw;
        }
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>The bytes to save: as produced when the format matches the file name, converted otherwise.</summary>
    private byte[] Encode(ProducedImage produced, string extension)
    {
        var wanted = extension switch
        {
            ".png" => SKEncodedImageFormat.Png,
            ".webp" => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Jpeg,
        };
        string wantedType = wanted switch
        {
            SKEncodedImageFormat.Png => "image/png",
            SKEncodedImageFormat.Webp => "image/webp",
            _ => "image/jpeg",
        };
        if (produced.MediaType == wantedType)
        {
            return produced.Bytes;
        }

        using var bitmap = SKBitmap.Decode(produced.Bytes)
            ?? throw new BackendException(FailureKind.BadImage,
                $"the {Producer.Kind} backend returned bytes that are not a decodable image");
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(wanted, _options.JpegQuality);
        return data.ToArray();
    }

    private static string MediaTypeFor(string extension) => extension switch
    {
        ".png" => "image/png",
        ".webp" => "image/webp",
        _ => "image/jpeg",
    };

    private static bool FileMatches(string destination, byte[] cached)
    {
        if (!File.Exists(destination))
        {
            return false;
        }

        using var document = JsonDocument.Parse(cached);
        string sha = document.RootElement.GetProperty("sha256").GetString()!;
        return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(destination))) == sha;
    }

    private static byte[] Metadata(string sha, ProducedImage produced)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("sha256", sha);
            writer.WriteNumber("seed", produced.Seed);
            writer.WritePropertyName("seed_honoured");
            writer.WriteBooleanValue(produced.SeedHonoured);
            writer.WritePropertyName("reported");
            writer.WriteStartObject();
            foreach (var (key, value) in produced.Reported.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] Canonical(ImageRequest request)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("prompt", request.Prompt);
            writer.WriteString("negative_prompt", request.NegativePrompt);
            writer.WriteNumber("width", request.Width);
            writer.WriteNumber("height", request.Height);
            writer.WriteNumber("steps", request.Steps);
            writer.WriteNumber("guidance", request.Guidance);
            writer.WriteNumber("seed", request.Seed);
            if (request.Sampler is not null)
            {
                writer.WriteString("sampler", request.Sampler);
            }

            if (request.Scene is { } scene)
            {
                writer.WritePropertyName("scene");
                SceneTruth.Write(writer, scene);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
