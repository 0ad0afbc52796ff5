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
