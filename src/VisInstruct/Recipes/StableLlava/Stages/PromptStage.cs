using System.Globalization;
using VisInstruct.Engine;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Stage 1, the scenario: the sample's dialogue kind, then what it shows. A procedural scene when the images are
/// procedural; otherwise a text-to-image prompt, from the sample's LLM prompt lane (single-image abilities with an
/// LLM) or the template writer, made into the scenario of the kind.
/// </summary>
internal sealed class PromptStage(AbilityCatalog catalog, StableLlavaSetup setup, ulong runSeed)
{
    public async ValueTask<PreparedSample> RunAsync(SampleInput input, SampleContext context, CancellationToken cancellationToken)
    {
        var ability = input.Ability;
        string kind = new DeterministicRandom(context.SeedFor("kind")).Pick(ability.Kinds);
        bool llmDialogue = setup.DialogueModel is not null;
        if (setup.Scenes is { } scenes)
        {
            var random = new DeterministicRandom(context.SeedFor("scene"));
            var scene = ProceduralScenarios.Build(ability, kind, input.Index, random, scenes, catalog.CaptionInstructions);
            return new PreparedSample(input, scene, llmDialogue ? SampleSource.ProceduralLlm : SampleSource.Procedural, null);
        }

        PromptSpec spec;
        LaneResult? lane = null;
        string source;
        if (setup.Lanes is { } lanes && ability.Images == 1)
        {
            lane = await lanes.GetAsync(ability, input.Index / lanes.LaneSize, context.Gateway, runSeed, cancellationToken)
                .ConfigureAwait(false);
            int inLane = input.Index % lanes.LaneSize;
            if (inLane >= lane.Prompts.Count)
            {
                throw new SampleDroppedException("duplicate-prompts", string.Create(CultureInfo.InvariantCulture,
                    $"the prompt writer gave {lane.Prompts.Count} distinct prompts for this lane of {lanes.LaneSize} "
                    + $"({lane.RejectedExact} exact and {lane.RejectedNear} near duplicates, {lane.Invalid} unusable)"));
            }

            spec = lane.Prompts[inLane];
            source = SampleSource.Llm;
            // The lane's tallies are counted once, on its first sample.
            lane = inLane == 0 ? lane : null;
        }
        else
        {
            spec = PromptScenarios.TemplatePrompt(ability, catalog, new DeterministicRandom(context.SeedFor("prompt")));
            source = llmDialogue ? SampleSource.TemplateLlm : SampleSource.Template;
        }

        var scenario = PromptScenarios.Build(ability, catalog, kind, input.Index, spec,
            new DeterministicRandom(context.SeedFor("scenario")));
        return new PreparedSample(input, scenario, source, lane);
    }
}
