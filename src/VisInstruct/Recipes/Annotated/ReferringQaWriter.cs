using VisInstruct.Annotations;
using VisInstruct.Formats;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>SVIT's referring QA: question-answer pairs whose objects are marked with their boxes, grounding-checked.</summary>
public sealed class ReferringQaWriter(TaskShape shape, Func<ImageAnnotations, int?, ContextText> context)
    : AnnotatedTaskWriter(AnnotatedTask.ReferringQa, shape, context)
{
    public override bool Referring => true;

    public override ParseResult Parse(string answer, string? instruction) => ResponseParser.ParseQa(answer, Shape.TotalPairs);

    public override IReadOnlyList<SvitConversation> Procedural(ImageAnnotations image, DeterministicRandom rng,
        IReadOnlyList<string> detailQuestions) =>
        ProceduralQuestions.ReferringQa(image, rng).ToList();
}
