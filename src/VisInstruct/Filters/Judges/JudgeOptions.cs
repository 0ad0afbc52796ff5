namespace VisInstruct.Filters.Judges;

/// <summary>Settings of the blind-answer filter (<c>filters.blind</c>).</summary>
public sealed record BlindOptions
{
    /// <summary>
    /// A question whose reference answer is not yes/no, an option letter, a count or a colour is still closed-form
    /// when the answer has at most this many words; it is compared by the LLM judge (default 8).
    /// </summary>
    public int MaxShortAnswerWords { get; init; } = 8;

    /// <summary>Compare short free-form answers with an LLM judge (default true); false: only the exact kinds are asked.</summary>
    public bool UseJudge { get; init; } = true;

    /// <summary>The most tokens of a blind answer (default 64).</summary>
    public int MaxTokens { get; init; } = 64;
}

/// <summary>How a consistency judge gives its verdict.</summary>
public enum ConsistencyMode
{
    /// <summary>Each claim of the dialogue, yes or no: the judge accepts when every claim holds.</summary>
    Claims,

    /// <summary>One score from 1 to 5: the judge accepts at <see cref="ConsistencyOptions.MinScore"/> or above.</summary>
    Score,
}

/// <summary>Settings of the image-text consistency filter (<c>filters.consistency</c>).</summary>
public sealed record ConsistencyOptions
{
    public ConsistencyMode Mode { get; init; } = ConsistencyMode.Claims;

    /// <summary>In score mode, the lowest score a judge accepts (default 4).</summary>
    public int MinScore { get; init; } = 4;

    /// <summary>How many judges must accept a sample to keep it; null: a majority (2 of 3, 1 of 1).</summary>
    public int? MinAgree { get; init; }

    /// <summary>The most tokens of a judge's answer (default 512).</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary><see cref="MinAgree"/> for <paramref name="judges"/> judges.</summary>
    public int AgreementFor(int judges) => MinAgree ?? (judges / 2) + 1;
}
