using VisInstruct.Formats;

namespace VisInstruct.Recipes.Annotated;

/// <summary>One parsed conversation: its topic (null when the answer gave none) and its user/gpt turns.</summary>
public sealed record ParsedConversation(string? Topic, SvitConversation Conversation)
{
    /// <summary>Question-answer pairs (turns / 2).</summary>
    public int Pairs => Conversation.Content.Count / 2;
}
