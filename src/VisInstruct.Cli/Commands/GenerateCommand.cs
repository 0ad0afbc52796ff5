using System.CommandLine;
using VisInstruct.Annotations;
using VisInstruct.Backends.Composition;
using VisInstruct.Engine;
using VisInstruct.Recipes.Annotated;
using VisInstruct.Recipes.StableLlava;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct generate</c>: a dataset from a recipe, on the configured backends (the built-in ones by default).</summary>
internal static class GenerateCommand
{
    public static Command Create(CliConsole console)
    {
        var recipe = new Option<string>("--recipe") { Description = "The recipe", DefaultValueFactory = _ => StableLlavaRecipe.Name };
        recipe.AcceptOnlyFromAmong(StableLlavaRecipe.Name, AnnotatedRecipe.SvitName, AnnotatedRecipe.LlavaInstructName);
        var output = new Option<string>("--out") { Description = "The dataset folder (created; a run in it is resumed)", Required = true };
        var count = new Option<int?>("--count")
        {
            Description = $"StableLLaVA: samples per ability (default {StableLlavaRecipe.DefaultCount}); SVIT, LLaVA-Instruct: images, the first by id (default all). Or count in the config",
        };
        var abilities = new Option<string?>("--abilities") { Description = "StableLLaVA: comma-separated abilities (default: all the configured backends can make)" };
        var tasks = new Option<string?>("--tasks") { Description = "SVIT, LLaVA-Instruct: comma-separated tasks (conversation, complex_reasoning, detail_description, referring_qa; default all of the recipe's)" };
        var prompts = new Option<string?>("--prompts") { Description = "SVIT, LLaVA-Instruct: a folder of prompt files in the original layout (SVIT's prompts/, LLaVA's playground/data/prompts/) instead of the built-in prompts" };
        var detailQuestions = new Option<string?>("--detail-questions") { Description = "SVIT, LLaVA-Instruct: detail-description instructions, one per line (SVIT's data/questions.txt)" };
        var imageIds = new Option<string?>("--image-ids") { Description = "SVIT, LLaVA-Instruct: only these image ids (a file, one per line)" };
        var excludeImageIds = new Option<string?>("--exclude-image-ids") { Description = "SVIT, LLaVA-Instruct: never these image ids (a file, one per line; e.g. SVIT's data/test_image_ids.txt)" };
        var run = new RunOptions();
        var command = new Command("generate", "Generate a visual instruction dataset: StableLLaVA (abilities -> prompts -> images -> dialogues), SVIT or LLaVA-Instruct (annotations -> tasks)")
        {
            recipe, output, count, abilities, tasks, prompts, detailQuestions, imageIds, excludeImageIds,
        };
        run.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            run.CheckUsage(result, "--out", result.GetRequiredValue(output));
            var config = run.LoadConfig(result);
            string outDir = result.GetRequiredValue(output);
            string? configFile = result.GetValue(run.Config);
            string recipeName = result.GetRequiredValue(recipe);
            using var backends = BackendFactory.Create(config, RunOptions.Environment(), configFile ?? "run.yaml", GenerationEngine.TempDirectory(outDir));
            var options = run.EngineOptions(result, config, outDir, backends.Images.IsProcedural);
            AnnotationSet? annotations = null;
            try
            {
                GenerationPlan plan;
                try
                {
                    if (recipeName == StableLlavaRecipe.Name)
                    {
                        plan = StableLlavaRecipe.Plan(new StableLlavaRequest
                        {
                            Config = config,
                            ConfigFile = configFile,
                            Backends = backends,
                            Abilities = List(result.GetValue(abilities)),
                            Count = result.GetValue(count) ?? config.Count ?? StableLlavaRecipe.DefaultCount,
                            Seed = options.Seed,
                            OutputDirectory = outDir,
                        });
                    }
                    else
                    {
                        string? ids = result.GetValue(imageIds);
                        string? excluded = result.GetValue(excludeImageIds);
                        annotations = AnnotatedRecipe.OpenAnnotations(recipeName, config, configFile, ids, excluded, cancellationToken);
                        plan = AnnotatedRecipe.Plan(new AnnotatedRequest
                        {
                            Recipe = recipeName,
                            Config = config,
                            ConfigFile = configFile,
                            Backends = backends,
                            Annotations = annotations,
                            Tasks = List(result.GetValue(tasks)),
                            Count = result.GetValue(count) ?? config.Count,
                            Seed = options.Seed,
                            OutputDirectory = outDir,
                            PromptsDirectory = result.GetValue(prompts),
                            DetailQuestionsFile = result.GetValue(detailQuestions),
                            ImageIdsFile = ids,
                            ExcludeImageIdsFile = excluded,
                        });
                    }
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException(ex.Message);
                }

                return await RunExecution.RunAsync(console, plan, options, backends, result.GetValue(run.Quiet),
                    preflight: !result.GetValue(run.SkipPreflight), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                annotations?.Dispose();
            }
        });
        return command;
    }

    private static string[]? List(string? value) => value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
