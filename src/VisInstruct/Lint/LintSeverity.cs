namespace VisInstruct.Lint;

/// <summary>How bad a finding is: an error fails training or silently corrupts it; a warning is worth a look.</summary>
public enum LintSeverity
{
    Warning,
    Error,
}
