using System.Globalization;

namespace VisInstruct.Conversion;

/// <summary>What a conversion did, for the summary a command prints.</summary>
public sealed class ConversionReport
{
    private readonly List<string> _notes = [];

    public long Records { get; set; }

    public long Written { get; set; }

    public BoxTally Boxes { get; } = new();

    /// <summary>Ids of images whose size could not be found, in the order met (all of them; the printout shows a few).</summary>
    public List<string> MissingImages { get; } = [];

    /// <summary>Warnings that do not stop the conversion (each with its count).</summary>
    public IReadOnlyList<string> Notes => _notes;

    public void Note(string note) => _notes.Add(note);

    /// <summary>Lines for the user: what was read and written, and anything that needs their attention.</summary>
    public IEnumerable<string> Describe()
    {
        if (Boxes.Found > 0 || MissingImages.Count > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"boxes: {Boxes.Found} found, {Boxes.Converted} re-normalised to the padded square, {Boxes.Unparsable} not parsable (left as they were), {Boxes.LeftWithoutImage} left as they were because the image is missing");
        }

        if (MissingImages.Count > 0)
        {
            string sample = string.Join(", ", MissingImages.Take(10));
            string more = MissingImages.Count > 10 ? string.Create(CultureInfo.InvariantCulture, $" and {MissingImages.Count - 10} more") : "";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"warning: {MissingImages.Count} images not found (their boxes are unchanged): {sample}{more}");
        }

        foreach (string note in _notes)
        {
            yield return note;
        }
    }
}
