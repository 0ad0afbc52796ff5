using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

/// <summary>
/// A record of Visual Genome's <c>image_data.json</c>. Releases name the id <c>image_id</c> (v1.2+) or <c>id</c> (older).
/// </summary>
public sealed record VgImage
{
    [JsonPropertyName("image_id")]
    public long? ImageId { get; init; }

    [JsonPropertyName("id")]
    public long? Id { get; init; }

    public string? Url { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public long? CocoId { get; init; }

    public long? FlickrId { get; init; }

    /// <summary>The image id, whichever key the release used.</summary>
    [JsonIgnore]
    public long Key => ImageId ?? Id ?? throw new InvalidOperationException("the record has neither image_id nor id");

    /// <summary>
    /// The folder the image is in (<c>VG_100K</c> or <c>VG_100K_2</c>), from the URL's last folder; null when the URL
    /// does not say.
    /// </summary>
    [JsonIgnore]
    public string? Folder
    {
        get
        {
            if (string.IsNullOrEmpty(Url))
            {
                return null;
            }

            string[] parts = Url.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && parts[^2].StartsWith("VG_100K", StringComparison.Ordinal) ? parts[^2] : null;
        }
    }

    /// <summary>The image's path in LLaVA-1.5's image folder layout (<c>vg/VG_100K_2/1.jpg</c>), or null without a folder.</summary>
    [JsonIgnore]
    public string? LlavaPath => Folder is { } folder ? $"vg/{folder}/{Key}.jpg" : null;
}
