using System.CommandLine;
using VisInstruct.Backends.Composition;
using VisInstruct.Engine;
using VisInstruct.Recipes;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct render</c>: an image for every ability-file entry, with any image backend.</summary>
internal static class RenderCommand
{
    public static Command Create(CliConsole console, RenderRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var promptPath = new Option<string>(RenderRecipe.PromptPath.Name, "--prompt_path", "--dataset-path")
        {
            Description = RenderRecipe.PromptPath.Description,
            Required = true,
        };
        var savePath = new Option<string>("--save-path", "--save_path")
        {
            Description = "The image root: each entry's image goes to <save-path>/<entry image> (e.g. train_set/color/101.jpg), "
                + "where convert stablellava --image-path points",
            Required = true,
        };
        var run = new RunOptions();
        var command = new Command("render",
            "Render the prompts of ability files (StableLLaVA's stable_diffusion.py, seeded, parallel, resumable)")
        {
            promptPath, savePath,
        };
        run.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            run.CheckUsage(result, "--save-path", result.GetRequiredValue(savePath));
            var config = run.LoadConfig(result);
            string save = result.GetRequiredValue(savePath);
            string? configFile = result.GetValue(run.Config);
            using var backends = BackendFactory.Create(config, RunOptions.Environment(), configFile ?? RunOptions.UnnamedConfig,
                GenerationEngine.TempDirectory(save));
            var options = run.EngineOptions(result, config, save, backends.Images.IsProcedural);
            using var plan = recipe.Plan(new RecipeRequest
            {
                Config = config,
                ConfigFile = configFile,
                Backends = backends,
                Seed = options.Seed,
                OutputDirectory = save,
                Arguments = new RecipeArguments([
                    KeyValuePair.Create<RecipeOption, object?>(RenderRecipe.PromptPath, result.GetRequiredValue(promptPath)),
                ]),
            }, cancellationToken);
            return await RunExecution.RunAsync(console, plan.Plan, options, backends, result.GetValue(run.Quiet),
                preflight: !result.GetValue(run.SkipPreflight), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
