using System.CommandLine;
using VisInstruct.Cli.Commands;
using VisInstruct.Json;
using VisInstruct.Recipes;
using VisInstruct.Recipes.BuiltIn;

namespace VisInstruct.Cli;

/// <summary>The <c>visinstruct</c> command line: builds the command tree and maps outcomes to exit codes.</summary>
public static class VisInstructCli
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

    public static RootCommand BuildRoot(TextWriter output, TextWriter error) => BuildRoot(output, error, BuiltInRecipes.Registry);

    /// <summary>The command tree with <paramref name="recipes"/> as <c>generate</c>'s recipes (the first is its default).</summary>
    public static RootCommand BuildRoot(TextWriter output, TextWriter error, RecipeRegistry recipes)
    {
        ArgumentNullException.ThrowIfNull(recipes);
        var root = new RootCommand(
            "VisInstruct synthesizes visual instruction tuning data (StableLLaVA and SVIT recipes) in LLaVA training formats.");
        var console = new CliConsole(output, error);
        var render = new RenderRecipe();
        root.Add(GenerateCommand.Create(console, recipes));
        root.Add(RenderCommand.Create(console, render));
        root.Add(ConvertCommand.Create(console));
        root.Add(ExpandToSquareCommand.Create(console));
        root.Add(LintCommand.Create(console));
        root.Add(MergeCommand.Create(console, new RecipeRegistry([.. recipes.All, render])));
        return root;
    }

    /// <summary>Parses and runs a command line; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(BuildRoot(output, error), args, output, error, cancellationToken);

    /// <summary>Parses and runs a command line against a command tree (<see cref="BuildRoot(TextWriter, TextWriter)"/>, or one a host extends).</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
            }

            string command = string.Join(' ', CommandPath(parseResult.CommandResult));
            await error.WriteLineAsync($"Run 'visinstruct {command}{(command.Length > 0 ? " " : "")}--help' for usage.").ConfigureAwait(false);
            return BadInput;
        }

        try
        {
            // Ctrl+C is handled by the commands that run work (a clean, resumable stop), not by the parser's default.
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (InputFormatException ex)
        {
            await error.WriteLineAsync($"error: {ex.Describe()}").ConfigureAwait(false);
            return BadInput;
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("interrupted: nothing half-written was left behind; run the same command again to redo it").ConfigureAwait(false);
            return Interrupted;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return Failures;
        }
        catch (UnauthorizedAccessException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (Exception ex)
        {
            string command = string.Join(' ', CommandPath(parseResult.CommandResult));
            string log = CrashLog.Write(args, command, ex);
            await error.WriteLineAsync($"internal error: visinstruct {command} failed: {ex.GetType().Name}: {OneLine(ex.Message)} (details: {log})").ConfigureAwait(false);
            return InternalError;
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static List<string> CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new List<string>();
        for (; result?.Parent is System.CommandLine.Parsing.CommandResult; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
    }
}

/// <summary>A problem with how the command was called that the parser cannot see (paths, combinations of options).</summary>
public sealed class UsageException(string message) : Exception(message);
