using VisInstruct.Annotations;
using VisInstruct.Formats;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>The conversation task: conversations of question-answer pairs (SVIT: on topics), kept as conversations.</summary>
public sealed class ConversationWriter(TaskShape shape, Func<ImageAnnotations, int?, ContextText> context)
    : AnnotatedTaskWriter(AnnotatedTask.Conversation, shape, context)
{
    public override ParseResult Parse(string answer, string? instruction) =>
        ResponseParser.ParseConversations(answer, Shape.Conversations, Shape.PairsEach);

    public override IReadOnlyList<SvitConversation> Kept(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.Conversations.Select(c => c.Conversation).Where(c => c.Content.Count > 0).ToList();
    }

    public override IReadOnlyList<SvitConversation> Procedural(ImageAnnotations image, DeterministicRandom rng,
        IReadOnlyList<string> detailQuestions) =>
        ProceduralQuestions.Conversations(image, rng).Select(c => c.Conversation).ToList();
}
