using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>Compares a vision model's short answer with the expected one (numbers as words or digits, grey as gray).</summary>
internal static class CheckAnswer
{
    private static readonly Dictionary<string, string> Numbers = new(StringComparer.Ordinal)
    {
        ["one"] = "1", ["two"] = "2", ["three"] = "3", ["four"] = "4", ["five"] = "5",
        ["six"] = "6", ["seven"] = "7", ["eight"] = "8", ["nine"] = "9",
    };

    public static bool Matches(string answer, string expected)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(expected);
        var words = NearDuplicates.Normalize(answer).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => Numbers.GetValueOrDefault(w, w) == "grey" ? "gray" : Numbers.GetValueOrDefault(w, w)).ToList();
        if (words.Count == 0)
        {
            return false;
        }

        string want = NearDuplicates.Normalize(expected);
        return want is "yes" or "no" ? words[0] == want : words.Contains(Numbers.GetValueOrDefault(want, want));
    }
}
