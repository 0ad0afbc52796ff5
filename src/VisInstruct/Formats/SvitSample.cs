namespace VisInstruct.Formats;

/// <summary>
/// One item of a raw SVIT file: a Visual Genome image id and its conversations, each a list of user/gpt turns.
/// </summary>
public sealed record SvitSample
{
    public required long ImageId { get; init; }

    public required IReadOnlyList<SvitConversation> Conversations { get; init; }

    public bool Equals(SvitSample? other) =>
        other is not null && ImageId == other.ImageId && Conversations.SequenceEqual(other.Conversations);

    public override int GetHashCode() => HashCode.Combine(ImageId, Conversations.Count);
}

/// <summary>One SVIT conversation: its turns, in <c>content</c>.</summary>
public sealed record SvitConversation
{
    public required IReadOnlyList<SvitTurn> Content { get; init; }

    public bool Equals(SvitConversation? other) => other is not null && Content.SequenceEqual(other.Content);

    public override int GetHashCode() => Content.Count;
}

/// <summary>One SVIT turn: <c>from</c> is <c>user</c> or <c>gpt</c>.</summary>
public sealed record SvitTurn(string From, string Value)
{
    public const string User = "user";
    public const string Gpt = "gpt";
}
