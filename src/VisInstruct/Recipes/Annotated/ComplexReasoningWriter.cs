using VisInstruct.Annotations;
using VisInstruct.Formats;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>The complex-reasoning task: question-answer pairs that take reasoning over the annotations.</summary>
public sealed class ComplexReasoningWriter(TaskShape shape, Func<ImageAnnotations, int?, ContextText> context)
    : AnnotatedTaskWriter(AnnotatedTask.ComplexReasoning, shape, context)
{
    public override ParseResult Parse(string answer, string? instruction) => ResponseParser.ParseQa(answer, Shape.TotalPairs);

    public override IReadOnlyList<SvitConversation> Procedural(ImageAnnotations image, DeterministicRandom rng,
        IReadOnlyList<string> detailQuestions) =>
        ProceduralQuestions.ComplexReasoning(image, rng).ToList();
}
