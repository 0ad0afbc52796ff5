using Microsoft.ML.Tokenizers;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// Counts tokens locally (o200k_base, the GPT-4o tokenizer) for accounting when a server reports no usage. An
/// estimate for other models' tokenizers, which is said wherever such counts are shown.
/// </summary>
public static class LocalTokenCounter
{
    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>
    /// Loads the tokenizer's vocabulary on a pool thread now, so that the first item that counts tokens does not wait
    /// for it (the whole pipeline stood still behind it at start-up).
    /// </summary>
    public static void WarmUp() => _ = Task.Run(() => Tokenizer.Value);

    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : Tokenizer.Value.CountTokens(text);
    }
}
