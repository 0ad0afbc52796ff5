using System.Globalization;
using System.Text;
using VisInstruct.Json;

namespace VisInstruct.Annotations;

/// <summary>
/// Which images to take: those in an include list (all when there is none) and not in an exclude list. The lists are
/// text files with one image id per line; blank lines and spaces around an id are ignored.
/// </summary>
public sealed class ImageFilter
{
    private readonly HashSet<long>? _include;
    private readonly HashSet<long> _exclude;

    public ImageFilter(IEnumerable<long>? include, IEnumerable<long>? exclude)
    {
        _include = include is null ? null : [.. include];
        _exclude = exclude is null ? [] : [.. exclude];
    }

    /// <summary>How many ids the include list has, or null when there is none.</summary>
    public int? IncludeCount => _include?.Count;

    public int ExcludeCount => _exclude.Count;

    /// <summary>The filter the two files describe, or null when both are null (every image).</summary>
    public static ImageFilter? FromFiles(string? includeFile, string? excludeFile)
    {
        if (includeFile is null && excludeFile is null)
        {
            return null;
        }

        return new ImageFilter(includeFile is null ? null : ReadIds(includeFile), excludeFile is null ? null : ReadIds(excludeFile));
    }

    public bool Includes(long imageId) => (_include is null || _include.Contains(imageId)) && !_exclude.Contains(imageId);

    /// <summary>The ids in a file of one id per line.</summary>
    public static List<long> ReadIds(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InputFormatException(path, "this is a folder; a file of image ids, one per line, is needed here");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(path, "file not found", innerException: ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new InputFormatException(path, $"cannot read the file: {ex.Message}", innerException: ex);
        }

        var ids = new List<long>();
        int offset = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        long line = 1;
        while (offset < bytes.Length)
        {
            int newline = bytes.AsSpan(offset).IndexOf((byte)'\n');
            int length = newline < 0 ? bytes.Length - offset : newline;
            ReadOnlySpan<byte> text = bytes.AsSpan(offset, length);
            int lead = text.IndexOfAnyExcept(" \t\r"u8);
            if (lead >= 0)
            {
                ReadOnlySpan<byte> trimmed = text[lead..].TrimEnd(" \t\r"u8);
                if (!TryParseId(trimmed, out long id))
                {
                    string shown = Encoding.UTF8.GetString(trimmed);
                    throw new InputFormatException(path,
                        $"expected an image id (a non-negative integer) on line {line}, found " +
                            $"\"{(shown.Length > 40 ? shown[..37] + "..." : shown)}\"",
                        new SourcePosition(line, lead + 1, offset + lead));
                }

                ids.Add(id);
            }

            offset += length + 1;
            line++;
        }

        return ids;
    }

    private static bool TryParseId(ReadOnlySpan<byte> text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);
}
