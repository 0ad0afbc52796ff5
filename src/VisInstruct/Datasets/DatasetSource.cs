using System.Text.Json;
using VisInstruct.Formats;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Datasets;

/// <summary>
/// A dataset to read: a folder this tool wrote (its <c>llava.json</c> and <c>llava_multi.json</c>, with the manifest,
/// card, failures and provenance beside them) or a plain LLaVA JSON/JSONL file. Samples are streamed in file order;
/// image paths resolve against the image folder (the dataset folder for generated images, <c>--image-folder</c> for
/// annotated ones and plain files).
/// </summary>
public sealed class DatasetSource
{
    /// <summary>The training files of a dataset folder, in the order they are read.</summary>
    public static readonly IReadOnlyList<string> TrainingFiles = ["llava.json", "llava_multi.json"];

    private readonly string? _imageRootFull;

    private DatasetSource(string path, bool isFolder, IReadOnlyList<string> files, string? imageRoot, string? recipe)
    {
        Path = path;
        IsFolder = isFolder;
        Files = files;
        ImageRoot = imageRoot;
        _imageRootFull = imageRoot is null ? null : System.IO.Path.GetFullPath(imageRoot);
        Recipe = recipe;
    }

    /// <summary>The folder or file as the user named it.</summary>
    public string Path { get; }

    public bool IsFolder { get; }

    /// <summary>The LLaVA files read, as paths (empty for a render folder, which has images and prompts only).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The folder image paths are relative to, or null when it is not known (annotated data without --image-folder).</summary>
    public string? ImageRoot { get; }

    /// <summary>The recipe named in the folder's manifest, or null for a plain file.</summary>
    public string? Recipe { get; }

    /// <summary>The folder's manifest, card, failures, statistics and image provenance, each null when absent.</summary>
    public string? ManifestPath => Beside("manifest.json");

    public string? CardPath => Beside("README.md");

    public string? FailuresPath => Beside("failures.jsonl");

    public string? StatsPath => Beside("stats.json");

    /// <summary>The filter run's verdicts (<c>filters.jsonl</c>, one line per sample and filter), when the folder holds them.</summary>
    public string? FiltersPath => Beside("filters.jsonl");

    public string? ProvenancePath => Beside(System.IO.Path.Combine("images", "provenance.jsonl")) ?? Beside("provenance.jsonl");

    /// <summary>
    /// Opens <paramref name="path"/>. A folder must hold a <c>manifest.json</c> or one of the training files; a file
    /// must exist. Bad input throws <see cref="InputFormatException"/> naming the path.
    /// </summary>
    public static DatasetSource Open(string path, string? imageFolder = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (imageFolder is not null && !Directory.Exists(imageFolder))
        {
            throw new InputFormatException(imageFolder, "the image folder does not exist");
        }

        if (File.Exists(path))
        {
            string root = imageFolder ?? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            return new DatasetSource(path, isFolder: false, [path], root, recipe: null);
        }

        if (!Directory.Exists(path))
        {
            throw new InputFormatException(path, "no such file or folder");
        }

        string? recipe = ReadRecipe(System.IO.Path.Combine(path, "manifest.json"));
        var files = TrainingFiles.Select(f => System.IO.Path.Combine(path, f)).Where(File.Exists).ToList();
        if (files.Count == 0 && recipe is null)
        {
            throw new InputFormatException(path,
                "not a dataset folder: it has no manifest.json, llava.json or llava_multi.json (for a LLaVA file, name the file)");
        }

        // Generated images are written inside the folder; annotated datasets name images under a data root
        // (vg/..., coco/...) that only the user knows.
        string? imageRoot = imageFolder ?? (recipe is "svit" or "llava-instruct" ? null : path);
        return new DatasetSource(path, isFolder: true, files, imageRoot, recipe);
    }

    /// <summary>Every sample of every training file, in file order. Bad records throw <see cref="InputFormatException"/>.</summary>
    public IEnumerable<DatasetSample> Read(CancellationToken cancellationToken = default)
    {
        foreach (string file in Files)
        {
            using var reader = JsonRecordReader.Open(file);
            while (reader.TryRead(out var raw))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sample = JsonRecords.Deserialize(file, raw, FormatsJsonContext.Default.LlavaSample, CheckShape);
                yield return new DatasetSample(sample, file, raw.Index, raw.Start, SampleGroups.Of(sample, Recipe));
            }
        }
    }

    /// <summary>
    /// The file an image path names: rooted paths as they are, relative ones under the image folder. Null when there
    /// is no image folder or the path climbs out of it.
    /// </summary>
    public string? ResolveImage(string imagePath)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        if (System.IO.Path.IsPathRooted(imagePath))
        {
            return imagePath;
        }

        if (_imageRootFull is null)
        {
            return null;
        }

        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(_imageRootFull, imagePath));
        string root = RelativePath.FolderPrefix(_imageRootFull);
        return full.StartsWith(root, StringComparison.Ordinal) ? full : null;
    }

    private static void CheckShape(LlavaSample sample, in RecordContext context)
    {
        if (sample.Id is null)
        {
            throw context.Error("id", "missing field \"id\"");
        }

        if (sample.Conversations is null)
        {
            throw context.Error("conversations", "missing field \"conversations\"");
        }

        for (int i = 0; i < sample.Conversations.Count; i++)
        {
            var turn = sample.Conversations[i];
            if (turn is null || turn.From is null || turn.Value is null)
            {
                string field = JsonLocator.Index("conversations", i);
                throw context.Error(field, "a turn needs \"from\" and \"value\" strings");
            }
        }
    }

    private string? Beside(string name)
    {
        if (!IsFolder)
        {
            return null;
        }

        string path = System.IO.Path.Combine(Path, name);
        return File.Exists(path) ? path : null;
    }

    private static string? ReadRecipe(string manifest)
    {
        if (!File.Exists(manifest))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(manifest);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("recipe", out var recipe) && recipe.ValueKind == JsonValueKind.String
                ? recipe.GetString() : null;
        }
        catch (JsonException ex)
        {
            throw new InputFormatException(manifest, "the manifest is not valid JSON: " + ex.Message,
                innerException: ex);
        }
    }
}
