using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using VisInstruct.IO;

namespace VisInstruct.Filters.Images;

/// <summary>
/// Perceptual hashes of image files, computed in parallel and kept in a file between runs (a rerun or a resumed run
/// hashes only what is new or changed: a file is known by its full path, length and modification time). The cache file
/// is a small TSV in the run's state folder, written under a temporary name and renamed.
/// </summary>
public sealed class HashCache
{
    private const string Undecodable = "-";

    private readonly string? _file;
    private readonly ConcurrentDictionary<string, (long Length, long Ticks, ulong? Hash)> _known = new(StringComparer.Ordinal);

    private HashCache(string? file) => _file = file;

    /// <summary>Hashes computed by this instance (not found in the cache).</summary>
    public long Computed => Interlocked.Read(ref _computed);

    /// <summary>Opens the cache at <paramref name="file"/> (null: in memory only). A damaged cache is ignored, not an error.</summary>
    public static HashCache Open(string? file)
    {
        var cache = new HashCache(file);
        if (file is null || !File.Exists(file))
        {
            return cache;
        }

        foreach (string line in File.ReadLines(file))
        {
            string[] parts = line.Split('\t', 4);
            if (parts.Length == 4 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long length)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks))
            {
                ulong? hash = parts[0] == Undecodable ? null
                    : ulong.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong h) ? h : null;
                if (hash is not null || parts[0] == Undecodable)
                {
                    cache._known[parts[3]] = (length, ticks, hash);
                }
            }
        }

        return cache;
    }

    /// <summary>
    /// The hash of each file (null for one that is missing or cannot be decoded), hashing the unknown ones on every
    /// core; <paramref name="progress"/> gets the number done now and then.
    /// </summary>
    public IReadOnlyList<ulong?> HashAll(IReadOnlyList<string> files, Action<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var hashes = new ulong?[files.Count];
        long done = 0;
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            hashes[i] = Hash(files[i]);
            long n = Interlocked.Increment(ref done);
            if (n % 5000 == 0)
            {
                progress?.Invoke(n);
            }
        });
        return hashes;
    }

    /// <summary>The hash of one file, from the cache when it has not changed.</summary>
    public ulong? Hash(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string full = Path.GetFullPath(file);
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            return null;
        }

        long ticks = info.LastWriteTimeUtc.Ticks;
        if (_known.TryGetValue(full, out var known) && known.Length == info.Length && known.Ticks == ticks)
        {
            return known.Hash;
        }

        ulong? hash;
        try
        {
            hash = PerceptualHash.ComputeFile(full);
        }
        catch (IOException)
        {
            hash = null;
        }

        Interlocked.Increment(ref _computed);
        _known[full] = (info.Length, ticks, hash);
        return hash;
    }

    /// <summary>Writes the cache file (nothing for an in-memory cache, or when nothing was computed).</summary>
    public void Save()
    {
        if (_file is null || Computed == 0)
        {
            return;
        }

        var sb = new StringBuilder();
        foreach (var (path, (length, ticks, hash)) in _known.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (path.AsSpan().IndexOfAny('\t', '\n') >= 0)
            {
                continue;
            }

            sb.Append(hash is { } h ? h.ToString("x16", CultureInfo.InvariantCulture) : Undecodable).Append('\t')
                .Append(length.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(ticks.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(path).Append('\n');
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_file))!);
        string temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_file))!, StagedOutput.TempName(Path.GetFileName(_file)));
        File.WriteAllText(temp, sb.ToString());
        File.Move(temp, _file, overwrite: true);
    }

    private long _computed;
}
