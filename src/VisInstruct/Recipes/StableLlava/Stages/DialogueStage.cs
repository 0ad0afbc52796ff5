using VisInstruct.Backends.Llm;
using VisInstruct.Engine;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Stage 4, the dialogue: asked of the <see cref="DialogueWriter"/> task (an LLM from the facts, or a vision model that
/// also sees the images), or, without a model, the template writer's dialogue from the facts (exact for procedural
/// scenes). Runs after the images, or before them when the writer does not look at them.
/// </summary>
internal sealed class DialogueStage(DialogueWriter writer, LlmService? model, bool seesImages)
{
    /// <summary>The engine lane the dialogue requests go through; null for the template writer (no backend).</summary>
    public string? Lane => model?.Name;

    public async ValueTask<WrittenSample> AfterRenderAsync(RenderedSample sample, SampleContext context,
        CancellationToken cancellationToken)
    {
        var images = sample.Images.Select(i => i.Path).ToList();
        var (turns, trimmed) = await WriteAsync(sample.Prepared, images, context, cancellationToken).ConfigureAwait(false);
        return new WrittenSample(sample, turns, trimmed);
    }

    /// <summary>The dialogue of a sample whose images are not made yet (the writer does not see them).</summary>
    public async ValueTask<DialoguedSample> BeforeRenderAsync(PreparedSample sample, SampleContext context,
        CancellationToken cancellationToken)
    {
        var (turns, trimmed) = await WriteAsync(sample, [], context, cancellationToken).ConfigureAwait(false);
        return new DialoguedSample(sample, turns, trimmed);
    }

    private async Task<(IReadOnlyList<QaPair> Turns, int Trimmed)> WriteAsync(PreparedSample sample, IReadOnlyList<string> images,
        SampleContext context, CancellationToken cancellationToken)
    {
        if (model is null)
        {
            return (sample.Scenario.TemplateTurns, 0);
        }

        var input = new DialogueInput(sample.Input.Ability, sample.Scenario, seesImages ? images : null, context.SeedFor("dialogue"));
        var answer = await model.AskAsync(context.Key, context.Gateway, writer, input, cancellationToken).ConfigureAwait(false);
        return DialogueWriter.Turns(answer, input);
    }
}
