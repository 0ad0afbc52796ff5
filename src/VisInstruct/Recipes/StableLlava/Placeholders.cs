using System.Text.RegularExpressions;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>The <c>{name}</c> placeholders of the catalog's instructions (the writers' messages, the kind instructions).</summary>
internal static partial class Placeholders
{
    /// <summary>Replaces <c>{name}</c> placeholders with values; other braces (JSON in the text) are left alone.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        return Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
