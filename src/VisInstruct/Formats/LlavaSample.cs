using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

/// <summary>One sample of a LLaVA training file: an id, an optional image (one path or several), and the turns.</summary>
public sealed record LlavaSample
{
    public required string Id { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LlavaImage? Image { get; init; }

    public required IReadOnlyList<LlavaTurn> Conversations { get; init; }

    public bool Equals(LlavaSample? other) =>
        other is not null && Id == other.Id && Equals(Image, other.Image) && Conversations.SequenceEqual(other.Conversations);

    public override int GetHashCode() => HashCode.Combine(Id, Image, Conversations.Count);
}
