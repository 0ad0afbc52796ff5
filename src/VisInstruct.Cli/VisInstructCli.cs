using System.CommandLine;
using System.CommandLine.Parsing;
using VisInstruct.Cli.Commands;
using VisInstruct.Json;
using VisInstruct.Recipes;
using VisInstruct.Recipes.BuiltIn;

namespace VisInstruct.Cli;

/// <summary>The <c>visinstruct</c> command line: builds the command tree and maps outcomes to exit codes.</summary>
public static class VisInstructCli
{
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
        root.Add(EvalCommand.Create(console));
        root.Add(MergeCommand.Create(console, new RecipeRegistry([.. recipes.All, render, Filters.Run.FilterRecipe.ForMerge()])));
        root.Add(ExportCommand.Create(console));
        root.Add(ReportCommand.Create(console));
        root.Add(ViewCommand.Create(console));
        root.Add(MixCommand.Create(console));
        root.Add(FilterCommand.Create(console));
        return root;
    }

    /// <summary>Parses and runs a command line; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(BuildRoot(output, error), args, output, error, cancellationToken);

    /// <summary>Parses and runs a command line against a command tree (<see cref="BuildRoot(TextWriter, TextWriter)"/>, or one a host
    /// extends).</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default)
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
            await error.WriteLineAsync($"Run 'visinstruct {command}{(command.Length > 0 ? " " : "")}--help' for usage.")
                .ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        try
        {
            // Ctrl+C is handled by the commands that run work (a clean, resumable stop), not by the parser's default.
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null };
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (InputFormatException ex)
        {
            await error.WriteLineAsync($"error: {ex.Describe()}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("interrupted: nothing half-written was left behind; run the same command again to redo it")
                .ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failures;
        }
        catch (UnauthorizedAccessException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception ex)
        {
            string command = string.Join(' ', CommandPath(parseResult.CommandResult));
            string log = CrashLog.Write(args, command, ex);
            await error.WriteLineAsync($"internal error: visinstruct {command} failed: {ex.GetType().Name}: {OneLine(ex.Message)} " +
                $"(details: {log})").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static List<string> CommandPath(CommandResult? result)
    {
        var names = new List<string>();
        for (; result?.Parent is CommandResult; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
    }
}
