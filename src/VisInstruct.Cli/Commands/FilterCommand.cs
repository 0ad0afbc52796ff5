using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VisInstruct.Config;
using VisInstruct.Filters;
using VisInstruct.Filters.Run;
using VisInstruct.Recipes;

namespace VisInstruct.Cli.Commands;

/// <summary>
/// <c>visinstruct filter SOURCE --out DIR</c>: the quality filters over any LLaVA dataset, on the engine (resumable,
/// cached, budgeted, shardable); every verdict in <c>filters.jsonl</c>, the kept samples as a new dataset folder.
/// Also what <c>generate</c> runs after the dataset is written when the config has <c>filters:</c>.
/// </summary>
internal static class FilterCommand
{
    /// <summary>Where <c>generate</c> writes the filtered dataset, inside its output folder.</summary>
    public const string GenerateFolder = "filtered";

    private static readonly (string Name, string What)[] Catalogue =
    [
        (FilterNames.Text, "empty or overlong answers, a sentence said 3+ times, answers about their inputs (\"the caption\"), "
            + "<image> and role problems"),
        (FilterNames.Language, "turns written in another language than --language (default en)"),
        (FilterNames.ImageDup, "near-duplicate images: 64-bit pHash within --distance bits (default 6); with --against, "
            + "images also in another dataset"),
        (FilterNames.TextDup, "exact and near-duplicate conversations (normalised text, MinHash), within each ability or task"),
        (FilterNames.Blind, "closed-form questions the llm: model answers right without the image (needs llm:)"),
        (FilterNames.Consistency, "dialogues whose claims the vision judges do not find in the image "
            + "(vision: or filters.consistency.judges)"),
    ];

    public static Command Create(CliConsole console)
    {
        var source = new Argument<string>("source") { Description = "A dataset folder, or a LLaVA JSON/JSONL file (ours or not)" };
        var output = new Option<string>("--out")
        {
            Description = "The filtered dataset's folder (created; a run in it is resumed)", Required = true,
        };
        var imageFolder = new Option<string?>("--image-folder", "--image_folder")
        {
            Description = "The folder the image paths are relative to; needed for a plain file or annotated data",
        };
        var filters = new Option<string?>("--filters")
        {
            Description = "Comma-separated filters to run (default: those in the config's filters:, else "
                + string.Join(",", FilterNames.Offline) + ")",
        };
        var drop = new Option<string?>("--drop")
        {
            Description = "Comma-separated filters whose flags remove the sample (all: every one); default: flag only",
        };
        var against = new Option<string[]>("--against")
        {
            Description = "A dataset or image folder (a benchmark, another split) whose images must not be in this one; repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var distance = new Option<int?>("--distance")
        {
            Description = "image-dup: the largest Hamming distance between hashes that is the same image (0-31)",
        };
        var language = new Option<string?>("--language")
        {
            Description = "language: the two-letter code the dialogues should be in (default en)",
        };
        var images = new Option<string>("--images")
        {
            Description = "copy (hard links where possible, else copies; default), link (symbolic links) or keep (no images, "
                + "paths as they are)",
            DefaultValueFactory = _ => "copy",
        };
        images.AcceptOnlyFromAmong("copy", "link", "keep");
        var run = new RunOptions();
        var command = new Command("filter", "Run quality filters over a dataset: a verdict per sample and filter, and the kept "
            + "samples as a new dataset. The filters:\n" + string.Join("\n", Catalogue.Select(c => $"  {c.Name,-12} {c.What}")))
        {
            source, output, imageFolder, filters, drop, against, distance, language, images,
        };
        run.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            string dir = result.GetRequiredValue(output);
            PathChecks.InputFolder(result.GetValue(imageFolder), "--image-folder");
            if (result.GetValue(distance) is < 0 or > 31)
            {
                throw new UsageException("--distance must be between 0 and 31 bits");
            }

            if (result.GetValue(language) is { Length: not 2 } code)
            {
                throw new UsageException($"--language {code}: give a two-letter ISO 639-1 code (en, de, zh)");
            }

            var config = run.LoadConfig(result);
            FilterSettings settings;
            try
            {
                settings = FilterSettings.Resolve(config.Filters, List(result.GetValue(filters)), List(result.GetValue(drop)),
                    result.GetValue(against), result.GetValue(distance), result.GetValue(language)?.ToLowerInvariant(),
                    Enum.Parse<ImageHandling>(result.GetRequiredValue(images), ignoreCase: true));
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            string input = result.GetRequiredValue(source);
            if (Path.GetFullPath(input).TrimEnd(Path.DirectorySeparatorChar) == Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar))
            {
                throw new UsageException("--out must be a new folder, not the source itself (nothing the source holds is changed)");
            }

            return await RunAsync(console, result, run, new FilterRequest
            {
                Source = input, ImageFolder = result.GetValue(imageFolder), Settings = settings, Progress = Progress(console, result, run),
            }, dir, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// After <c>generate</c>: when the config has <c>filters:</c> and the run finished, the filters over the dataset just
    /// written, into <c>OUT/filtered/</c> (the dataset itself is left as it is).
    /// </summary>
    public static async Task<int> AfterGenerateAsync(CliConsole console, ParseResult result, RunOptions run, RunConfig config,
        string outDir, int code, bool sharded, CancellationToken cancellationToken)
    {
        if (code != ExitCodes.Success || sharded || config.Filters is not { IsEmpty: false } || result.GetValue(run.DryRun))
        {
            if (code == ExitCodes.Success && sharded && config.Filters is { IsEmpty: false })
            {
                console.Error.WriteLine("note: filters: run on the merged dataset (visinstruct filter MERGED --out DIR), not per shard");
            }

            return code;
        }

        console.Out.WriteLine($"filters: {Path.GetFullPath(Path.Combine(outDir, GenerateFolder))}");
        var settings = FilterSettings.Resolve(config.Filters, null, null);
        return await RunAsync(console, result, run, new FilterRequest
        {
            Source = outDir, Settings = settings, Progress = Progress(console, result, run),
        }, Path.Combine(outDir, GenerateFolder), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(CliConsole console, ParseResult result, RunOptions run, FilterRequest request, string dir,
        CancellationToken cancellationToken)
    {
        var recipe = new FilterRecipe(request, FilterJudges.Create);
        var (code, _, sharded) = await RunExecution.PlanAndRunAsync(console, result, run, recipe, dir, RecipeArguments.Empty,
            cancellationToken).ConfigureAwait(false);
        string stats = Path.Combine(dir, "stats.json");
        if (!sharded && File.Exists(stats) && !result.GetValue(run.DryRun))
        {
            EnsureTrainingFile(dir);
            Summarize(console, stats, dir);
        }

        return code;
    }

    /// <summary>A filtered dataset always has its <c>llava.json</c>, even when every sample was dropped.</summary>
    private static void EnsureTrainingFile(string dir)
    {
        string file = Path.Combine(dir, "llava.json");
        if (!File.Exists(file) && !File.Exists(Path.Combine(dir, "llava_multi.json")))
        {
            string temp = file + ".tmp";
            File.WriteAllText(temp, "[]");
            File.Move(temp, file, overwrite: true);
        }
    }

    private static void Summarize(CliConsole console, string statsFile, string dir)
    {
        using var stats = JsonDocument.Parse(File.ReadAllBytes(statsFile));
        var root = stats.RootElement;
        long N(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt64(out long n) ? n : 0;
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{N(root, "samples")} samples: {N(root, "kept")} kept, {N(root, "dropped")} dropped; {Path.GetFullPath(dir)}"));
        foreach (var filter in root.GetProperty("filters").EnumerateObject())
        {
            string reasons = string.Join(", ", filter.Value.GetProperty("reasons").EnumerateObject().Select(r => $"{r.Name} {r.Value}"));
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {filter.Name,-12} flagged {N(filter.Value, "flagged")}, dropped {N(filter.Value, "dropped")}")
                + (reasons.Length > 0 ? $" ({reasons})" : ""));
        }
    }

    private static Action<string>? Progress(CliConsole console, ParseResult result, RunOptions run) =>
        result.GetValue(run.Quiet) ? null : line => console.Error.WriteLine(line);

    private static string[]? List(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
