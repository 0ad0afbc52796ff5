namespace VisInstruct.Backends.Llm;

/// <summary>The structured-output mode one endpoint ended up with, and why it left the one before (null: it never did).</summary>
public sealed record EndpointOutputMode(string Backend, string Endpoint, string Mode, string? Reason)
{
    /// <summary>
    /// The modes of earlier runs (or other shards) with the later ones laid over them, one per backend and endpoint,
    /// in order: a resumed run that asked nothing new still reports what the dataset's answers were asked with.
    /// </summary>
    public static IReadOnlyList<EndpointOutputMode> Combine(IEnumerable<EndpointOutputMode> earlier, IEnumerable<EndpointOutputMode> later)
    {
        var all = new Dictionary<(string, string), EndpointOutputMode>();
        foreach (var mode in earlier.Concat(later))
        {
            all[(mode.Backend, mode.Endpoint)] = mode;
        }

        return [.. all.Values.OrderBy(m => m.Backend, StringComparer.Ordinal).ThenBy(m => m.Endpoint, StringComparer.Ordinal)];
    }

    /// <summary>The modes as text for the run state: a line each, its fields separated by tabs.</summary>
    public static string Encode(IEnumerable<EndpointOutputMode> modes) =>
        string.Concat(modes.Select(m => string.Join('\t', m.Backend, m.Endpoint, m.Mode, Flat(m.Reason ?? "")) + "\n"));

    /// <summary>What <see cref="Encode"/> wrote; nothing for null or empty text.</summary>
    public static IReadOnlyList<EndpointOutputMode> Decode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var modes = new List<EndpointOutputMode>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('\t');
            if (f.Length == 4)
            {
                modes.Add(new EndpointOutputMode(f[0], f[1], f[2], f[3].Length == 0 ? null : f[3]));
            }
        }

        return modes;
    }

    private static string Flat(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
