using VisInstruct.Annotations;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The detail-description task: one instruction drawn from the detail questions (the user turn) and the model's
/// description of the picture (the answer).
/// </summary>
public sealed class DetailDescriptionWriter(Func<ImageAnnotations, int?, ContextText> context)
    : AnnotatedTaskWriter(AnnotatedTask.DetailDescription, new TaskShape(1, 1), context)
{
    public override string? Instruction(SampleContext sample, IReadOnlyList<string> detailQuestions)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return new DeterministicRandom(sample.SeedFor("detail-question")).Pick(detailQuestions);
    }

    /// <summary>One conversation: <paramref name="instruction"/>, then the description (none when the description is empty).</summary>
    public override ParseResult Parse(string answer, string? instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var detail = ResponseParser.ParseDetail(answer);
        var conversation = new SvitConversation
        {
            Content = [new SvitTurn(SvitTurn.User, instruction), new SvitTurn(SvitTurn.Gpt, detail.Description)],
        };
        return new ParseResult(detail.Usable ? [new ParsedConversation(null, conversation)] : [], detail.Problems);
    }

    public override IReadOnlyList<SvitConversation> Procedural(ImageAnnotations image, DeterministicRandom rng,
        IReadOnlyList<string> detailQuestions) =>
        ProceduralQuestions.DetailDescription(image, rng, detailQuestions) is { } description ? [description] : [];
}
