namespace VisInstruct.Cli.Commands;

/// <summary>Where commands write: results to <see cref="Out"/>, diagnostics to <see cref="Error"/>.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;
}
