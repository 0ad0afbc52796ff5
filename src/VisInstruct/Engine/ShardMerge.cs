using System.Globalization;
using System.Text.Json;

namespace VisInstruct.Engine;

/// <summary>
/// <c>visinstruct merge</c>: checks that the shard folders are all the shards of one run (same recipe, configuration
/// and seed; every index of the same count exactly once; each complete), then writes the dataset as the unsharded run
/// would have: records merged in key order, generated files (images) gathered by hard link or copy.
/// </summary>
public static class ShardMerge
{
    private static readonly HashSet<string> EngineFiles = new(StringComparer.Ordinal)
    {
        DatasetWriter.FailuresFile, DatasetWriter.ManifestFile, DatasetWriter.CardFile, DatasetWriter.StatisticsFile, "run.log",
    };

    private static bool Readable(RunState state)
    {
        try
        {
            return state.QuickCheck();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return false;
        }
    }

    private static MergeException Unreadable(string directory, string path, Microsoft.Data.Sqlite.SqliteException ex)
    {
        string what = ex.SqliteErrorCode switch
        {
            26 => "it is not an SQLite database",
            11 => "the database is damaged",
            14 => "it cannot be opened",
            _ => "SQLite says: " + ex.Message.Replace("SQLite Error ", "error ", StringComparison.Ordinal),
        };
        return new MergeException($"{directory}: the shard's run state {path} cannot be read ({what}); run that shard again into a "
            + $"fresh folder (same command, same --shard-index) and merge again");
    }

    /// <summary>
    /// Merges; <paramref name="cardFor"/> gives a recipe's dataset card renderer (null for the generic one),
    /// <paramref name="statisticsFor"/> its <c>stats.json</c> writer (null for none).
    /// </summary>
    public static RunOutcome Merge(IReadOnlyList<string> shardDirectories, string outputDirectory,
        Func<string, Func<DatasetSummary, string>?> cardFor,
        Json.JsonStyle? style = null, TimeProvider? time = null, Func<string, Func<DatasetSummary, string?>?>? statisticsFor = null)
    {
        ArgumentNullException.ThrowIfNull(shardDirectories);
        ArgumentNullException.ThrowIfNull(cardFor);
        if (shardDirectories.Count == 0)
        {
            throw new MergeException("give at least one shard folder");
        }

        string fullOut = Path.GetFullPath(outputDirectory);
        if (shardDirectories.Any(d => string.Equals(Path.GetFullPath(d).TrimEnd('/'), fullOut.TrimEnd('/'), StringComparison.Ordinal)))
        {
            throw new MergeException("--out must be a folder of its own, not one of the shards");
        }

        var states = new List<RunState>();
        try
        {
            foreach (string directory in shardDirectories)
            {
                string path = GenerationEngine.StatePath(directory);
                if (!File.Exists(path))
                {
                    throw new MergeException($"{directory}: no run state ({path}); is this a shard's --out folder?");
                }

                if (File.Exists(path + ".lock") && LeaseHolder.Read(path + ".lock") is var holder
                    && holder.StaleBecause(DateTimeOffset.UtcNow) is null)
                {
                    throw new MergeException($"{directory} is being written by {holder.Describe()} (its lease's heartbeat is "
                        + $"{LeaseHolder.Words(holder.Age(DateTimeOffset.UtcNow))} old): wait for that run to finish, then merge");
                }

                try
                {
                    var state = RunState.OpenForReading(path);
                    states.Add(state);
                    _ = state.Meta.Get("recipe");
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    throw Unreadable(directory, path, ex);
                }
            }

            var shards = Check(shardDirectories, states);
            foreach (var (directory, state) in shardDirectories.Zip(states))
            {
                CheckReferences(directory, state);
            }

            Directory.CreateDirectory(outputDirectory);
            long copied = 0;
            foreach (var (directory, state) in shardDirectories.Zip(states))
            {
                copied += GatherFiles(directory, outputDirectory, state.Items.OutputFiles());
            }

            var usage = states.SelectMany(s => s.Usage.Read()).GroupBy(u => (u.Backend, u.Model))
                .Select(g => g.Aggregate((a, b) => a.Plus(b))).OrderBy(u => u.Backend, StringComparer.Ordinal)
                    .ThenBy(u => u.Model, StringComparer.Ordinal).ToList();
            var counts = states.Select(s => s.Items.CountByStatus()).ToList();
            string recipe = states[0].Meta.Get("recipe")!;
            var outcome = new RunOutcome
            {
                OutputDirectory = outputDirectory,
                Recipe = recipe,
                Shard = ShardSpec.Whole,
                Items = counts.Sum(c => c.Values.Sum()),
                Done = counts.Sum(c => c.GetValueOrDefault(ItemStatus.Done)),
                Failed = counts.Sum(c => c.GetValueOrDefault(ItemStatus.Failed)),
                Dropped = counts.Sum(c => c.GetValueOrDefault(ItemStatus.Dropped)),
                Failures = DatasetWriter.MergeByKey(states.Select(s => s.Items.Failures()), f => f.Key)
                    .GroupBy(f => (f.Stage, f.Kind, f.Dropped))
                        .Select(g => new FailureCount(g.Key.Stage, g.Key.Kind, g.Key.Dropped, g.LongCount()))
                    .OrderByDescending(f => f.Count).ThenBy(f => f.Stage, StringComparer.Ordinal).ToList(),
                Usage = usage,
            };
            var files = DatasetWriter.Materialize(states, outputDirectory, new MaterializeRequest
            {
                Recipe = recipe,
                Seed = ulong.Parse(states[0].Meta.Get("seed") ?? "0", CultureInfo.InvariantCulture),
                ResolvedConfig = states[0].Meta.Get("config") ?? "{}",
                Card = cardFor(recipe),
                Statistics = statisticsFor?.Invoke(recipe),
                ReproduceCommand = states[0].Meta.Get("reproduce"),
                Style = style ?? Json.JsonStyle.Compact,
                Outcome = outcome,
                Time = time ?? TimeProvider.System,
                TempDirectory = GenerationEngine.TempDirectory(outputDirectory),
            });
            Directory.Delete(GenerationEngine.TempDirectory(outputDirectory), recursive: true);
            if (!Directory.EnumerateFileSystemEntries(GenerationEngine.StateDirectory(outputDirectory)).Any())
            {
                Directory.Delete(GenerationEngine.StateDirectory(outputDirectory));
            }
            return outcome with { DatasetFiles = files, ProcessedNow = copied };
        }
        catch (Exception ex) when (IO.DiskSpace.IsFull(ex))
        {
            throw IO.DiskSpace.Explain(ex, outputDirectory);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            // Damage deeper in a file than its first page shows only when that part is read.
            int index = states.FindIndex(s => !Readable(s));
            throw index >= 0
                ? Unreadable(shardDirectories[index], states[index].Path, ex)
                : Unreadable(string.Join(", ", shardDirectories), "of one of these shards", ex);
        }
        finally
        {
            foreach (var state in states)
            {
                state.Dispose();
            }
        }
    }

    private static int Check(IReadOnlyList<string> directories, List<RunState> states)
    {
        string Meta(int i, string key) =>
            states[i].Meta.Get(key) ?? throw new MergeException($"{directories[i]}: the run state has no {key}; it was never started");

        var seen = new Dictionary<int, string>();
        int? count = null;
        for (int i = 0; i < states.Count; i++)
        {
            foreach (string key in new[] { "recipe", "seed" })
            {
                if (Meta(i, key) != Meta(0, key))
                {
                    throw new MergeException($"{directories[i]} has {key} {Meta(i, key)}, but {directories[0]} has {Meta(0, key)}: they "
                        + $"are not shards of one run");
                }
            }

            // The fingerprint (what shapes each item) and the resolved settings (what decides which items there are:
            // --count, abilities, tasks, image lists), less what only says how the run went about it.
            var changes = FingerprintDiff.Differences(Meta(0, "fingerprint"), Meta(i, "fingerprint"))
                .Concat(FingerprintDiff.Differences(Meta(0, "config"), Meta(i, "config")).Where(d => !Operational(d.Path)))
                .DistinctBy(d => d.Path).ToList();
            if (changes.Count > 0)
            {
                throw new MergeException(
                    $"{directories[i]} was made with other settings than {directories[0]}, so they are not shards of one run: "
                    + string.Join("; ",
                        changes.Select(d => $"{d.Path} is {d.After} in {directories[i]} but {d.Before} in {directories[0]}"))
                    + ". Run every shard with the same command and configuration (only --shard-index differs), then merge");
            }

            string[] shard = Meta(i, "shard").Split('/');
            int index = int.Parse(shard[0], CultureInfo.InvariantCulture);
            int shardCount = int.Parse(shard[1], CultureInfo.InvariantCulture);
            if (count is not null && count != shardCount)
            {
                throw new MergeException($"{directories[i]} is shard {index + 1} of {shardCount}, but {directories[0]} is one of {count}");
            }

            count = shardCount;
            if (!seen.TryAdd(index, directories[i]))
            {
                throw new MergeException($"{directories[i]} and {seen[index]} are both shard {index + 1} of {shardCount}");
            }

            if (states[i].Meta.Get("complete") != "true")
            {
                throw new MergeException($"{directories[i]} (shard {index + 1} of {shardCount}) is not complete: run its command again "
                    + $"to finish it, then merge");
            }
        }

        var missing = Enumerable.Range(0, count!.Value).Where(i => !seen.ContainsKey(i))
            .Select(i => (i + 1).ToString(CultureInfo.InvariantCulture)).ToList();
        if (missing.Count > 0)
        {
            throw new MergeException($"shards {string.Join(", ", missing)} of {count} are missing");
        }

        return count.Value;
    }

    /// <summary>
    /// Settings of the resolved configuration that may differ between the shards of one run: where the servers are,
    /// credentials' variable names, timeouts, concurrency, retries, prices, output layout, and where input files lie
    /// (their contents are in the fingerprint).
    /// </summary>
    private static bool Operational(string path)
    {
        string[] parts = path.Split('.');
        string last = parts[^1];
        return parts[0] is "stall_warning_seconds" or "max_failure_ratio" or "prices" or "output" or "annotations"
            || (parts.Length == 2 && parts[0] is "llm" or "vision" or "images"
                && last is "endpoints" or "api_key_env" or "username_env" or "password_env" or "timeout_seconds" or "queue_timeout_seconds"
                    or "concurrency" or "retries")
            || (parts.Length == 2 && parts[0] is "svit" or "llava_instruct" && last is "prompts" or "detail_questions" or "image_ids"
                or "exclude_image_ids")
            || (parts.Length == 2 && parts[0] is "stablellava" && last is "abilities_file" or "caption_instructions_file");
    }

    /// <summary>
    /// Every file the shard's outputs name that the shard should hold (generated images): each must be there, inside
    /// the shard's folder, before anything is written. Images of the annotation recipes (Visual Genome, COCO) are the
    /// user's and not in the shard.
    /// </summary>
    private static void CheckReferences(string directory, RunState state)
    {
        string root = Path.GetFullPath(directory);
        var missing = new List<string>();
        long count = 0;
        string? first = null;
        var checkedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in state.Items.OutputFiles())
        {
            foreach (var (key, record) in state.Items.Records(file))
            {
                foreach (string reference in References(file, record))
                {
                    if (!checkedFiles.Add(reference))
                    {
                        continue;
                    }

                    string full = Path.GetFullPath(Path.Combine(root, reference));
                    if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new MergeException($"{directory}: {file} (item {key}) names {reference}, which is outside the shard's "
                            + $"folder; this shard's outputs were changed by hand: run it again into a fresh folder");
                    }

                    if (!File.Exists(full))
                    {
                        count++;
                        first ??= $"item {key} in {file}";
                        if (missing.Count < 5)
                        {
                            missing.Add(reference);
                        }
                    }
                }
            }
        }

        if (count > 0)
        {
            throw new MergeException(count == 1
                ? $"{directory}: a file its outputs name is missing: {missing[0]} (named by {first}). Restore it, or run that shard "
                    + $"again into a fresh folder (same command), then merge"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{directory}: {count} files its outputs name are missing: {string.Join(", ", missing)}"
                        + $"{(count > missing.Count ? ", ..." : "")} (the first named by {first}). Restore them, or run that shard again "
                        + $"into a fresh folder (same command), then merge"));
        }
    }

    /// <summary>The shard-relative paths one output record names: <c>images/provenance.jsonl</c>'s <c>image.file</c>,
    /// <c>llava.json</c>'s <c>image</c> (one or a list) under <c>images/</c>, a StableLLaVA file's <c>image</c> (relative to
    /// <c>images/</c>).</summary>
    private static IEnumerable<string> References(string file, byte[] record)
    {
        const string Images = "images/";
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(record);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            yield break;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (file == Images + "provenance.jsonl")
        {
            if (root.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.Object
                && image.TryGetProperty("file", out var path) && path.ValueKind == JsonValueKind.String)
            {
                yield return path.GetString()!;
            }

            yield break;
        }

        if (!root.TryGetProperty("image", out var named))
        {
            yield break;
        }

        var values = named.ValueKind switch
        {
            JsonValueKind.String => [named.GetString()!],
            JsonValueKind.Array =>
                named.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
            _ => new List<string>(),
        };
        foreach (string value in values)
        {
            if (file.StartsWith("stablellava/", StringComparison.Ordinal))
            {
                yield return Images + value;
            }
            else if (!file.Contains('/', StringComparison.Ordinal) && value.StartsWith(Images, StringComparison.Ordinal))
            {
                yield return value;
            }
        }
    }

    /// <summary>Hard-links (or copies) the files a shard generated (images and the like) into the merged folder.</summary>
    private static long GatherFiles(string shardDirectory, string outputDirectory, IReadOnlyList<string> datasetFiles)
    {
        var skip = new HashSet<string>(datasetFiles, StringComparer.Ordinal);
        long count = 0;
        foreach (string file in Directory.EnumerateFiles(shardDirectory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(shardDirectory, file).Replace('\\', '/');
            if (relative.StartsWith(".visinstruct/", StringComparison.Ordinal) || EngineFiles.Contains(relative) || skip.Contains(relative)
                || Path.GetFileName(relative).StartsWith('.'))
            {
                continue;
            }

            string target = Path.Combine(outputDirectory, relative);
            if (File.Exists(target) && new FileInfo(target).Length == new FileInfo(file).Length)
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            string temp = target + ".tmp-merge";
            if (!TryHardLink(file, temp))
            {
                File.Copy(file, temp, overwrite: true);
            }

            File.Move(temp, target, overwrite: true);
            count++;
        }

        return count;
    }

    private static bool TryHardLink(string source, string target)
    {
        try
        {
            File.Delete(target);
            return link(source, target) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable CA2101, SYSLIB1054, CA5392 // libc's link(2): plain UTF-8 paths, no marshalling subtleties.
    private static extern int link(string oldpath, string newpath);
#pragma warning restore CA2101, SYSLIB1054, CA5392
}
