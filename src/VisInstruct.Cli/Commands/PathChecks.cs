namespace VisInstruct.Cli.Commands;

/// <summary>Checks of the paths a command is given, made before it reads or creates anything (bad usage: exit 2).</summary>
internal static class PathChecks
{
    /// <summary>An output file must not be an existing folder (a file there is replaced, a folder never).</summary>
    public static void OutputFile(string path, string option)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"{option} {path} is a folder; give the name of the file to write");
        }
    }

    /// <summary>A folder that is read must be a folder, not a file (when it is given).</summary>
    public static void InputFolder(string? path, string option)
    {
        if (path is null)
        {
            return;
        }

        if (File.Exists(path))
        {
            throw new UsageException($"{option} {path} is a file; give the folder that holds the images");
        }

        if (!Directory.Exists(path))
        {
            throw new UsageException($"{option} {path}: no such folder");
        }
    }
}
