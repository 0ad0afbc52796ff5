using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;
using VisInstruct.Json;
using VisInstruct.Randomness;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>What one lane's prompt writing produced: the accepted prompts in order, and what was turned away.</summary>
public sealed record LaneResult(IReadOnlyList<PromptSpec> Prompts, int RejectedExact, int RejectedNear, int Invalid, int Requests, int Trimmed = 0);

/// <summary>
/// Stage 1, prompt writing by an LLM, with StableLLaVA's update loop. An ability's samples are taken in lanes of a
/// fixed size; in a lane, batches of prompts are asked for one after another, each shown in-context examples sampled
/// (with the batch's seed) from a bounded pool of the seed examples and the prompts the lane accepted so far. Exact and
/// near duplicates (MinHash) of the examples or of earlier prompts are turned away and counted. A lane's result depends
/// only on its seed and the (cached) answers, so resuming, concurrency and sharding (a lane is a shard unit) do not
/// change it.
/// </summary>
public sealed partial class PromptLanes(LlmService llm, AbilityCatalog catalog, int laneSize = 16, int batchSize = 8)
{
    private const int PoolSize = 24;
    private const int ExamplesPerRequest = 5;
    private readonly ConcurrentDictionary<string, Lazy<Task<LaneResult>>> _lanes = new(StringComparer.Ordinal);

    public int LaneSize { get; } = laneSize;

    /// <summary>The lane a sample belongs to.</summary>
    public static string LaneKey(string ability, long lane) => string.Create(CultureInfo.InvariantCulture, $"{ability}/lane{lane:D5}");

    /// <summary>The prompts of one lane (computed once per process; the LLM answers come from the run's cache after that).</summary>
    public Task<LaneResult> GetAsync(AbilitySpec ability, long lane, BackendGateway gateway, ulong runSeed, CancellationToken cancellationToken)
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

        return _lanes.GetOrAdd(key, _ => new Lazy<Task<LaneResult>>(() =>
            ComputeAsync(ability, key, DeterministicRandom.DeriveSeed(runSeed, key), gateway, CancellationToken.None))).Value.WaitAsync(cancellationToken);
    }

    private async Task<LaneResult> ComputeAsync(AbilitySpec ability, string key, ulong seed, BackendGateway gateway, CancellationToken cancellationToken)
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
        int maxBatches = Math.Max(2, 3 * (int)Math.Ceiling((double)LaneSize / batchSize));
        for (int batch = 0; batch < maxBatches && accepted.Count < LaneSize; batch++)
        {
            var rng = new DeterministicRandom(DeterministicRandom.DeriveSeed(seed, "batch/" + batch.ToString(CultureInfo.InvariantCulture)));
            var shown = pool.OrderBy(_ => rng.NextUInt64()).Take(ExamplesPerRequest).ToList();
            var request = new LlmRequest
            {
                Messages = [LlmMessage.System(catalog.PromptWriter.System ?? ""), LlmMessage.User(UserMessage(ability, shown, rng))],
                Seed = rng.NextUInt64(),
            };
            requests++;
            var written = await llm.CompleteJsonAsync(key, gateway, request, new LlmSchema("prompts", StableLlavaSchemas.Prompts(ability.KeyAttribute, catalog.Colors, batchSize)),
                StableLlavaJsonContext.Default.WrittenPrompts, w => w.Prompts is { Count: > 0 } ? null : "no prompts in the answer", cancellationToken).ConfigureAwait(false);
            // More prompts than asked for: the first ones are kept, the rest counted as trimmed.
            trimmed += Math.Max(0, written.Prompts.Count - batchSize);
            foreach (var prompt in written.Prompts.Take(batchSize))
            {
                if (prompt is null)
                {
                    invalid++;
                    continue;
                }

                if (Build(ability, prompt) is not { } spec)
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

    private string UserMessage(AbilitySpec ability, List<PromptSpec> shown, DeterministicRandom rng)
    {
        var subjects = ability.Subjects.Select(s => s["name"]).OrderBy(_ => rng.NextUInt64()).Take(8).ToList();
        var examples = new StringBuilder();
        foreach (var example in shown)
        {
            examples.Append(Example(ability, example)).Append('\n');
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["description"] = ability.Description,
            ["count"] = batchSize.ToString(CultureInfo.InvariantCulture),
            ["attribute_note"] = AttributeNote(ability.KeyAttribute),
            ["subjects"] = subjects.Count == 0 ? "any" : string.Join(", ", subjects),
            ["examples"] = examples.ToString().TrimEnd(),
        };
        return Fill(catalog.PromptWriter.User ?? "", values);
    }

    private string AttributeNote(string? attribute) => attribute switch
    {
        "color" => $"its colour as \"attribute\" (one of: {string.Join(", ", catalog.Colors)}), ",
        "action" => "what it is doing as \"attribute\" (a short verb phrase), ",
        "style" => "the art style as \"attribute\" (such as oil painting or pixel art), ",
        "unusual" => "what is unusual about it as \"attribute\" (a short phrase), ",
        null => "",
        _ => $"its {attribute} as \"attribute\", ",
    };

    private static string Example(AbilitySpec ability, PromptSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("subject", spec.Subject);
            if (ability.KeyAttribute is { } attribute && spec.Attribute(attribute) is { } value)
            {
                writer.WriteString("attribute", value);
            }

            writer.WriteString("context", spec.Context);
            writer.WritePropertyName("modifiers");
            writer.WriteStartArray();
            foreach (string modifier in spec.Modifiers)
            {
                writer.WriteStringValue(modifier);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A written prompt as a spec, or null when it is not usable (empty, too long, a colour not in the list).</summary>
    private PromptSpec? Build(AbilitySpec ability, WrittenPrompt prompt)
    {
        string subject = Clean(prompt.Subject ?? "");
        string context = Clean(prompt.Context ?? "");
        if (subject.Length is 0 or > StableLlavaSchemas.SubjectLength || context.Length > StableLlavaSchemas.ContextLength)
        {
            return null;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ability.KeyAttribute is { } key)
        {
            string value = Clean(prompt.Attribute ?? "").ToLowerInvariant();
            if (value.Length is 0 or > StableLlavaSchemas.AttributeLength || (key == "color" && !catalog.Colors.Contains(value)))
            {
                return null;
            }

            attributes[key] = value;
        }

        var modifiers = (prompt.Modifiers ?? []).Select(Clean).Where(m => m.Length is > 0 and <= StableLlavaSchemas.ModifierLength).Take(StableLlavaSchemas.Modifiers).ToList();
        return new PromptSpec { Subject = subject.ToLowerInvariant(), Attributes = attributes, Context = context, Modifiers = modifiers };
    }

    private static string Clean(string text) => Spaces().Replace(text.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal), " ").Trim().Trim(',', '.');

    private static PromptSpec ToSpec(Dictionary<string, object> example)
    {
        string Text(string key) => example.TryGetValue(key, out var v) ? v?.ToString() ?? "" : "";
        var attributes = example.Where(p => p.Key is not ("subject" or "context" or "modifiers")).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);
        var modifiers = example.TryGetValue("modifiers", out var m) && m is IEnumerable<object> list ? list.Select(o => o.ToString() ?? "").ToList() : [];
        return new PromptSpec { Subject = Text("subject"), Attributes = attributes, Context = Text("context"), Modifiers = modifiers };
    }

    /// <summary>Replaces <c>{name}</c> placeholders with values; other braces (JSON in the text) are left alone.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        return Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
