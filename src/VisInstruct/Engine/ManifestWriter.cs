using System.Globalization;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Engine;

/// <summary>
/// Writes <c>manifest.json</c>: the tool, recipe, seed and shard of the run, whether the dataset is complete, its
/// counts, files and failures, timings, usage and cost, budgets, how structured answers were asked for, the recipe's
/// counters, and the resolved configuration.
/// </summary>
internal static class ManifestWriter
{
    /// <summary>Writes the manifest of the dataset <paramref name="summary"/> sums up to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, MaterializeRequest request, DatasetSummary summary)
    {
        var outcome = request.Outcome;
        using var writer = new PythonJsonWriter(stream, JsonStyle.Indented(2), leaveOpen: true);
        writer.WriteStartObject();
        writer.WriteString("tool", ToolInfo.Name);
        writer.WriteString("version", ToolInfo.Version);
        writer.WriteString("recipe", request.Recipe);
        writer.WriteString("seed", request.Seed.ToString(CultureInfo.InvariantCulture));
        writer.WritePropertyName("shard");
        writer.WriteStartObject();
        writer.WriteNumber("index", outcome.Shard.Index);
        writer.WriteNumber("count", Math.Max(1, outcome.Shard.Count));
        writer.WriteEndObject();
        writer.WritePropertyName("complete");
        writer.WriteBooleanValue(outcome.Complete);
        if (outcome.StopReason is not null)
        {
            writer.WriteString("stop_reason", outcome.StopReason);
        }

        writer.WritePropertyName("counts");
        writer.WriteStartObject();
        writer.WriteNumber("items", outcome.Items);
        writer.WriteNumber("done", outcome.Done);
        writer.WriteNumber("failed", outcome.Failed);
        writer.WriteNumber("dropped", outcome.Dropped);
        writer.WriteNumber("pending", outcome.Pending);
        writer.WriteEndObject();

        writer.WritePropertyName("files");
        writer.WriteStartObject();
        foreach (var (file, records) in summary.Files)
        {
            writer.WriteNumber(file, records);
        }

        writer.WriteEndObject();

        writer.WritePropertyName("failures");
        writer.WriteStartArray();
        foreach (var failure in outcome.Failures)
        {
            writer.WriteStartObject();
            writer.WriteString("stage", failure.Stage);
            writer.WriteString("kind", failure.Kind);
            writer.WriteString("status", failure.Dropped ? "dropped" : "failed");
            writer.WriteNumber("count", failure.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WritePropertyName("timings");
        writer.WriteStartObject();
        writer.WriteString("written", request.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteNumber("last_run_seconds", Math.Round(outcome.Elapsed.TotalSeconds, 3));
        writer.WriteNumber("last_run_items", outcome.ProcessedNow);
        writer.WriteEndObject();

        writer.WritePropertyName("usage");
        writer.WriteStartArray();
        foreach (var usage in outcome.Usage)
        {
            writer.WriteStartObject();
            writer.WriteString("backend", usage.Backend);
            writer.WriteString("model", usage.Model);
            writer.WriteNumber("requests", usage.Requests);
            writer.WriteNumber("cache_hits", usage.CacheHits);
            writer.WriteNumber("errors", usage.Errors);
            writer.WriteNumber("input_tokens", usage.InputTokens);
            writer.WriteNumber("output_tokens", usage.OutputTokens);
            writer.WriteNumber("images", usage.Images);
            writer.WriteNumber("image_seconds", Math.Round(usage.ImageSeconds, 3));
            if (usage.Lost > 0)
            {
                // Sent by a process that was killed before the answers were recorded: counted in "requests" (they
                // were sent, and a paid API bills them), their tokens estimated.
                writer.WriteNumber("lost_answers", usage.Lost);
                writer.WriteNumber("estimated_tokens", usage.EstimatedTokens);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (summary.OutputModes.Count > 0)
        {
            writer.WritePropertyName("structured_output");
            writer.WriteStartArray();
            foreach (var mode in summary.OutputModes)
            {
                writer.WriteStartObject();
                writer.WriteString("backend", mode.Backend);
                writer.WriteString("endpoint", mode.Endpoint);
                writer.WriteString("mode", mode.Mode);
                if (mode.Reason is not null)
                {
                    writer.WriteString("reason", mode.Reason);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (summary.Counters.Count > 0)
        {
            writer.WritePropertyName("counters");
            writer.WriteStartObject();
            foreach (var (name, value) in summary.Counters)
            {
                writer.WriteNumber(name, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteNumber("cost_usd", (double)Math.Round(outcome.Cost, 6));
        if (outcome.Budget is { } budget)
        {
            writer.WritePropertyName("budget");
            writer.WriteStartObject();
            if (budget.MaxCost is { } maxCost)
            {
                writer.WriteNumber("max_cost_usd", (double)maxCost);
            }

            if (budget.MaxRequests is { } maxRequests)
            {
                writer.WriteNumber("max_requests", maxRequests);
            }

            writer.WriteNumber("spent_usd", (double)Math.Round(budget.Spent, 6));
            writer.WriteNumber("requests", budget.Requests);
            writer.WriteNumber("open_reservations", budget.OpenRequests);
            writer.WriteNumber("reserved_usd", (double)Math.Round(budget.ReservedCost, 6));
            writer.WriteEndObject();
        }

        if (outcome.UnpricedModels.Count > 0)
        {
            writer.WritePropertyName("unpriced_models");
            writer.WriteStartArray();
            foreach (string model in outcome.UnpricedModels)
            {
                writer.WriteStringValue(model);
            }

            writer.WriteEndArray();
        }

        writer.WritePropertyName("config");
        using (var config = JsonDocument.Parse(request.ResolvedConfig))
        {
            writer.WriteValue(config.RootElement);
        }

        writer.WriteEndObject();
        writer.WriteNewLine();
    }
}
