using System.Text.RegularExpressions;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// What is kept of a model's answer: reasoning is not part of it. A leading <c>&lt;think&gt;...&lt;/think&gt;</c>
/// block (also <c>&lt;thinking&gt;</c> and <c>&lt;reasoning&gt;</c>) is dropped; so is everything up to a lone closing
/// tag (chat templates that open the block in the prompt); an opening tag that is never closed means the whole answer
/// was reasoning (cut by <c>max_tokens</c>), so nothing is left. Reasoning the server returns in a separate field
/// (<c>reasoning_content</c>, <c>reasoning</c>) is never read into the answer in the first place.
/// </summary>
public static partial class ReplyText
{
    public static string WithoutReasoning(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string rest = text;
        while (true)
        {
            var open = OpenTag().Match(rest);
            if (open.Success)
            {
                string name = open.Groups["name"].Value;
                int close = rest.IndexOf("</" + name + ">", open.Length, StringComparison.OrdinalIgnoreCase);
                if (close < 0)
                {
                    return "";
                }

                rest = rest[(close + name.Length + 3)..];
                continue;
            }

            var lone = LoneClose().Match(rest);
            if (lone.Success && !rest[..lone.Index].Contains('<', StringComparison.Ordinal))
            {
                rest = rest[(lone.Index + lone.Length)..];
                continue;
            }

            return rest.Trim();
        }
    }

    [GeneratedRegex(@"^\s*<(?<name>think|thinking|reasoning)>", RegexOptions.IgnoreCase)]
    private static partial Regex OpenTag();

    [GeneratedRegex(@"</(?:think|thinking|reasoning)>", RegexOptions.IgnoreCase)]
    private static partial Regex LoneClose();
}
