using System.Collections.Concurrent;
using System.Globalization;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;
using VisInstruct.Randomness;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Prompt writing by an LLM, with StableLLaVA's update loop. An ability's samples are taken in lanes of a fixed size;
/// in a lane, batches of prompts are asked for one after another (the <see cref="PromptWriter"/> task), each shown
/// in-context examples sampled (with the batch's seed) from a bounded pool of the seed examples and the prompts the
/// lane accepted so far. Exact and near duplicates (MinHash) of the examples or of earlier prompts are turned away and
/// counted. A lane's result depends only on its seed and the (cached) answers, so resuming, concurrency and sharding
/// (a lane is a shard unit) do not change it.
/// </summary>
internal sealed class PromptLanes(LlmService llm, PromptWriter writer, int laneSize)
{
    private const int PoolSize = 24;
    private const int ExamplesPerRequest = 5;
    private const int SubjectsPerRequest = 8;
    private readonly ConcurrentDictionary<string, Lazy<Task<LaneResult>>> _lanes = new(StringComparer.Ordinal);

    public int LaneSize { get; } = laneSize;

    /// <summary>The engine lane the writer's requests go through (the LLM's).</summary>
    public string Lane => llm.Name;

    /// <summary>The lane a sample belongs to.</summary>
    public static string LaneKey(string ability, long lane) => string.Create(CultureInfo.InvariantCulture, $"{ability}/lane{lane:D5}");

    /// <summary>The prompts of one lane (computed once per process; the LLM answers come from the run's cache after that).</summary>
    public Task<LaneResult> GetAsync(AbilitySpec ability, long lane, BackendGateway gateway, ulong runSeed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ability);
        string key = LaneKey(ability.Name, lane);
        if (_lanes.Count > 512)
        {
            // Lanes are used in key order: the finished ones far behind will not be asked for again.
            foreach (var done in _lanes.Where(p => p.Value.IsValueCreated && p.Value.Value.IsCompleted).Take(256).ToList())
            {
                _lanes.TryRemove(done.Key, out _);
            }
        }

        var computed = _lanes.GetOrAdd(key, _ => new Lazy<Task<LaneResult>>(() =>
            ComputeAsync(ability, key, DeterministicRandom.DeriveSeed(runSeed, key), gateway, CancellationToken.None)));
        return computed.Value.WaitAsync(cancellationToken);
    }

    private async Task<LaneResult> ComputeAsync(AbilitySpec ability, string key, ulong seed, BackendGateway gateway,
        CancellationToken cancellationToken)
    {
        var examples = ability.Examples.Select(ToSpec).ToList();
        var pool = new List<PromptSpec>(examples);
        var duplicates = new NearDuplicates();
        foreach (var example in examples)
        {
            duplicates.TryAdd(example.Text);
        }

        var accepted = new List<PromptSpec>();
        int exact = 0, near = 0, invalid = 0, requests = 0, trimmed = 0;
        int batchSize = writer.BatchSize;
        int maxBatches = Math.Max(2, 3 * (int)Math.Ceiling((double)LaneSize / batchSize));
        for (int batch = 0; batch < maxBatches && accepted.Count < LaneSize; batch++)
        {
            var rng = new DeterministicRandom(
                DeterministicRandom.DeriveSeed(seed, "batch/" + batch.ToString(CultureInfo.InvariantCulture)));
            // Drawn in this order from the batch's seed: the examples shown, the subjects suggested, the request's seed.
            var shown = pool.OrderBy(_ => rng.NextUInt64()).Take(ExamplesPerRequest).ToList();
            var subjects = ability.Subjects.Select(s => s["name"]).OrderBy(_ => rng.NextUInt64()).Take(SubjectsPerRequest).ToList();
            var input = new PromptBatch(ability, shown, subjects, rng.NextUInt64());
            requests++;
            var written = await llm.AskAsync(key, gateway, writer, input, cancellationToken).ConfigureAwait(false);
            // More prompts than asked for: the first ones are kept, the rest counted as trimmed.
            trimmed += Math.Max(0, written.Prompts.Count - batchSize);
            foreach (var prompt in written.Prompts.Take(batchSize))
            {
                if (prompt is null || writer.Spec(ability, prompt) is not { } spec)
                {
                    invalid++;
                    continue;
                }

                switch (duplicates.TryAdd(spec.Text))
                {
                    case "exact":
                        exact++;
                        continue;
                    case "near":
                        near++;
                        continue;
                }

                accepted.Add(spec);
                pool.Add(spec);
                if (pool.Count > PoolSize)
                {
                    // Keep the seed examples; drop the oldest accepted prompt.
                    pool.RemoveAt(examples.Count);
                }

                if (accepted.Count == LaneSize)
                {
                    break;
                }
            }
        }

        return new LaneResult(accepted, exact, near, invalid, requests, trimmed);
    }

    private static PromptSpec ToSpec(Dictionary<string, object> example)
    {
        string Text(string key) => example.TryGetValue(key, out var v) ? v?.ToString() ?? "" : "";
        var attributes = example.Where(p => p.Key is not ("subject" or "context" or "modifiers"))
            .ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);
        var modifiers = example.TryGetValue("modifiers", out var m) && m is IEnumerable<object> list
            ? list.Select(o => o.ToString() ?? "").ToList()
            : [];
        return new PromptSpec { Subject = Text("subject"), Attributes = attributes, Context = Text("context"), Modifiers = modifiers };
    }
}
