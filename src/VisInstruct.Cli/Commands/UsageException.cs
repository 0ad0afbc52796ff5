namespace VisInstruct.Cli.Commands;

/// <summary>A problem with how the command was called that the parser cannot see (paths, combinations of options).</summary>
public sealed class UsageException(string message) : Exception(message);
