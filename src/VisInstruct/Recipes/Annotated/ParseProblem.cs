namespace VisInstruct.Recipes.Annotated;

/// <summary>Something wrong with a model's answer; <see cref="Repairable"/> ones are worth one follow-up request.</summary>
/// <param name="Kind">One of <see cref="ParseProblem"/>'s constants.</param>
/// <param name="Message">What is wrong, in words the model can act on.</param>
/// <param name="Line">1-based line of the answer where it applies.</param>
public sealed record ParseProblem(string Kind, string Message, int? Line = null)
{
    public const string NoPairs = "no-pairs";
    public const string TooFew = "too-few";
    public const string TooMany = "too-many";
    public const string EmptyQuestion = "empty-question";
    public const string EmptyAnswer = "empty-answer";
    public const string TwoQuestions = "two-questions";
    public const string AnswerWithoutQuestion = "answer-without-question";
    public const string Unanswered = "unanswered";
    public const string ConversationCount = "conversation-count";
    public const string ConversationPairs = "conversation-pairs";
    public const string EmptyConversation = "empty-conversation";
    public const string NoTopics = "no-topics";
    public const string Empty = "empty";
    public const string QaFormat = "qa-format";
    public const string MentionsAnnotations = "mentions-annotations";

    /// <summary>
    /// Whether a follow-up request could fix it. Not repairable: more pairs or conversations than asked (all are
    /// kept), and conversations without topic lines that were split evenly.
    /// </summary>
    public bool Repairable => Kind is not (TooMany or NoTopics);
}
