using VisInstruct.Datasets;
using VisInstruct.IO;

namespace VisInstruct.Mix;

/// <summary>
/// Gives each image of a mixed sample its path in the mix and puts the file there: with <see cref="ImageMode.Rebase"/>
/// the path relative to the one image root (an image outside it is an error naming the source and sample); with
/// <see cref="ImageMode.Copy"/> and <see cref="ImageMode.Link"/> <c>images/SOURCE/PATH</c> (PATH relative to the
/// source's image folder) under the output, a hard link or copy, or a symbolic link.
/// </summary>
internal sealed class ImagePlacer
{
    /// <summary>The folder under the output that copied and linked images go to.</summary>
    public const string ImagesFolder = "images";

    private readonly ImageMode _mode;
    private readonly string? _root;
    private readonly string _staging;

    public ImagePlacer(ImageMode mode, string? imageRoot, string stagingFolder)
    {
        _mode = mode;
        _root = imageRoot is null ? null : RelativePath.FolderPrefix(imageRoot);
        _staging = stagingFolder;
    }

    /// <summary>Files hard-linked, copied and symlinked so far.</summary>
    public long Linked { get; private set; }

    public long Copied { get; private set; }

    public long Symlinked { get; private set; }

    /// <summary>
    /// The path image <paramref name="index"/> of <paramref name="sample"/> (the file <paramref name="file"/>) has in
    /// the mix, '/'-separated. Throws <see cref="Json.InputFormatException"/> when it cannot have one.
    /// </summary>
    public string PathFor(MixSource source, DatasetSample sample, int index, string file)
    {
        string field = sample.Sample.Image!.IsList ? Json.JsonLocator.Index("image", index) : "image";
        if (_mode == ImageMode.Rebase)
        {
            string full = Path.GetFullPath(file);
            if (!full.StartsWith(_root!, StringComparison.Ordinal))
            {
                throw sample.Error($"source {source.Name}: the image {file} is outside --image-root {_root}", field);
            }

            return full[_root!.Length..].Replace('\\', '/');
        }

        string sourceRoot = RelativePath.FolderPrefix(source.Dataset.ImageRoot!);
        string image = Path.GetFullPath(file);
        if (!image.StartsWith(sourceRoot, StringComparison.Ordinal))
        {
            throw sample.Error($"source {source.Name}: the image {file} is outside its image folder {sourceRoot} " +
                "(give that source an --image-folder holding it, or use --images rebase)", field);
        }

        return ImagesFolder + "/" + source.Name + "/" + image[sourceRoot.Length..].Replace('\\', '/');
    }

    /// <summary>Puts <paramref name="file"/> at <paramref name="mixPath"/> under the staging folder, once (copy and link modes).</summary>
    public void Place(string file, string mixPath)
    {
        if (_mode == ImageMode.Rebase)
        {
            return;
        }

        string target = Path.Combine(_staging, mixPath[(ImagesFolder.Length + 1)..].Replace('/', Path.DirectorySeparatorChar));
        if (File.Exists(target) || Directory.Exists(target))
        {
            return;
        }

        var placed = _mode == ImageMode.Link ? FilePlacement.SymbolicLink(file, target) : FilePlacement.LinkOrCopy(file, target);
        switch (placed)
        {
            case PlacedAs.SymbolicLink:
                Symlinked++;
                break;
            case PlacedAs.HardLink:
                Linked++;
                break;
            default:
                Copied++;
                break;
        }
    }
}
