using VisInstruct.Formats;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Conversion;

/// <summary>
/// The one naming rule that <c>render</c> and <c>convert stablellava</c> share. An entry's <c>image</c> field is its
/// image's path relative to the image root (<c>color/101.jpg</c>, as in every released file): <c>render --save-path
/// ROOT</c> writes the image to <c>ROOT/&lt;image&gt;</c>, and <c>convert stablellava --image-path ROOT</c> points the
/// LLaVA sample at <c>ROOT/&lt;image&gt;</c>. The LLaVA <c>id</c> is the entry id zero-padded to 12 digits. (The
/// original scripts disagree: one saves <c>0.jpg</c>, the other points at <c>000000000000.jpg</c>.)
/// </summary>
public static class StableLlavaLayout
{
    public const string ImageToken = "<image>";

    /// <summary>The ability files of a prompt path: the file itself, or every <c>*.json</c> in the folder in ordinal name order.</summary>
    public static IReadOnlyList<string> AbilityFiles(string promptPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(promptPath);
        if (File.Exists(promptPath))
        {
            return [promptPath];
        }

        if (!Directory.Exists(promptPath))
        {
            throw new InputFormatException(promptPath, "no such file or folder");
        }

        var files = Directory.EnumerateFiles(promptPath)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new InputFormatException(promptPath, "the folder has no .json ability files");
        }

        return files;
    }

    /// <summary>The ability an ability file holds: its name without <c>.json</c> (<c>dataset/animal.json</c> is <c>animal</c>).</summary>
    public static string AbilityName(string file)
    {
        string name = Path.GetFileName(file);
        return name.EndsWith(".json", StringComparison.Ordinal) ? name[..^5] : name;
    }

    /// <summary>
    /// The image root a render with <c>--save-path SAVE</c> writes under. Normally SAVE itself. But when SAVE already
    /// ends in the folder every entry's image sits in (<c>train_set/animal/</c> for entries <c>animal/0.jpg</c>, as
    /// StableLLaVA's own README runs it), the root is SAVE's parent, so the images land in SAVE rather than one folder
    /// deeper (<c>train_set/animal/animal/0.jpg</c>), and <c>convert stablellava --image-path train_set</c> finds
    /// them either way. <paramref name="folder"/> is that shared folder when the rule applied, null otherwise.
    /// </summary>
    public static string ImageRoot(string saveDirectory, IReadOnlyList<string> abilityFiles, out string? folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(saveDirectory);
        ArgumentNullException.ThrowIfNull(abilityFiles);
        folder = null;
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(saveDirectory));
        string last = Path.GetFileName(full);
        string? parent = Path.GetDirectoryName(full);
        if (last.Length == 0 || parent is null)
        {
            return saveDirectory;
        }

        bool any = false;
        foreach (string file in abilityFiles)
        {
            using var reader = JsonRecordReader.OpenArray(file);
            foreach (var entry in JsonRecords.Read(reader, FormatsJsonContext.Default.StableLlavaEntry, Check))
            {
                int slash = entry.Image.IndexOfAny(['/', '\\']);
                if (slash <= 0 || !string.Equals(entry.Image[..slash], last, StringComparison.Ordinal))
                {
                    return saveDirectory;
                }

                any = true;
            }
        }

        if (!any)
        {
            return saveDirectory;
        }

        folder = last;
        // Said as the user said it: relative when the save path was relative.
        return Path.IsPathRooted(saveDirectory) ? parent : Path.GetRelativePath(Environment.CurrentDirectory, parent);
    }

    /// <summary>The image's path relative to the image root.</summary>
    public static string ImageRelativePath(StableLlavaEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Image;
    }

    /// <summary>Rejects entries whose image path would leave the image root.</summary>
    public static void Check(StableLlavaEntry entry, in RecordContext context)
    {
        if (RelativePath.Problem(entry.Image) is { } problem)
        {
            throw context.Error("image", problem);
        }
    }
}
