using System.CommandLine;
using System.Globalization;
using VisInstruct.Engine;
using VisInstruct.Recipes;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct merge</c>: the shards of a run into one dataset, equal to the unsharded run's.</summary>
internal static class MergeCommand
{
    public static Command Create(CliConsole console)
    {
        var shards = new Argument<string[]>("shard-dirs") { Description = "The shards' output folders", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "The merged dataset's folder", Required = true };
        var style = new OutputStyleOptions(defaultIndent: null);
        var command = new Command("merge", "Merge the shards of a run (each complete, same configuration) into one dataset") { shards, output };
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
                outcome = ShardMerge.Merge(result.GetRequiredValue(shards), result.GetRequiredValue(output), RecipeCatalog.CardFor, style.Read(result), statisticsFor: RecipeCatalog.StatisticsFor);
            }
            catch (MergeException ex)
            {
                throw new UsageException(ex.Message);
            }

            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"merged {result.GetRequiredValue(shards).Length} shards of {outcome.Recipe}: {outcome.Done} done, {outcome.Failed} failed, {outcome.Dropped} dropped; {outcome.ProcessedNow} generated files gathered"));
            console.Out.WriteLine($"dataset: {Path.GetFullPath(outcome.OutputDirectory)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
