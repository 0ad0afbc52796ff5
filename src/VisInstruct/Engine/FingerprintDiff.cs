using System.Text.Json;

namespace VisInstruct.Engine;

/// <summary>Says which settings differ between two configuration fingerprints, as <c>path: old -> new</c> lines.</summary>
public static class FingerprintDiff
{
    public static IReadOnlyList<string> Compare(string before, string after) =>
        Differences(before, after).Select(d => $"{d.Path}: {d.Before} -> {d.After}").ToList();

    /// <summary>Each setting (a dotted path) whose value differs, with both values as JSON text (or <c>(absent)</c>).</summary>
    public static IReadOnlyList<(string Path, string Before, string After)> Differences(string before, string after)
    {
        using var a = JsonDocument.Parse(before);
        using var b = JsonDocument.Parse(after);
        var changes = new List<(string, string, string)>();
        Walk(a.RootElement, b.RootElement, "", changes);
        return changes;
    }

    private static void Walk(JsonElement? a, JsonElement? b, string path, List<(string, string, string)> changes)
    {
        // Into objects on both sides, or on one side with the other absent (a section set in one run only).
        bool objectA = a is { ValueKind: JsonValueKind.Object }, objectB = b is { ValueKind: JsonValueKind.Object };
        if ((objectA && objectB) || (objectA && b is null) || (objectB && a is null))
        {
            var names = (objectA ? a!.Value.EnumerateObject().Select(p => p.Name) : [])
                .Union(objectB ? b!.Value.EnumerateObject().Select(p => p.Name) : []).Order(StringComparer.Ordinal);
            foreach (string name in names)
            {
                Walk(objectA && a!.Value.TryGetProperty(name, out var x) ? x : null,
                    objectB && b!.Value.TryGetProperty(name, out var y) ? y : null,
                    path.Length == 0 ? name : path + "." + name, changes);
            }

            return;
        }

        string left = a is { } va ? Show(va) : "(absent)";
        string right = b is { } vb ? Show(vb) : "(absent)";
        if (left != right)
        {
            changes.Add((path.Length == 0 ? "(root)" : path, left, right));
        }
    }

    private static string Show(JsonElement element)
    {
        string text = element.GetRawText();
        return text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
    }
}

/// <summary>The configuration differs from the one the run in this folder was started with.</summary>
public sealed class ConfigChangedException(string outputDirectory, IReadOnlyList<string> changes)
    : Exception($"the run in {outputDirectory} was made with another configuration, which would change finished items:\n  "
        + string.Join("\n  ", changes)
            + "\nUse the original configuration to resume it, another --out for a new run, or --force-new to start this folder afresh.")
{
    public IReadOnlyList<string> Changes { get; } = changes;
}
