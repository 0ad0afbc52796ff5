using VisInstruct.Cli;
using VisInstruct.Recipes;

namespace VisInstruct.Tests.Support;

/// <summary>Runs the <c>visinstruct</c> command line in-process and captures what it printed.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args) => Run(recipes: null, args);

    /// <summary>Runs the command line with <paramref name="recipes"/> as <c>generate</c>'s recipes (null: the built-in ones).</summary>
    public static Result Run(RecipeRegistry? recipes, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // On the thread pool, away from xunit's synchronization context: that context has as many threads as the
        // machine has cores, and a continuation queued to it while those threads block here would never run.
        int code = Task.Run(() => recipes is null
            ? VisInstructCli.RunAsync(args, output, error)
            : VisInstructCli.RunAsync(VisInstructCli.BuildRoot(output, error, recipes), args, output, error)).GetAwaiter().GetResult();
        return new Result(code, output.ToString(), error.ToString());
    }
}
