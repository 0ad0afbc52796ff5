namespace VisInstruct.IO;

/// <summary>
/// Output files written beside their destinations under temporary names and moved into place only when all of them
/// are complete: a failed or interrupted command leaves no half file and does not touch what the user already had.
/// </summary>
public sealed class StagedOutput : IDisposable
{
    private readonly List<(string Temp, string Final)> _files = [];
    private readonly string? _tempDirectory;
    private bool _committed;

    /// <summary>
    /// Stages files beside their destinations, or in <paramref name="tempDirectory"/> (which must be on the same
    /// filesystem) when given: a run that owns such a folder can clear what a killed process left there.
    /// </summary>
    public StagedOutput(string? tempDirectory = null)
    {
        _tempDirectory = tempDirectory;
        if (tempDirectory is not null)
        {
            Directory.CreateDirectory(tempDirectory);
        }
    }

    /// <summary>Creates a temporary file for <paramref name="finalPath"/> (creating its folder) and returns a stream to it.</summary>
    public FileStream Create(string finalPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(finalPath);
        string full = Path.GetFullPath(finalPath);
        if (_files.Any(f => string.Equals(f.Final, full, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"two outputs would both be written to {finalPath}");
        }

        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(_tempDirectory ?? directory, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Path.GetRandomFileName()}");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        _files.Add((temp, full));
        return stream;
    }

    /// <summary>The destinations, in the order they were created.</summary>
    public IReadOnlyList<string> Destinations => _files.ConvertAll(f => f.Final);

    /// <summary>Moves every file into place, replacing what was there.</summary>
    public void Commit()
    {
        foreach (var (temp, final) in _files)
        {
            File.Move(temp, final, overwrite: true);
        }

        _committed = true;
    }

    /// <summary>Deletes the temporary files unless they were committed.</summary>
    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        foreach (var (temp, _) in _files)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Best effort: a temporary file that cannot be deleted is at worst a stray hidden file.
            }
            catch (UnauthorizedAccessException)
            {
                // Same as above.
            }
        }
    }
}
