using VisInstruct.IO;

namespace VisInstruct.Report;

/// <summary>
/// What <c>view</c> may serve: a URL path maps to a file of the report folder, or, under <c>images/</c>, to a file of
/// the image folder. Anything else (a path that climbs out, a hidden or temporary name, a link out of the folder)
/// is refused. Also says whether a report is older than its dataset.
/// </summary>
public static class ReportFiles
{
    public const string ImagePrefix = "images/";

    /// <summary>The file <paramref name="urlPath"/> (decoded, without the query) names, or null when it is not one to serve.</summary>
    public static string? Resolve(string reportFolder, string? imageRoot, string urlPath)
    {
        ArgumentNullException.ThrowIfNull(reportFolder);
        ArgumentNullException.ThrowIfNull(urlPath);
        string path = urlPath.TrimStart('/');
        if (path.Length == 0)
        {
            path = ReportBuilder.PageFile;
        }

        if (path.Contains('\0', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal)
            || path.Split('/').Any(part => part is "" or "." or ".."))
        {
            return null;
        }

        if (path.StartsWith(ImagePrefix, StringComparison.Ordinal))
        {
            return imageRoot is null ? null : Inside(imageRoot, path[ImagePrefix.Length..], checkLinks: false);
        }

        return path.Split('/').Any(part => part.StartsWith('.')) ? null : Inside(reportFolder, path, checkLinks: true);
    }

    /// <summary>The media type of a file served by name.</summary>
    public static string ContentType(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        ".gif" => "image/gif",
        ".bmp" => "image/bmp",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };

    /// <summary>
    /// Whether the report in <paramref name="reportFolder"/> exists and is newer than every file it was made from
    /// (the training files, manifest, failures, statistics and provenance).
    /// </summary>
    public static bool IsCurrent(string reportFolder, Datasets.DatasetSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        string page = Path.Combine(reportFolder, ReportBuilder.PageFile);
        if (!File.Exists(page))
        {
            return false;
        }

        var written = File.GetLastWriteTimeUtc(page);
        var inputs = source.Files.Concat(new[] { source.ManifestPath, source.FailuresPath, source.StatsPath, source.ProvenancePath }
            .OfType<string>());
        return inputs.All(f => File.GetLastWriteTimeUtc(f) <= written);
    }

    private static string? Inside(string folder, string relative, bool checkLinks)
    {
        string root = RelativePath.FolderPrefix(folder);
        string full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full))
        {
            return null;
        }

        // In the report folder a symbolic link is followed only when its target stays inside; the image folder is the
        // user's own (datasets often link their image folders in), so its links are followed.
        var info = new FileInfo(full);
        if (checkLinks && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
            && !Path.GetFullPath(target.FullName).StartsWith(root, StringComparison.Ordinal))
        {
            return null;
        }

        return full;
    }
}
