using System.Globalization;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Stage 3 (with a vision model, for rendered images): each check question is asked about its image; an answer that
/// contradicts the facts re-renders that image with a new seed, up to the configured number of times, then drops
/// the sample with the reason.
/// </summary>
internal sealed class VisionCheckStage(LlmService vision, int retries, RenderStage render)
{
    private const string Instruction = "Look at the image and answer the question in as few words as the question asks for.";

    /// <summary>The engine lane the questions go through (the vision model's).</summary>
    public string Lane => vision.Name;

    public async ValueTask<RenderedSample> RunAsync(RenderedSample sample, SampleContext context, CancellationToken cancellationToken)
    {
        var images = sample.Images.ToList();
        foreach (var check in sample.Prepared.Scenario.Checks)
        {
            for (int attempt = 0; ; attempt++)
            {
                var reply = await vision.CompleteAsync(context.Key, context.Gateway, new LlmRequest
                {
                    Messages = [LlmMessage.System(Instruction), LlmMessage.User(check.Question, [images[check.Image].Path])],
                    Temperature = 0,
                    Seed = context.SeedFor(string.Create(CultureInfo.InvariantCulture, $"check/{check.Image}/{attempt}")),
                }, cancellationToken).ConfigureAwait(false);
                if (CheckAnswer.Matches(reply.Text, check.Expected))
                {
                    break;
                }

                if (attempt >= retries)
                {
                    throw new SampleDroppedException("check-mismatch", string.Create(CultureInfo.InvariantCulture,
                        $"image {check.Image + 1}: asked \"{check.Question}\" expecting \"{check.Expected}\"; "
                        + $"the vision model answered \"{reply.Text.Trim()}\" after {retries} re-render(s)"));
                }

                var plan = sample.Prepared.Scenario.Images[check.Image];
                var seed = context.SeedFor(string.Create(CultureInfo.InvariantCulture, $"image/{check.Image}/retry{attempt + 1}"));
                images[check.Image] = await render.RenderImageAsync(plan, seed, context, cancellationToken).ConfigureAwait(false);
            }
        }

        return sample with { Images = images };
    }
}
