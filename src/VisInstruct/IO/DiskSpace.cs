using Microsoft.Data.Sqlite;

namespace VisInstruct.IO;

/// <summary>Recognises "no space left on device" and "disk quota exceeded" from the file APIs and from SQLite.</summary>
public static class DiskSpace
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int SqliteFull = 13;
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    public static bool IsFull(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case DiskFullException:
                    return true;
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteFull:
                    return true;
                case IOException io when io.HResult is Enospc or Edquot or WindowsDiskFull
                    || io.Message.Contains("No space left on device", StringComparison.Ordinal)
                    || io.Message.Contains("Disk quota exceeded", StringComparison.Ordinal):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The error to report for a full disk while writing under <paramref name="folder"/>: which path, that it is
    /// resumable, and what to do.
    /// </summary>
    public static DiskFullException Explain(Exception ex, string? folder, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (ex is DiskFullException full)
        {
            return full;
        }

        string path = file ?? PathIn(ex) ?? folder ?? "a file";
        string where = folder is null ? "" : $" (filesystem of {System.IO.Path.GetFullPath(folder)})";
        return new DiskFullException(path,
            $"the disk is full: {path} could not be written{where}; nothing finished was lost: free some space and run the same command " +
                $"again to resume",
            ex);
    }

    // .NET names the file in its message as '...'.
    private static string? PathIn(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is IOException)
            {
                int start = e.Message.IndexOf(" '", StringComparison.Ordinal);
                int end = e.Message.LastIndexOf('\'');
                if (start >= 0 && end > start + 2)
                {
                    return e.Message[(start + 2)..end];
                }
            }
        }

        return null;
    }
}
