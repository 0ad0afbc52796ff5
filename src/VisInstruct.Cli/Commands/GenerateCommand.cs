using System.CommandLine;
using VisInstruct.Backends;
using VisInstruct.Engine;
using VisInstruct.Recipes.StableLlava;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct generate</c>: a dataset from a recipe, on the configured backends (the built-in ones by default).</summary>
internal static class GenerateCommand
{
    public static Command Create(CliConsole console)
    {
        var recipe = new Option<string>("--recipe") { Description = "The recipe", DefaultValueFactory = _ => StableLlavaRecipe.Name };
        recipe.AcceptOnlyFromAmong(StableLlavaRecipe.Name);
        var output = new Option<string>("--out") { Description = "The dataset folder (created; a run in it is resumed)", Required = true };
        var count = new Option<int?>("--count") { Description = $"Samples per ability (default {StableLlavaRecipe.DefaultCount}, or count in the config)" };
        var abilities = new Option<string?>("--abilities") { Description = "Comma-separated abilities (default: all the configured backends can make)" };
        var run = new RunOptions();
        var command = new Command("generate", "Generate a visual instruction dataset: StableLLaVA (abilities -> prompts -> images -> dialogues)")
        {
            recipe, output, count, abilities,
        };
        run.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var config = run.LoadConfig(result);
            string outDir = result.GetRequiredValue(output);
            string? configFile = result.GetValue(run.Config);
            using var backends = BackendFactory.Create(config, RunOptions.Environment(), configFile ?? "run.yaml", GenerationEngine.TempDirectory(outDir));
            var options = run.EngineOptions(result, config, outDir, backends.Images.IsProcedural);
            GenerationPlan plan;
            try
            {
                plan = StableLlavaRecipe.Plan(new StableLlavaRequest
                {
                    Config = config,
                    ConfigFile = configFile,
                    Backends = backends,
                    Abilities = result.GetValue(abilities)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Count = result.GetValue(count) ?? config.Count ?? StableLlavaRecipe.DefaultCount,
                    Seed = options.Seed,
                    OutputDirectory = outDir,
                });
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            return await RunExecution.RunAsync(console, plan, options, backends, result.GetValue(run.Quiet),
                checkChat: backends.Llm is not null || backends.Vision is not null, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
