using VisInstruct.Datasets;
using VisInstruct.Formats;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Filters.Run;

/// <summary>
/// Where a kept sample's images go in the filtered dataset and how they get there. A dataset folder this tool wrote
/// keeps its paths (<c>images/...</c>, relative to the folder); a file or an annotated dataset's images, relative to
/// its image folder, go under <c>images/</c>. With <see cref="ImageHandling.Keep"/> nothing moves and the records keep
/// their paths.
/// </summary>
internal sealed class OutputImages(DatasetSource source, ImageHandling handling, string outputDirectory)
{
    private const string ImagesFolder = "images";

    private readonly string? _root = source.ImageRoot is null ? null : RelativePath.FolderPrefix(source.ImageRoot);
    private readonly bool _keepPaths = source.IsFolder && source.ImageRoot is not null
        && Path.GetFullPath(source.ImageRoot) == Path.GetFullPath(source.Path);

    /// <summary>The record as the filtered dataset writes it, and the files to put in place (source, target).</summary>
    public (LlavaSample Record, IReadOnlyList<(string From, string To)> Files) Map(DatasetSample sample)
    {
        if (handling == ImageHandling.Keep || sample.Sample.Image is not { } image)
        {
            return (sample.Sample, []);
        }

        var paths = new List<string>(image.Paths.Count);
        var files = new List<(string, string)>(image.Paths.Count);
        for (int i = 0; i < image.Paths.Count; i++)
        {
            string field = image.IsList ? JsonLocator.Index("image", i) : "image";
            string? file = source.ResolveImage(image.Paths[i]);
            if (file is null || _root is null)
            {
                throw sample.Error($"the image {image.Paths[i]} is not under an image folder (give --image-folder, or --images keep)",
                    field);
            }

            string full = Path.GetFullPath(file);
            if (!full.StartsWith(_root, StringComparison.Ordinal))
            {
                throw sample.Error($"the image {full} is outside the image folder {_root} (give --images keep to leave paths as they are)",
                    field);
            }

            string relative = full[_root.Length..].Replace('\\', '/');
            string path = _keepPaths ? relative : ImagesFolder + "/" + relative;
            paths.Add(path);
            files.Add((full, Path.Combine(outputDirectory, path.Replace('/', Path.DirectorySeparatorChar))));
        }

        var record = sample.Sample with { Image = image.IsList ? LlavaImage.List(paths) : LlavaImage.Single(paths[0]) };
        return (record, files);
    }

    /// <summary>Puts the files in place, each once (a file already there is the same image, placed by an earlier sample or run).</summary>
    public void Place(IReadOnlyList<(string From, string To)> files)
    {
        foreach (var (from, to) in files)
        {
            if (File.Exists(to))
            {
                continue;
            }

            if (!File.Exists(from))
            {
                throw new FileNotFoundException($"the image {from} is missing", from);
            }

            _ = handling == ImageHandling.Link ? FilePlacement.SymbolicLink(from, to) : FilePlacement.LinkOrCopy(from, to);
        }
    }
}
