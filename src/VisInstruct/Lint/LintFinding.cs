using VisInstruct.Json;

namespace VisInstruct.Lint;

/// <summary>
/// One problem found in a training file: which check found it, in which sample (index and id), which field, and
/// where in the file.
/// </summary>
public sealed record LintFinding(
    LintSeverity Severity,
    string Check,
    string Message,
    long? SampleIndex = null,
    string? SampleId = null,
    string? Field = null,
    SourcePosition? Position = null);
