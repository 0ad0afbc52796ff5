namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>What the verifier found for one pair.</summary>
internal enum VerdictKind
{
    /// <summary>The answer states what the scene shows.</summary>
    Verified,

    /// <summary>The question is outside the language: nothing to check it against.</summary>
    Unverifiable,

    /// <summary>The answer states something the scene contradicts.</summary>
    Wrong,

    /// <summary>The question names one object where the scene has none or several.</summary>
    IllPosed,
}

/// <summary>
/// The verifier's verdict on a pair: its kind, a short reason kind for the counters (<c>wrong-colour</c>,
/// <c>ill-posed</c>) and the reason in words.
/// </summary>
internal sealed record Verdict(VerdictKind Kind, string ReasonKind, string Reason)
{
    public static readonly Verdict Verified = new(VerdictKind.Verified, "", "");

    public bool IsVerified => Kind == VerdictKind.Verified;

    public static Verdict Wrong(string kind, string reason) => new(VerdictKind.Wrong, kind, reason);

    public static Verdict IllPosed(string reason) => new(VerdictKind.IllPosed, "ill-posed", reason);

    public static Verdict Unverifiable(string reason) => new(VerdictKind.Unverifiable, "unverifiable", reason);
}
