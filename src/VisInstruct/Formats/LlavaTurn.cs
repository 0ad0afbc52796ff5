namespace VisInstruct.Formats;

/// <summary>One turn of a LLaVA conversation: <c>from</c> is <c>human</c> or <c>gpt</c>.</summary>
public sealed record LlavaTurn(string From, string Value)
{
    public const string Human = "human";
    public const string Gpt = "gpt";
}
