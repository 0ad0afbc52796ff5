using YamlDotNet.Core;
using YamlDotNet.Serialization.NamingConventions;

namespace VisInstruct.Config;

/// <summary>
/// The deserializer's refusals in words: an unknown key, or what a key takes (its messages name .NET types).
/// </summary>
internal static class YamlErrors
{
    /// <summary>The message for a refusal of the deserializer at <paramref name="field"/> (null when no key is there).</summary>
    public static string Explain(YamlException ex, string? field)
    {
        string message = ex.InnerException?.Message ?? ex.Message;
        if (message.Contains("not found on type", StringComparison.Ordinal) || message.Contains("Property '", StringComparison.Ordinal))
        {
            int start = message.IndexOf('\'', StringComparison.Ordinal);
            int end = start >= 0 ? message.IndexOf('\'', start + 1) : -1;
            string key = start >= 0 && end > start ? message[(start + 1)..end] : "?";
            return $"unknown key \"{key}\" (see docs/configuration.md for the keys)";
        }

        // Every other refusal of the deserializer is a value of the wrong shape; say what the key takes, in words
        // (its messages name .NET types).
        if (field is not null && ExpectedType(field) is { } expected)
        {
            return $"{field} takes {Describe(expected)}";
        }

        return message.StartsWith("(Line", StringComparison.Ordinal) && message.Contains("): ", StringComparison.Ordinal)
            ? message[(message.IndexOf("): ", StringComparison.Ordinal) + 3)..]
            : message;
    }

    /// <summary>The .NET type a dotted key of the configuration is read into, or null when the path names none.</summary>
    private static Type? ExpectedType(string field)
    {
        Type type = typeof(RunConfig);
        foreach (string part in field.Split('.'))
        {
            string name = part.Contains('[', StringComparison.Ordinal) ? part[..part.IndexOf('[', StringComparison.Ordinal)] : part;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                type = type.GetGenericArguments()[1];
            }
            else
            {
                var property = type.GetProperties().FirstOrDefault(p => UnderscoredNamingConvention.Instance.Apply(p.Name) == name);
                if (property is null)
                {
                    return null;
                }

                type = property.PropertyType;
            }

            if (part.Contains('[', StringComparison.Ordinal) && type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            {
                type = type.GetGenericArguments()[0];
            }
        }

        return Nullable.GetUnderlyingType(type) ?? type;
    }

    private static string Describe(Type type)
    {
        if (type == typeof(int) || type == typeof(long))
        {
            return "a whole number";
        }

        if (type == typeof(ulong))
        {
            return "a whole number, 0 or more";
        }

        if (type == typeof(double) || type == typeof(decimal))
        {
            return "a number";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(string))
        {
            return "one value (text)";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return $"a list of {Describe(type.GetGenericArguments()[0]).Replace("one value (text)", "text", StringComparison.Ordinal)} " +
                $"([a, b] or lines starting with \"- \")";
        }

        return "a section of keys (key: value lines below it, or {key: value})";
    }
}
