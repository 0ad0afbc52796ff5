namespace VisInstruct.IO;

/// <summary>Checks of paths that a data file gives relative to a folder (image paths).</summary>
public static class RelativePath
{
    /// <summary>The full path of <paramref name="folder"/> ending in a separator: what a file inside it starts with.</summary>
    public static string FolderPrefix(string folder)
    {
        string full = Path.GetFullPath(folder);
        return full.EndsWith(Path.DirectorySeparatorChar) ? full : full + Path.DirectorySeparatorChar;
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot be used as a path inside its folder (empty, absolute, climbing out with
    /// <c>..</c>, a NUL byte), or null when it is fine.
    /// </summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return "the path is empty";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "the path contains a NUL character";
        }

        if (path[0] is '/' or '\\' || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':'))
        {
            return $"the path \"{path}\" is absolute; it must be relative to the image folder";
        }

        int depth = 0;
        foreach (string segment in path.Split('/', '\\'))
        {
            if (segment == "..")
            {
                depth--;
                if (depth < 0)
                {
                    return $"the path \"{path}\" climbs out of the image folder";
                }
            }
            else if (segment.Length > 0 && segment != ".")
            {
                depth++;
            }
        }

        return depth == 0 ? $"the path \"{path}\" names the folder itself, not a file" : null;
    }

    /// <summary>Joins a prefix and a relative path with '/', as training files write paths on every platform.</summary>
    public static string Join(string prefix, string relative)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(relative);
        if (prefix.Length == 0)
        {
            return relative;
        }

        return prefix.TrimEnd('/', '\\') + "/" + relative;
    }
}
