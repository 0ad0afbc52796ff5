namespace VisInstruct.Formats;

/// <summary>One SVIT conversation: its turns, in <c>content</c>.</summary>
public sealed record SvitConversation
{
    public required IReadOnlyList<SvitTurn> Content { get; init; }

    public bool Equals(SvitConversation? other) => other is not null && Content.SequenceEqual(other.Content);

    public override int GetHashCode() => Content.Count;
}
