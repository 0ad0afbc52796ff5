using VisInstruct.IO;

namespace VisInstruct.Export;

/// <summary>
/// Where a ShareGPT or LLaVA export points at an image: its absolute path, or a copy or symbolic link under the
/// output's <c>images/</c> folder at the record's relative path (a rooted path goes under <c>images/_abs/</c>). A copy
/// is a hard link where the filesystem allows one, else the bytes written to a temporary name and renamed, so an
/// interrupted export leaves only whole images.
/// </summary>
internal sealed class ImagePlacer(string outFolder, ImageHandling handling)
{
    public const string ImagesFolder = "images";

    /// <summary>The image's path below <c>OUT/images</c> (forward slashes), or its absolute path when nothing is placed.</summary>
    public string Place(string recordPath, string sourceFile)
    {
        if (handling == ImageHandling.Absolute)
        {
            return Path.GetFullPath(sourceFile);
        }

        string relative = Path.IsPathRooted(recordPath)
            ? "_abs/" + recordPath.Replace('\\', '/').TrimStart('/').Replace(":", "", StringComparison.Ordinal)
            : recordPath.Replace('\\', '/');
        while (relative.StartsWith("./", StringComparison.Ordinal))
        {
            relative = relative[2..];
        }

        string target = Path.Combine(outFolder, ImagesFolder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (handling == ImageHandling.Link)
        {
            FilePlacement.SymbolicLink(sourceFile, target);
        }
        else if (!SameFile(sourceFile, target))
        {
            FilePlacement.LinkOrCopy(sourceFile, target);
        }

        return relative;
    }

    // A copy already there from an earlier export of the same source (same length, not older) is kept.
    private static bool SameFile(string source, string target)
    {
        var t = new FileInfo(target);
        if (!t.Exists || t.LinkTarget is not null)
        {
            return false;
        }

        var s = new FileInfo(source);
        return s.Length == t.Length && t.LastWriteTimeUtc >= s.LastWriteTimeUtc;
    }
}
