using VisInstruct.IO;

namespace VisInstruct.Export;

/// <summary>
/// Numbered output files whose final names are known only at the end (<c>NAME-00000-of-00004.parquet</c> needs the
/// count): each is written under a temporary name beside its destination and renamed on <see cref="Commit"/>;
/// without a commit every one is deleted. A commit also removes the shards of an earlier export under the same name
/// that this one did not write, so that a reader globbing <c>NAME-*</c> sees this export only.
/// </summary>
internal sealed class ShardSet : IDisposable
{
    private readonly string _directory;
    private readonly Func<int, int, string> _finalName;
    private readonly Func<string, bool> _isOurs;
    private readonly List<string> _temps = [];
    private bool _committed;

    /// <param name="directory">Where the shards go.</param>
    /// <param name="finalName">The name of shard <c>index</c> of <c>count</c>.</param>
    /// <param name="isOurs">True for a file name this export's naming would produce (removed when left from an earlier export).</param>
    public ShardSet(string directory, Func<int, int, string> finalName, Func<string, bool> isOurs)
    {
        _directory = directory;
        _finalName = finalName;
        _isOurs = isOurs;
        Directory.CreateDirectory(directory);
    }

    public int Count => _temps.Count;

    /// <summary>A new shard's stream (read-write, seekable).</summary>
    public FileStream Next()
    {
        string temp = Path.Combine(_directory, StagedOutput.TempName(_finalName(_temps.Count, 0)));
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
        _temps.Add(temp);
        return stream;
    }

    /// <summary>Renames every shard to its final name and returns those paths.</summary>
    public IReadOnlyList<string> Commit()
    {
        var finals = new List<string>();
        for (int i = 0; i < _temps.Count; i++)
        {
            string final = Path.Combine(_directory, _finalName(i, _temps.Count));
            File.Move(_temps[i], final, overwrite: true);
            finals.Add(final);
        }

        _committed = true;
        var kept = new HashSet<string>(finals.Select(Path.GetFileName)!, StringComparer.Ordinal);
        foreach (string old in Directory.EnumerateFiles(_directory).ToList())
        {
            string name = Path.GetFileName(old);
            if (!kept.Contains(name) && _isOurs(name))
            {
                File.Delete(old);
            }
        }

        return finals;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        foreach (string temp in _temps)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Best effort: at worst a stray hidden file, removed by the next export's stale sweep.
            }
            catch (UnauthorizedAccessException)
            {
                // Same as above.
            }
        }
    }
}
