using System.Text.Json;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// The structured-output mode of each endpoint of a pool. Every endpoint starts at <see cref="StructuredMode.JsonSchema"/>;
/// a refusal (HTTP 400 naming the format) moves it one step down, an answer that shows the server ignored the format
/// moves it to <see cref="StructuredMode.Instructions"/>. Each step is taken once (the first request that notices wins)
/// and remembered for the rest of the run.
/// </summary>
public sealed class StructuredModes
{
    private sealed class Entry
    {
        public StructuredMode Mode;
        public string? Reason;
        public bool Used;

        /// <summary>A structured answer came back in this mode: the endpoint's mode is known.</summary>
        public bool Confirmed;

        /// <summary>While the mode is not known, the one request that finds it out; the others wait for it.</summary>
        public TaskCompletionSource? Probe;
    }

    private readonly Dictionary<Uri, Entry> _entries = [];
    private readonly Lock _lock = new();

    private Entry Of(Uri endpoint)
    {
        if (!_entries.TryGetValue(endpoint, out var entry))
        {
            entry = new Entry();
            _entries[endpoint] = entry;
        }

        return entry;
    }

    public StructuredMode Get(Uri endpoint)
    {
        lock (_lock)
        {
            return Of(endpoint).Mode;
        }
    }

    /// <summary>
    /// Before a structured request to the endpoint: its mode, and whether this request is the probe. Until one
    /// structured answer has come back from an endpoint, its requests go one at a time, so a server that refuses a
    /// format is told so once, not by every request already in flight.
    /// </summary>
    /// <remarks>A request that has waited <paramref name="maxWait"/> for the probe goes ahead in the mode known so far.</remarks>
    public async ValueTask<(StructuredMode Mode, bool Probe)> EnterAsync(Uri endpoint, TimeSpan maxWait,
        CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + maxWait;
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                var entry = Of(endpoint);
                entry.Used = true;
                if (entry.Confirmed)
                {
                    return (entry.Mode, false);
                }

                if (entry.Probe is null)
                {
                    entry.Probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return (entry.Mode, true);
                }

                wait = entry.Probe.Task;
            }

            var left = deadline - DateTime.UtcNow;
            try
            {
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException();
                }

                await wait.WaitAsync(left, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return (Get(endpoint), false);
            }
        }
    }

    /// <summary>
    /// After the probe: <paramref name="answered"/> when a structured answer came back (the mode is known); otherwise the
    /// next request probes.
    /// </summary>
    public void Exit(Uri endpoint, bool answered)
    {
        TaskCompletionSource? probe;
        lock (_lock)
        {
            var entry = Of(endpoint);
            entry.Confirmed |= answered;
            probe = entry.Probe;
            entry.Probe = null;
        }

        probe?.TrySetResult();
    }

    /// <summary>
    /// Moves the endpoint from <paramref name="from"/> to <paramref name="to"/> unless another request already moved it;
    /// true if this call did.
    /// </summary>
    public bool Step(Uri endpoint, StructuredMode from, StructuredMode to, string reason)
    {
        lock (_lock)
        {
            var entry = Of(endpoint);
            if (entry.Mode != from || to <= from)
            {
                return false;
            }

            entry.Mode = to;
            entry.Reason = reason;
            return true;
        }
    }

    /// <summary>The endpoints structured requests went to, with their mode now, in endpoint order.</summary>
    public IReadOnlyList<EndpointOutputMode> Describe(string backend)
    {
        lock (_lock)
        {
            return _entries.Where(p => p.Value.Used)
                .OrderBy(p => p.Key.ToString(), StringComparer.Ordinal)
                .Select(p => new EndpointOutputMode(backend, p.Key.ToString(), Name(p.Value.Mode), p.Value.Reason))
                .ToList();
        }
    }

    public static string Name(StructuredMode mode) => mode switch
    {
        StructuredMode.JsonSchema => "json_schema",
        StructuredMode.JsonObject => "json_object",
        _ => "instructions",
    };

    /// <summary>The text added to the last user message when the schema is not carried by <c>response_format</c>.</summary>
    public static string Instruction(JsonElement schema) =>
        "Answer with only one JSON value that matches this JSON schema, with no text before or after it:\n" + schema.GetRawText();

    /// <summary>
    /// Whether a 400 refuses the structured-output request itself (vLLM, SGLang, llama.cpp, Ollama and OpenAI name the
    /// field or the feature), as opposed to another bad field.
    /// </summary>
    public static bool RefusesFormat(string text)
    {
        string t = text.ToLowerInvariant();
        return t.Contains("response_format", StringComparison.Ordinal) || t.Contains("response format", StringComparison.Ordinal)
            || t.Contains("schema", StringComparison.Ordinal) || t.Contains("xgrammar", StringComparison.Ordinal)
            || t.Contains("outlines", StringComparison.Ordinal)
            || t.Contains("json_object", StringComparison.Ordinal) || t.Contains("guided", StringComparison.Ordinal)
            || t.Contains("grammar", StringComparison.Ordinal) || t.Contains("structured", StringComparison.Ordinal);
    }
}
