using System.Globalization;
using VisInstruct.Randomness;

namespace VisInstruct.Engine;

/// <summary>
/// What a run picks up from the run state: whether the folder is resumed, started afresh (<c>--force-new</c>) or
/// refused (its configuration changed), which of this shard's items are finished, and which this run processes: the
/// pending ones, or with <c>--retry-failed</c> the failed ones.
/// </summary>
internal sealed class ResumeSelection(GenerationPlan plan, EngineOptions options, RunState state)
{
    private const int Batch = 2048;

    /// <summary>Checks the run state against the plan; starts it afresh, resumes it, or refuses a changed configuration.</summary>
    public void Prepare(RunLog log)
    {
        string shard = string.Create(CultureInfo.InvariantCulture, $"{options.Shard.Index}/{options.Shard.Count}");
        string? recipe = state.Meta.Get("recipe");
        if (recipe is not null)
        {
            var changes = new List<string>();
            if (recipe != plan.Recipe)
            {
                changes.Add($"recipe: {recipe} -> {plan.Recipe}");
            }

            if (state.Meta.Get("shard") is { } oldShard && oldShard != shard)
            {
                changes.Add($"shard: {oldShard} -> {shard}");
            }

            changes.AddRange(FingerprintDiff.Compare(state.Meta.Get("fingerprint") ?? "{}", plan.Fingerprint));
            if (changes.Count > 0 && !options.ForceNew)
            {
                throw new ConfigChangedException(options.OutputDirectory, changes);
            }
        }

        if (recipe is not null && options.ForceNew)
        {
            var changes = FingerprintDiff.Compare(state.Meta.Get("fingerprint") ?? "{}", plan.Fingerprint);
            log.Write("--force-new: the finished items are discarded (cached responses are kept)"
                + (changes.Count > 0 ? ": " + string.Join("; ", changes) : ""));
            state.ResetItems();
        }

        state.Meta.Set("recipe", plan.Recipe);
        state.Meta.Set("fingerprint", plan.Fingerprint);
        state.Meta.Set("shard", shard);
        state.Meta.Set("seed", options.Seed.ToString(CultureInfo.InvariantCulture));
        state.Meta.Set("config", plan.ResolvedConfig);
        state.Meta.Set("tool_version", ToolInfo.Version);
        if (plan.ReproduceCommand is not null)
        {
            state.Meta.Set("reproduce", plan.ReproduceCommand);
        }
    }

    /// <summary>This shard's items, those finished before, and those this run would process (before any limit).</summary>
    public (long Owned, long AlreadyFinished, long Selected) Count()
    {
        long owned = 0;
        long alreadyFinished = 0;
        long selected = 0;
        foreach (var (_, status, _) in OwnedItems())
        {
            owned++;
            if (status != ItemStatus.Pending)
            {
                alreadyFinished++;
            }

            if (Selected(status))
            {
                selected++;
            }
        }

        return (owned, alreadyFinished, selected);
    }

    /// <summary>The items this run processes, in key order, each with its seed and the number of its attempt.</summary>
    public IEnumerable<Envelope> Selected() => OwnedItems()
        .Where(entry => Selected(entry.Status))
        .Select(entry => new Envelope(
            entry.Item.Key, DeterministicRandom.DeriveSeed(options.Seed, entry.Item.Key), entry.Attempts + 1, entry.Item.Input));

    private bool Selected(ItemStatus status) => options.RetryFailed ? status == ItemStatus.Failed : status == ItemStatus.Pending;

    /// <summary>This shard's items, in key order, with their status in the run state (looked up a range at a time).</summary>
    private IEnumerable<(WorkItem Item, ItemStatus Status, int Attempts)> OwnedItems()
    {
        var batch = new List<WorkItem>(Batch);
        string? previous = null;
        foreach (var item in plan.Items())
        {
            if (previous is not null && string.CompareOrdinal(previous, item.Key) >= 0)
            {
                throw new InvalidOperationException(
                    $"the recipe listed work item '{item.Key}' after '{previous}': keys must be unique and ascending (ordinal)");
            }

            previous = item.Key;
            if (!options.Shard.Owns(item.ShardOn))
            {
                continue;
            }

            batch.Add(item);
            if (batch.Count == Batch)
            {
                foreach (var entry in WithStatus(batch))
                {
                    yield return entry;
                }

                batch.Clear();
            }
        }

        foreach (var entry in WithStatus(batch))
        {
            yield return entry;
        }
    }

    private List<(WorkItem, ItemStatus, int)> WithStatus(List<WorkItem> batch)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        var statuses = state.Items.StatusesBetween(batch[0].Key, batch[^1].Key);
        return batch
            .Select(item => statuses.TryGetValue(item.Key, out var s) ? (item, s.Status, s.Attempts) : (item, ItemStatus.Pending, 0))
            .ToList();
    }
}
