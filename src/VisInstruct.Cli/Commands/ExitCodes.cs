namespace VisInstruct.Cli.Commands;

/// <summary>The exit codes of every <c>visinstruct</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The work finished, with failures (a run over its failure ratio, a lint with errors).</summary>
    public const int Failures = 1;

    /// <summary>Bad usage or bad input.</summary>
    public const int BadInput = 2;

    /// <summary>
    /// An internal error: something failed that the command does not expect (a bug, or a fault such as a damaged run
    /// state). One line names it and the log file that has the details. (70 is <c>EX_SOFTWARE</c> in sysexits.h.)
    /// </summary>
    public const int InternalError = 70;

    /// <summary>Interrupted (Ctrl+C); what was finished is kept.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (128 + 15, as shells report it); what was finished is kept.</summary>
    public const int Terminated = 143;
}
