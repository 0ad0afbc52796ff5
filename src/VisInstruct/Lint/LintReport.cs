using VisInstruct.Json;

namespace VisInstruct.Lint;

/// <summary>The result of linting one file.</summary>
public sealed class LintReport
{
    public required string File { get; init; }

    public JsonRecordLayout Layout { get; set; }

    public long Samples { get; set; }

    public long Errors { get; set; }

    public long Warnings { get; set; }

    public long ImagesChecked { get; set; }

    /// <summary>The findings kept (each check keeps at most the configured number; the counts cover all).</summary>
    public List<LintFinding> Findings { get; } = [];

    /// <summary>How many findings each check made, kept or not.</summary>
    public SortedDictionary<string, long> CountsByCheck { get; } = new(StringComparer.Ordinal);

    /// <summary>True when some findings were counted but not kept.</summary>
    public bool Truncated => CountsByCheck.Values.Sum() > Findings.Count;

    /// <summary>The summary line: <c>N samples, E errors, W warnings</c>.</summary>
    public string Summary => FormattableString.Invariant($"{Samples} samples, {Errors} errors, {Warnings} warnings");
}
