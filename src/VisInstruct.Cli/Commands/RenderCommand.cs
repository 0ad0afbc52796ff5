using System.CommandLine;
using VisInstruct.Backends.Composition;
using VisInstruct.Engine;
using VisInstruct.Recipes;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct render</c>: an image for every ability-file entry, with any image backend.</summary>
internal static class RenderCommand
{
    public static Command Create(CliConsole console)
    {
        var promptPath = new Option<string>("--prompt-path", "--prompt_path", "--dataset-path")
        {
            Description = "A StableLLaVA ability file or a folder of them",
            Required = true,
        };
        var savePath = new Option<string>("--save-path", "--save_path")
        {
            Description = "The image root: each entry's image goes to <save-path>/<entry image> (e.g. train_set/color/101.jpg), where convert stablellava --image-path points",
            Required = true,
        };
        var run = new RunOptions();
        var command = new Command("render", "Render the prompts of ability files (StableLLaVA's stable_diffusion.py, seeded, parallel, resumable)")
        {
            promptPath, savePath,
        };
        run.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            run.CheckUsage(result, "--save-path", result.GetRequiredValue(savePath));
            var config = run.LoadConfig(result);
            string save = result.GetRequiredValue(savePath);
            using var backends = BackendFactory.Create(config, RunOptions.Environment(), result.GetValue(run.Config) ?? "run.yaml", GenerationEngine.TempDirectory(save));
            var options = run.EngineOptions(result, config, save, backends.Images.IsProcedural);
            var plan = RenderRecipe.Plan(result.GetRequiredValue(promptPath), save, config, backends.Images, options.Seed);
            return await RunExecution.RunAsync(console, plan, options, backends, result.GetValue(run.Quiet), preflight: !result.GetValue(run.SkipPreflight), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
