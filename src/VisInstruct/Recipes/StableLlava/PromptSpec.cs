using System.Globalization;
using System.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// A text-to-image prompt kept as the facts it is made of — subject, the ability's attribute (colour, action, style,
/// what is unusual), context, style modifiers — and written in StableLLaVA's form, <c>((Subject)), context, modifiers</c>.
/// Keeping the facts lets image sets differ in exactly one of them, and lets dialogues and checks use them.
/// </summary>
public sealed record PromptSpec
{
    public required string Subject { get; init; }

    /// <summary>The attribute the ability is about, by name (<c>color</c>, <c>action</c>, <c>style</c>, <c>unusual</c>,
    /// <c>count</c>).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    public string Context { get; init; } = "";

    public IReadOnlyList<string> Modifiers { get; init; } = [];

    public string? Attribute(string name) => Attributes.TryGetValue(name, out var v) ? v : null;

    public PromptSpec With(string attribute, string value)
    {
        var attributes = new Dictionary<string, string>(Attributes, StringComparer.Ordinal) { [attribute] = value };
        return this with { Attributes = attributes };
    }

    /// <summary>The subject as the prompt's emphasised head: <c>Yellow-cornflower</c>, <c>Dog catching a frisbee</c>.</summary>
    public string Head
    {
        get
        {
            string head = Subject;
            if (Attribute("count") is { } count)
            {
                head = $"{count} {Plural(Subject)}";
            }

            if (Attribute("color") is { } color)
            {
                head = $"{color}-{head}";
            }

            if (Attribute("action") is { } action)
            {
                head = $"{head} {action}";
            }

            if (Attribute("unusual") is { } unusual)
            {
                head = $"{head} {unusual}";
            }

            return Capitalize(head);
        }
    }

    /// <summary>The prompt: <c>((Yellow-cornflower)), field at sunset, realistic, vibrant</c>.</summary>
    public string Text
    {
        get
        {
            var parts = new List<string> { $"(({Head}))" };
            if (Attribute("style") is { } style)
            {
                parts.Add(style);
            }

            if (Context.Length > 0)
            {
                parts.Add(Context);
            }

            parts.AddRange(Modifiers);
            return string.Join(", ", parts);
        }
    }

    /// <summary>What the picture shows, in words: <c>a yellow cornflower in a field at sunset</c>.</summary>
    public string Description
    {
        get
        {
            var sb = new StringBuilder();
            string subject = Attribute("count") is { } count ? $"{count} {Plural(Subject)}" : Article(Subject);
            if (Attribute("color") is { } color)
            {
                subject = Attribute("count") is not null ? $"{Attribute("count")} {color} {Plural(Subject)}"
                    : Article(color + " " + Subject);
            }

            sb.Append(subject);
            if (Attribute("action") is { } action)
            {
                sb.Append(' ').Append(action);
            }

            if (Attribute("unusual") is { } unusual)
            {
                sb.Append(' ').Append(unusual);
            }

            if (Context.Length > 0)
            {
                sb.Append(", ").Append(Context);
            }

            if (Attribute("style") is { } style)
            {
                sb.Append(", as a ").Append(style);
            }

            return sb.ToString();
        }
    }

    public static string Article(string noun)
    {
        if (noun.Length == 0)
        {
            return noun;
        }

        char first = char.ToLowerInvariant(noun[0]);
        return ("aeiou".Contains(first, StringComparison.Ordinal) ? "an " : "a ") + noun;
    }

    public static string Plural(string noun) => noun switch
    {
        _ when noun.EndsWith("sh", StringComparison.Ordinal) || noun.EndsWith("ch", StringComparison.Ordinal)
            || noun.EndsWith('s') || noun.EndsWith('x') => noun + "es",
        _ when noun.EndsWith('y') && noun.Length > 1 && !"aeiou".Contains(noun[^2], StringComparison.Ordinal) => noun[..^1] + "ies",
        _ => noun + "s",
    };

    public static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];
}
