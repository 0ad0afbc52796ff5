namespace VisInstruct.Export;

/// <summary>An export asked for something that cannot be done with these options (the CLI's exit 2).</summary>
public sealed class ExportUsageException(string message) : Exception(message);
