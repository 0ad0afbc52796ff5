using System.Globalization;
using System.Text;
using VisInstruct.Engine;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>The dataset card (<c>README.md</c>): samples per ability and dialogue kind, where prompts, images and dialogues came from.</summary>
internal static class StableLlavaCard
{
    public static string Write(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var counters = summary.Counters;
        var sb = new StringBuilder();
        sb.Append("# StableLLaVA-style visual instruction data\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{summary.Done} samples ({counters.GetValueOrDefault(StableLlavaCounters.Images)} images, ")
            .Append(CultureInfo.InvariantCulture, $"{counters.GetValueOrDefault(StableLlavaCounters.Questions)} question-answer pairs); ")
            .Append(CultureInfo.InvariantCulture, $"{summary.Failed} failed, {summary.Dropped} dropped (see `failures.jsonl`). ")
            .Append(CultureInfo.InvariantCulture, $"Made by {ToolInfo.Name} {ToolInfo.Version} with seed {summary.Seed}.\n\n");
        sb.Append("- `llava.json`: LLaVA training data (single- and multi-image samples; image paths relative to this folder)\n");
        sb.Append("- `stablellava/<ability>.json`: the single-image samples in StableLLaVA's released schema (`image` relative to `images/`)\n");
        sb.Append("- `images/`: the images; `images/provenance.jsonl`: how each was made ")
            .Append("(backend, model, parameters, seed, SHA-256, and the exact scene for procedural images)\n\n");
        if (summary.TagCounts.TryGetValue(StableLlavaCounters.SourceTag, out var sources))
        {
            sb.Append("Written by: ")
                .Append(string.Join(", ", sources.Select(s => string.Create(CultureInfo.InvariantCulture, $"{SampleSource.Describe(s.Key)} ({s.Value})"))))
                .Append(".\n\n");
        }

        if (counters.GetValueOrDefault(StableLlavaCounters.PromptRequests) is > 0 and var requests)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Prompt writer: {requests} prompt requests; turned away ")
                .Append(CultureInfo.InvariantCulture, $"{counters.GetValueOrDefault(StableLlavaCounters.PromptsRejectedExact)} exact and ")
                .Append(CultureInfo.InvariantCulture, $"{counters.GetValueOrDefault(StableLlavaCounters.PromptsRejectedNear)} near duplicates, ")
                .Append(CultureInfo.InvariantCulture, $"{counters.GetValueOrDefault(StableLlavaCounters.PromptsUnusable)} unusable");
            if (counters.GetValueOrDefault(StableLlavaCounters.PromptsTrimmed) is > 0 and var trimmedPrompts)
            {
                sb.Append(CultureInfo.InvariantCulture, $"; {trimmedPrompts} prompts past the batch size trimmed");
            }

            sb.Append(".\n\n");
        }

        if (counters.GetValueOrDefault(StableLlavaCounters.DialoguesTrimmed) is > 0 and var trimmedDialogues)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Dialogue writer: {trimmedDialogues} dialogues had more turns than asked for; the first ones were kept ")
                .Append(CultureInfo.InvariantCulture, $"({counters.GetValueOrDefault(StableLlavaCounters.TurnsTrimmed)} turns trimmed).\n\n");
        }

        if (summary.TagCounts.TryGetValue(StableLlavaCounters.AbilityKindTag, out var pairs))
        {
            var kinds = pairs.Keys.Select(k => k.Split('/')[1]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            sb.Append("| ability | ").AppendJoin(" | ", kinds).Append(" | total |\n|---|").AppendJoin("", kinds.Select(_ => "---|")).Append("---|\n");
            foreach (var ability in pairs.Keys.Select(k => k.Split('/')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var counts = kinds.Select(k => pairs.GetValueOrDefault(ability + "/" + k)).ToList();
                sb.Append("| ").Append(ability).Append(" | ").AppendJoin(" | ", counts.Select(c => c == 0 ? "" : c.ToString(CultureInfo.InvariantCulture)))
                    .Append(CultureInfo.InvariantCulture, $" | {counts.Sum()} |\n");
            }

            sb.Append('\n');
        }

        DatasetWriter.AppendBackends(sb, summary);
        DatasetWriter.AppendReproduce(sb, summary);
        return sb.ToString();
    }
}
