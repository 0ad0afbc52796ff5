using System.Globalization;
using System.Text;
using VisInstruct.Engine;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>The dataset card (<c>README.md</c>): samples per ability and kind, where prompts, images and dialogues came from.</summary>
internal static class StableLlavaCard
{
    public static string Write(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var counters = summary.Counters;
        var sb = new StringBuilder();
        sb.Append("# StableLLaVA-style visual instruction data\n\n");
        long images = counters.GetValueOrDefault(StableLlavaCounters.Images),
            questions = counters.GetValueOrDefault(StableLlavaCounters.Questions);
        sb.Append(CultureInfo.InvariantCulture, $"{summary.Done} samples ({images} images, {questions} question-answer pairs); ")
            .Append(CultureInfo.InvariantCulture, $"{summary.Failed} failed, {summary.Dropped} dropped (see `failures.jsonl`). ")
            .Append(CultureInfo.InvariantCulture, $"Made by {ToolInfo.Name} {ToolInfo.Version} with seed {summary.Seed}.\n\n");
        long single = summary.Files.GetValueOrDefault(AssembleStage.LlavaFile),
            multi = summary.Files.GetValueOrDefault(AssembleStage.LlavaMultiFile);
        if (single > 0 || multi == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- `{AssembleStage.LlavaFile}`: {single} samples, LLaVA-1.5 training data ")
                .Append("(one image per sample as a string `image`; image paths relative to this folder)\n");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"- `{AssembleStage.LlavaFile}`: not written (no single-image samples)\n");
        }

        if (multi > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- `{AssembleStage.LlavaMultiFile}`: {multi} multi-image samples ")
                .Append("in the LLaVA-NeXT-Interleave / LLaVA-OneVision layout (`image` a list of paths, one `<image>` per image, ")
                .Append("in order); LLaVA-1.5's train.py cannot load them\n");
        }

        sb.Append("- `stablellava/<ability>.json`: the single-image samples in StableLLaVA's released schema ")
            .Append("(`image` relative to `images/`)\n");
        sb.Append("- `images/`: the images; `images/provenance.jsonl`: how each was made ")
            .Append("(backend, model, parameters, seed, SHA-256, and the exact scene for procedural images)\n\n");
        if (summary.TagCounts.TryGetValue(StableLlavaCounters.SourceTag, out var sources))
        {
            var written = sources.Select(s => string.Create(CultureInfo.InvariantCulture, $"{SampleSource.Describe(s.Key)} ({s.Value})"));
            sb.Append("Written by: ").AppendJoin(", ", written).Append(".\n\n");
        }

        if (counters.GetValueOrDefault(StableLlavaCounters.PromptRequests) is > 0 and var requests)
        {
            long exact = counters.GetValueOrDefault(StableLlavaCounters.PromptsRejectedExact);
            long near = counters.GetValueOrDefault(StableLlavaCounters.PromptsRejectedNear);
            long unusable = counters.GetValueOrDefault(StableLlavaCounters.PromptsUnusable);
            sb.Append(CultureInfo.InvariantCulture,
                $"Prompt writer: {requests} prompt requests; turned away {exact} exact and {near} near duplicates, {unusable} unusable");
            if (counters.GetValueOrDefault(StableLlavaCounters.PromptsTrimmed) is > 0 and var trimmedPrompts)
            {
                sb.Append(CultureInfo.InvariantCulture, $"; {trimmedPrompts} prompts past the batch size trimmed");
            }

            sb.Append(".\n\n");
        }

        if (counters.GetValueOrDefault(StableLlavaCounters.DialoguesTrimmed) is > 0 and var trimmedDialogues)
        {
            long turns = counters.GetValueOrDefault(StableLlavaCounters.TurnsTrimmed);
            sb.Append(CultureInfo.InvariantCulture, $"Dialogue writer: {trimmedDialogues} dialogues had more turns than asked for; ")
                .Append(CultureInfo.InvariantCulture, $"the first ones were kept ({turns} turns trimmed).\n\n");
        }

        VerificationCard.Write(sb, summary);
        if (summary.TagCounts.TryGetValue(StableLlavaCounters.AbilityKindTag, out var pairs))
        {
            var kinds = pairs.Keys.Select(k => k.Split('/')[1]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            sb.Append("| ability | ").AppendJoin(" | ", kinds).Append(" | total |\n|---|")
                .AppendJoin("", kinds.Select(_ => "---|")).Append("---|\n");
            foreach (var ability in pairs.Keys.Select(k => k.Split('/')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var counts = kinds.Select(k => pairs.GetValueOrDefault(ability + "/" + k)).ToList();
                sb.Append("| ").Append(ability).Append(" | ")
                    .AppendJoin(" | ", counts.Select(c => c == 0 ? "" : c.ToString(CultureInfo.InvariantCulture)))
                    .Append(CultureInfo.InvariantCulture, $" | {counts.Sum()} |\n");
            }

            sb.Append('\n');
        }

        AnswerBalanceCard.Append(sb, counters);
        DatasetWriter.AppendBackends(sb, summary);
        DatasetWriter.AppendReproduce(sb, summary);
        return sb.ToString();
    }
}
