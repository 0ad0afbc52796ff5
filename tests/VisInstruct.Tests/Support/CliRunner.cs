using VisInstruct.Cli;

namespace VisInstruct.Tests.Support;

/// <summary>Runs the <c>visinstruct</c> command line in-process and captures what it printed.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = VisInstructCli.RunAsync(args, output, error).GetAwaiter().GetResult();
        return new Result(code, output.ToString(), error.ToString());
    }
}
