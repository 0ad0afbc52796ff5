using System.CommandLine;
using System.Globalization;
using VisInstruct.Engine;
using VisInstruct.Recipes;

namespace VisInstruct.Cli.Commands;

/// <summary>
/// <c>visinstruct merge</c>: the shards of a run into one dataset, equal to the unsharded run's; the card and the
/// statistics are those of the run's recipe in the registry it is given (the engine's generic card for another).
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliConsole console, RecipeRegistry recipes)
    {
        ArgumentNullException.ThrowIfNull(recipes);
        var shards = new Argument<string[]>("shard-dirs") { Description = "The shards' output folders", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "The merged dataset's folder", Required = true };
        var style = new OutputStyleOptions(defaultIndent: null);
        var command =
            new Command("merge", "Merge the shards of a run (each complete, same configuration) into one dataset") { shards, output };
        style.AddTo(command);
        command.SetAction(result =>
        {
            if (File.Exists(result.GetRequiredValue(output)))
            {
                throw new UsageException($"--out {result.GetRequiredValue(output)} is a file; it must be a folder for the merged dataset");
            }

            RunOutcome outcome;
            try
            {
                outcome = ShardMerge.Merge(result.GetRequiredValue(shards), result.GetRequiredValue(output),
                    name => recipes.Find(name) is { } recipe ? recipe.Card : null, style.Read(result),
                    statisticsFor: name => recipes.Find(name) is { } recipe ? recipe.Statistics : null);
            }
            catch (MergeException ex)
            {
                throw new UsageException(ex.Message);
            }

            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"merged {result.GetRequiredValue(shards).Length} shards of {outcome.Recipe}: {outcome.Done} done, {outcome.Failed} "
                    + $"failed, {outcome.Dropped} dropped; {outcome.ProcessedNow} generated files gathered"));
            console.Out.WriteLine($"dataset: {Path.GetFullPath(outcome.OutputDirectory)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
