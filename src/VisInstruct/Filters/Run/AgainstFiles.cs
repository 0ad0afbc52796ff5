using VisInstruct.Datasets;
using VisInstruct.Json;

namespace VisInstruct.Filters.Run;

/// <summary>
/// The image files of the <c>--against</c> sources: a dataset (a folder this tool wrote, or a LLaVA JSON/JSONL file,
/// whose records name the images) or a plain folder of images (a benchmark's image folder), searched recursively.
/// </summary>
internal static class AgainstFiles
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"];

    public static IReadOnlyList<string> Collect(IReadOnlyList<string> sources)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string source in sources)
        {
            foreach (string file in FilesOf(source))
            {
                string full = Path.GetFullPath(file);
                if (seen.Add(full))
                {
                    files.Add(full);
                }
            }
        }

        return files;
    }

    private static IEnumerable<string> FilesOf(string source)
    {
        bool isDataset = File.Exists(source)
            || (Directory.Exists(source)
                && DatasetSource.TrainingFiles.Append("manifest.json").Any(f => File.Exists(Path.Combine(source, f))));
        if (isDataset)
        {
            var dataset = DatasetSource.Open(source);
            return dataset.Read().SelectMany(s => s.ImagePaths).Select(dataset.ResolveImage).OfType<string>().Where(File.Exists).ToList();
        }

        if (!Directory.Exists(source))
        {
            throw new InputFormatException(source, "--against: no such dataset or image folder");
        }

        return Directory.EnumerateFiles(source, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
    }
}
