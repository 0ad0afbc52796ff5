using System.Collections.Concurrent;

namespace VisInstruct.Imaging;

/// <summary>
/// Finds the size of a Visual Genome image by id: from <c>image_data.json</c> records when given, else from the file's
/// header under an image folder (<c>&lt;dir&gt;/&lt;id&gt;.jpg</c>, then the <c>VG_100K</c> / <c>VG_100K_2</c> subfolders,
/// plain or under <c>vg/</c>). Sizes are cached.
/// </summary>
public sealed class ImageSizeLookup
{
    private static readonly string[] Subfolders = ["", "VG_100K", "VG_100K_2", "vg/VG_100K", "vg/VG_100K_2"];

    private readonly string? _imageDirectory;
    private readonly IReadOnlyDictionary<string, ImageSize>? _known;
    private readonly ConcurrentDictionary<string, Found?> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _unreadable = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether an image id can name a file inside the image folder: a plain name, with no folder separator, no
    /// <c>..</c> and no NUL (an id like <c>../secret/2412112</c> would read a file outside it). Every command that
    /// builds <c>&lt;image_id&gt;.jpg</c> paths holds to this rule.
    /// </summary>
    public static bool IsPlainName(string imageId) =>
        !string.IsNullOrEmpty(imageId) && imageId != "." && imageId != ".." && !imageId.Contains("..", StringComparison.Ordinal)
        && imageId.IndexOfAny(['/', '\\', '\0']) < 0 && !Path.IsPathRooted(imageId);

    /// <summary>
    /// Where the file of an image that was looked up is, when it exists but its header could not be read (damaged,
    /// cut off, or not an image); null when it was found fine or not found at all.
    /// </summary>
    public string? UnreadablePath(string imageId) => _unreadable.TryGetValue(imageId, out var path) ? path : null;

    public ImageSizeLookup(string? imageDirectory, IReadOnlyDictionary<string, ImageSize>? known = null)
    {
        _imageDirectory = imageDirectory;
        _known = known;
    }

    /// <summary>What was found for an image: its size, and the path relative to the image folder where it was found.</summary>
    public sealed record Found(ImageSize Size, string? RelativePath);

    /// <summary>The size of image <paramref name="imageId"/>, or null when neither source has it.</summary>
    public Found? Find(string imageId)
    {
        ArgumentNullException.ThrowIfNull(imageId);
        return _cache.GetOrAdd(imageId, Look);
    }

    private Found? Look(string imageId)
    {
        string? foundPath = null;
        ImageSize? fromFile = null;
        if (!IsPlainName(imageId))
        {
            throw new ArgumentException($"image id \"{imageId}\" is not a plain file name", nameof(imageId));
        }

        if (_imageDirectory is not null)
        {
            foreach (string subfolder in Subfolders)
            {
                string relative = subfolder.Length == 0 ? imageId + ".jpg" : subfolder + "/" + imageId + ".jpg";
                string path = Path.Combine(_imageDirectory, relative);
                if (File.Exists(path))
                {
                    foundPath = relative;
                    fromFile = ImageHeader.TryRead(path);
                    if (fromFile is null)
                    {
                        _unreadable[imageId] = path;
                    }

                    break;
                }
            }
        }

        if (_known is not null && _known.TryGetValue(imageId, out var size))
        {
            return new Found(size, foundPath);
        }

        return fromFile is { } s ? new Found(s, foundPath) : null;
    }
}
