using VisInstruct.Formats;
using VisInstruct.Json;

namespace VisInstruct.Annotations;

/// <summary>Streaming readers for Visual Genome's annotation files.</summary>
public static class VisualGenome
{
    /// <summary>The records of <c>image_data.json</c>, in file order.</summary>
    public static IEnumerable<VgImage> ReadImages(string path)
    {
        using var reader = JsonRecordReader.OpenArray(path);
        foreach (var image in JsonRecords.Read(reader, FormatsJsonContext.Default.VgImage, CheckImage))
        {
            yield return image;
        }
    }

    /// <summary>All of <c>image_data.json</c> by image id (about 108K small records: a few tens of MB).</summary>
    public static Dictionary<long, VgImage> LoadImages(string path)
    {
        var images = new Dictionary<long, VgImage>();
        foreach (var image in ReadImages(path))
        {
            images[image.Key] = image;
        }

        return images;
    }

    private static void CheckImage(VgImage image, in RecordContext context)
    {
        if (image.ImageId is null && image.Id is null)
        {
            throw context.Error("", "missing field \"image_id\" (or \"id\" in older releases)");
        }

        if (image.Width <= 0 || image.Height <= 0)
        {
            throw context.Error(image.Width <= 0 ? "width" : "height", "image sizes must be positive");
        }
    }
}
