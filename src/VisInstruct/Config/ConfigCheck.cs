using System.Globalization;
using VisInstruct.Json;
using YamlDotNet.Serialization.NamingConventions;

namespace VisInstruct.Config;

/// <summary>
/// Where the sections of a configuration report what is wrong with them (their <c>Validate</c>): the first problem
/// throws <see cref="InputFormatException"/> naming the file, the dotted key, and where the key is in the file.
/// </summary>
internal sealed class ConfigCheck(string yaml, string file)
{
    public void Fail(string field, string message) =>
        throw new InputFormatException(file, message, YamlPaths.PositionOf(yaml, field), field);

    public void Positive(double? value, string field)
    {
        if (value is <= 0)
        {
            Fail(field, $"{field} must be positive");
        }
    }

    public void AtLeastOne(int? value, string field)
    {
        if (value is < 1)
        {
            Fail(field, $"{field} must be at least 1");
        }
    }

    public void EnvName(string? name, string field)
    {
        if (name is not null
            && (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(name[0])))
        {
            Fail(field,
                $"{field} is the NAME of an environment variable (like OPENAI_API_KEY), not a key; "
                + $"\"{Mask(name)}\" is not a variable name");
        }
    }

    public void Endpoints(List<string>? endpoints, string section)
    {
        for (int i = 0; i < (endpoints?.Count ?? 0); i++)
        {
            string endpoint = endpoints![i];
            string field = string.Create(CultureInfo.InvariantCulture, $"{section}.endpoints[{i}]");
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                Fail(field, $"\"{RedactUserInfo(endpoint)}\" is not an http(s) URL");
            }

            if (uri!.UserInfo.Length > 0)
            {
                string where = section == "images"
                    ? "images.api_key_env, or images.username_env and images.password_env for AUTOMATIC1111"
                    : $"{section}.api_key_env";
                Fail(field, $"\"{RedactUserInfo(endpoint)}\" has a user name or password in it; credentials never go in the file: "
                    + $"put them in environment variables and name those in {where}");
            }
        }
    }

    /// <summary>NaN and infinity are YAML numbers (.nan, .inf) that no setting means: refused wherever they are.</summary>
    public void Finite(object? node, string path)
    {
        if (node is null)
        {
            return;
        }

        foreach (var property in node.GetType().GetProperties())
        {
            string name = UnderscoredNamingConvention.Instance.Apply(property.Name);
            string field = path.Length == 0 ? name : path + "." + name;
            object? value = property.GetValue(node);
            if (value is double d && !double.IsFinite(d))
            {
                Fail(field, $"{field} must be a number; {(double.IsNaN(d) ? "NaN (.nan)" : "infinity (.inf)")} is not accepted");
            }
            else if (value is not null && property.PropertyType.Namespace == typeof(RunConfig).Namespace)
            {
                Finite(value, field);
            }
        }
    }

    /// <summary>An endpoint as it may be shown: whatever stands before an '@' in its authority is hidden.</summary>
    public static string RedactUserInfo(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        int scheme = endpoint.IndexOf("://", StringComparison.Ordinal);
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = endpoint.IndexOfAny(['/', '?', '#'], start);
        string authority = end < 0 ? endpoint[start..] : endpoint[start..end];
        int at = authority.LastIndexOf('@');
        return at < 0 ? endpoint : endpoint[..start] + "***@" + authority[(at + 1)..] + (end < 0 ? "" : endpoint[end..]);
    }

    // A value that is not a variable name may be a pasted key: never echo it whole.
    private static string Mask(string value) => value.Length <= 4 ? value : value[..2] + new string('*', Math.Min(8, value.Length - 2));
}
