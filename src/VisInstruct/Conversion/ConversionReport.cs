using System.Globalization;

namespace VisInstruct.Conversion;

/// <summary>What a conversion did, for the summary a command prints.</summary>
public sealed class ConversionReport
{
    private readonly List<string> _notes = [];
    private readonly HashSet<string> _unsized = new(StringComparer.Ordinal);

    public long Records { get; set; }

    public long Written { get; set; }

    public BoxTally Boxes { get; } = new();

    /// <summary>Ids of images whose size could not be found, in the order met (all of them; the printout shows a few).</summary>
    public List<string> MissingImages { get; } = [];

    /// <summary>Ids of images whose file exists but whose header could not be read (damaged, cut off, not an image).</summary>
    public List<string> UnreadableImages { get; } = [];

    /// <summary>True when the conversion was refused because images were missing or unreadable (nothing was written).</summary>
    public bool Refused { get; set; }

    /// <summary>The output file the conversion was to write.</summary>
    public string? OutputFile { get; set; }

    /// <summary>Warnings that do not stop the conversion (each with its count).</summary>
    public IReadOnlyList<string> Notes => _notes;

    public void Note(string note) => _notes.Add(note);

    /// <summary>
    /// An image whose size <paramref name="sizes"/> did not find, listed once: as unreadable when its file is there
    /// but its header could not be read, else as missing.
    /// </summary>
    public void ImageWithoutSize(string imageId, Imaging.ImageSizeLookup sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (_unsized.Add(imageId))
        {
            (sizes.UnreadablePath(imageId) is null ? MissingImages : UnreadableImages).Add(imageId);
        }
    }

    /// <summary>
    /// Whether the conversion is refused because images were missing or unreadable (sets <see cref="Refused"/>;
    /// nothing is then written): always when there were some, unless <paramref name="allowMissingImages"/>.
    /// </summary>
    public bool RefuseForImages(bool allowMissingImages)
    {
        Refused = !allowMissingImages && MissingImages.Count + UnreadableImages.Count > 0;
        return Refused;
    }

    /// <summary>Lines for the user: what was read and written, and anything that needs their attention.</summary>
    public IEnumerable<string> Describe()
    {
        if (Boxes.Found > 0 || MissingImages.Count > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"boxes: {Boxes.Found} found, {Boxes.Converted} re-normalised to the padded square, {Boxes.Unparsable} not parsable " +
                    $"(left as they were), {Boxes.LeftWithoutImage} left as they were because the image is missing");
        }

        string level = Refused ? "error" : "warning";
        string consequence = Refused ? "their boxes cannot be re-normalised" : "their boxes are unchanged";
        if (MissingImages.Count > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{level}: {MissingImages.Count} images not found ({consequence}): {Sample(MissingImages)}");
        }

        if (UnreadableImages.Count > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{level}: {UnreadableImages.Count} image files are there but unreadable: damaged, cut off or not an image " +
                    $"({consequence}): {Sample(UnreadableImages)}");
        }

        if (Refused)
        {
            yield return $"error: nothing was written{(OutputFile is null ? "" : " to " + OutputFile)}; give every image (or " +
                $"--image-data for the sizes), or --allow-missing-images to write the file with those boxes left as they are";
        }

        foreach (string note in _notes)
        {
            yield return note;
        }
    }

    private static string Sample(List<string> ids) =>
        string.Join(", ", ids.Take(10))
            + (ids.Count > 10 ? string.Create(CultureInfo.InvariantCulture, $" and {ids.Count - 10} more") : "");
}
