using System.Globalization;
using VisInstruct.Config;
using VisInstruct.Filters.Judges;
using VisInstruct.Filters.Text;

namespace VisInstruct.Filters.Run;

/// <summary>How the kept samples' images reach the filtered dataset.</summary>
public enum ImageHandling
{
    /// <summary>Hard links where the filesystem allows, else copies (default; as <c>mix --images copy</c>).</summary>
    Copy,

    /// <summary>Symbolic links to the source files (as <c>mix --images link</c>).</summary>
    Link,

    /// <summary>No images in the output; the records keep their paths (give the same image folder to the trainer).</summary>
    Keep,
}

/// <summary>
/// What a filter run does: which filters, which of them drop, each one's settings, and how images are placed. Built
/// from the config's <c>filters:</c> section and the <c>filter</c> command's options (<see cref="Resolve"/>).
/// </summary>
public sealed record FilterSettings
{
    /// <summary>The filters that run, in <see cref="FilterNames.All"/> order.</summary>
    public required IReadOnlyList<string> Filters { get; init; }

    /// <summary>The filters whose flags remove a sample.</summary>
    public IReadOnlySet<string> Drop { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public TextHeuristicOptions Text { get; init; } = new();

    /// <summary>The language dialogues should be in (ISO 639-1).</summary>
    public string Language { get; init; } = "en";

    /// <summary>Hamming distance at or under which two image hashes are the same image.</summary>
    public int Distance { get; init; } = DefaultDistance;

    /// <summary>Datasets or image folders whose images must not occur in this one.</summary>
    public IReadOnlyList<string> Against { get; init; } = [];

    public double TextDupThreshold { get; init; } = 0.8;

    public bool TextDupAcrossGroups { get; init; }

    public BlindOptions Blind { get; init; } = new();

    public ConsistencyOptions Consistency { get; init; } = new();

    public ImageHandling Images { get; init; } = ImageHandling.Copy;

    /// <summary>The default Hamming distance (see BENCHMARKS.md: recall and false matches measured at each distance).</summary>
    public const int DefaultDistance = 6;

    /// <summary>False for settings read back from a run's counters (merged shards): only the names and drops are known.</summary>
    public bool Described { get; init; } = true;

    public bool Runs(string filter) => Filters.Contains(filter, StringComparer.Ordinal);

    /// <summary>
    /// The settings from the config's <c>filters:</c> (may be null) and the command line: <paramref name="only"/> picks
    /// the filters (default: those configured, else every filter that needs no model), <paramref name="drop"/> adds
    /// filters that drop (<c>all</c>: every one that runs). An unknown name is an <see cref="ArgumentException"/>.
    /// </summary>
    public static FilterSettings Resolve(FiltersConfig? config, IReadOnlyList<string>? only, IReadOnlyList<string>? drop,
        IReadOnlyList<string>? against = null, int? distance = null, string? language = null, ImageHandling images = ImageHandling.Copy)
    {
        var configured = Configured(config);
        var filters = only is { Count: > 0 } ? Known(only, "--filters")
            : configured.Count > 0 ? [.. configured.Keys] : [.. FilterNames.Offline];
        filters = [.. FilterNames.All.Where(filters.Contains)];
        var dropping = new HashSet<string>(configured.Where(c => c.Value.Drop == true && filters.Contains(c.Key)).Select(c => c.Key),
            StringComparer.Ordinal);
        foreach (string name in drop ?? [])
        {
            if (name == "all")
            {
                dropping.UnionWith(filters);
                continue;
            }

            string known = Known([name], "--drop")[0];
            if (!filters.Contains(known))
            {
                throw new ArgumentException($"--drop {known}: that filter does not run (add it to --filters or to the config's filters:)");
            }

            dropping.Add(known);
        }

        var text = new TextHeuristicOptions();
        var consistencyMode = config?.Consistency?.Mode == "score" ? ConsistencyMode.Score : ConsistencyMode.Claims;
        return new FilterSettings
        {
            Filters = filters,
            Drop = dropping,
            Text = text with
            {
                MaxAnswerWords = config?.Text?.MaxAnswerWords ?? text.MaxAnswerWords,
                MaxSentenceRepeats = config?.Text?.MaxSentenceRepeats ?? text.MaxSentenceRepeats,
            },
            Language = language ?? config?.Language?.Expected ?? "en",
            Distance = distance ?? config?.ImageDup?.Distance ?? DefaultDistance,
            Against = [.. config?.ImageDup?.Against ?? [], .. against ?? []],
            TextDupThreshold = config?.TextDup?.Threshold ?? 0.8,
            TextDupAcrossGroups = config?.TextDup?.AcrossGroups ?? false,
            Blind = new BlindOptions
            {
                MaxShortAnswerWords = config?.Blind?.MaxShortAnswerWords ?? new BlindOptions().MaxShortAnswerWords,
                UseJudge = config?.Blind?.UseJudge ?? true,
            },
            Consistency = new ConsistencyOptions
            {
                Mode = consistencyMode,
                MinScore = config?.Consistency?.MinScore ?? new ConsistencyOptions().MinScore,
                MinAgree = config?.Consistency?.MinAgree,
            },
            Images = images,
        };
    }

    /// <summary>One line per filter that runs, for the card and the fingerprint.</summary>
    public string Describe(string filter) => filter switch
    {
        FilterNames.Text => string.Create(CultureInfo.InvariantCulture,
            $"max {Text.MaxAnswerWords} words per answer, a sentence at most {Text.MaxSentenceRepeats - 1} times"),
        FilterNames.Language => "expected " + Language,
        FilterNames.ImageDup => string.Create(CultureInfo.InvariantCulture, $"pHash distance <= {Distance}")
            + (Against.Count > 0 ? ", against " + string.Join(", ", Against) : ""),
        FilterNames.TextDup => string.Create(CultureInfo.InvariantCulture, $"MinHash similarity >= {TextDupThreshold}")
            + (TextDupAcrossGroups ? ", across groups" : ", within each group"),
        _ => "",
    };

    private static Dictionary<string, FilterConfigBase> Configured(FiltersConfig? config)
    {
        var sections = new (string, FilterConfigBase?)[]
        {
            (FilterNames.Text, config?.Text), (FilterNames.Language, config?.Language), (FilterNames.ImageDup, config?.ImageDup),
            (FilterNames.TextDup, config?.TextDup), (FilterNames.Blind, config?.Blind), (FilterNames.Consistency, config?.Consistency),
        };
        return sections.Where(s => s.Item2 is not null).ToDictionary(s => s.Item1, s => s.Item2!, StringComparer.Ordinal);
    }

    private static List<string> Known(IReadOnlyList<string> names, string option)
    {
        var known = new List<string>();
        foreach (string raw in names)
        {
            string name = raw.Trim().Replace('_', '-');
            if (!FilterNames.All.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"{option} {raw}: no such filter; the filters are " + string.Join(", ", FilterNames.All));
            }

            known.Add(name);
        }

        return known;
    }
}
