using System.Runtime.InteropServices;

namespace VisInstruct.IO;

/// <summary>How <see cref="FilePlacement"/> put a file in place.</summary>
public enum PlacedAs
{
    /// <summary>A hard link to the same data (same filesystem, POSIX).</summary>
    HardLink,

    /// <summary>A copy of the bytes.</summary>
    Copy,

    /// <summary>A symbolic link to the source's absolute path.</summary>
    SymbolicLink,
}

/// <summary>
/// Puts a file at a new path the cheap way that keeps it whole: a hard link where the filesystem allows one, else a
/// copy written under a temporary name and renamed, so that an interrupted command never leaves half an image; or a
/// symbolic link. Used wherever images are gathered under an output folder (export, mix).
/// </summary>
public static class FilePlacement
{
    /// <summary>Hard-links or copies <paramref name="source"/> to <paramref name="target"/>, replacing what is there.</summary>
    public static PlacedAs LinkOrCopy(string source, string target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        string directory = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, StagedOutput.TempName(Path.GetFileName(target)));
        PlacedAs placed;
        if (TryHardLink(Path.GetFullPath(source), temp))
        {
            placed = PlacedAs.HardLink;
        }
        else
        {
            File.Copy(source, temp);
            placed = PlacedAs.Copy;
        }

        File.Move(temp, target, overwrite: true);
        return placed;
    }

    /// <summary>
    /// Makes <paramref name="target"/> a symbolic link to the absolute path of <paramref name="source"/>, replacing what
    /// is there.
    /// </summary>
    public static PlacedAs SymbolicLink(string source, string target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        if (File.Exists(target) || new FileInfo(target).LinkTarget is not null)
        {
            File.Delete(target);
        }

        File.CreateSymbolicLink(target, Path.GetFullPath(source));
        return PlacedAs.SymbolicLink;
    }

    private static bool TryHardLink(string existing, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return Link(existing, target) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string target);
}
