namespace VisInstruct.Formats;

/// <summary>One SVIT turn: <c>from</c> is <c>user</c> or <c>gpt</c>.</summary>
public sealed record SvitTurn(string From, string Value)
{
    public const string User = "user";
    public const string Gpt = "gpt";
}
