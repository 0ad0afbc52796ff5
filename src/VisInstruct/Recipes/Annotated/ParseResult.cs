using VisInstruct.Formats;

namespace VisInstruct.Recipes.Annotated;

/// <summary>The conversations or question-answer pairs found in an answer, and what was wrong with it.</summary>
public sealed record ParseResult(IReadOnlyList<ParsedConversation> Conversations, IReadOnlyList<ParseProblem> Problems)
{
    /// <summary>All question-answer pairs found.</summary>
    public int PairCount => Conversations.Sum(c => c.Pairs);

    /// <summary>The pairs one by one, each a 2-turn conversation (the raw SVIT shape for complex reasoning and referring QA).</summary>
    public IReadOnlyList<SvitConversation> Pairs => Conversations
        .SelectMany(c => c.Conversation.Content.Chunk(2))
        .Select(turns => new SvitConversation { Content = turns })
        .ToList();

    /// <summary>Whether one follow-up request (<see cref="ResponseParser.RepairRequest"/>) is worth sending.</summary>
    public bool NeedsRepair => Problems.Any(p => p.Repairable);

    /// <summary>Whether anything can be kept: at least one pair.</summary>
    public bool Usable => PairCount > 0;
}
