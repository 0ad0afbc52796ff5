using VisInstruct.Cli;
using VisInstruct.Cli.Commands;

// An exception on a background thread would end the process with a runtime stack trace (exit 134): log it as the
// command's own errors are logged, and exit with the internal-error code.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    var exception = e.ExceptionObject as Exception ?? new InvalidOperationException(e.ExceptionObject?.ToString());
    string log = CrashLog.Write(args, "", exception);
    Console.Error.WriteLine($"internal error: visinstruct failed: {exception.GetType().Name}: " +
        $"{exception.Message.ReplaceLineEndings(" ")} (details: {log})");
    Environment.Exit(ExitCodes.InternalError);
};

return await VisInstructCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
