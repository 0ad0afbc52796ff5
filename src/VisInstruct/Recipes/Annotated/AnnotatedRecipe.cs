using VisInstruct.Annotations;
using VisInstruct.Backends;
using VisInstruct.Config;
using VisInstruct.Engine;

namespace VisInstruct.Recipes.Annotated;

// Forwarding for today's command line and RecipeCatalog only, until they read the recipe registry
// (issue 13, wt-sl): delete this file at the merge, and use SvitRecipe.Instance / LlavaInstructRecipe.Instance.

/// <summary>What <c>generate --recipe svit|llava-instruct</c> is asked for (the command line before the recipe registry).</summary>
public sealed class AnnotatedRequest
{
    /// <summary><see cref="AnnotatedRecipe.SvitName"/> or <see cref="AnnotatedRecipe.LlavaInstructName"/>.</summary>
    public required string Recipe { get; init; }

    public required RunConfig Config { get; init; }

    public string? ConfigFile { get; init; }

    public required RunBackends Backends { get; init; }

    /// <summary>The indexed annotation files (see <see cref="AnnotatedRecipe.OpenAnnotations"/>).</summary>
    public required AnnotationSet Annotations { get; init; }

    public IReadOnlyList<string>? Tasks { get; init; }

    public int? Count { get; init; }

    public required ulong Seed { get; init; }

    public required string OutputDirectory { get; init; }

    public string? PromptsDirectory { get; init; }

    public string? DetailQuestionsFile { get; init; }

    public string? ImageIdsFile { get; init; }

    public string? ExcludeImageIdsFile { get; init; }
}

/// <summary>The annotation recipes by name, forwarding to <see cref="SvitRecipe"/> and <see cref="LlavaInstructRecipe"/>.</summary>
public static class AnnotatedRecipe
{
    public const string SvitName = SvitRecipe.RecipeName;
    public const string LlavaInstructName = LlavaInstructRecipe.RecipeName;

    public static AnnotationSet OpenAnnotations(string recipe, RunConfig config, string? configFile, string? imageIdsFile,
        string? excludeImageIdsFile, CancellationToken cancellationToken = default) =>
        Named(recipe).OpenAnnotations(config, configFile, imageIdsFile, excludeImageIdsFile, cancellationToken);

    public static GenerationPlan Plan(AnnotatedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = new RecipeArguments(
        [
            new(AnnotatedRecipeBase.Count, request.Count),
            new(AnnotatedRecipeBase.Tasks, request.Tasks),
            new(AnnotatedRecipeBase.Prompts, request.PromptsDirectory),
            new(AnnotatedRecipeBase.DetailQuestionsFile, request.DetailQuestionsFile),
            new(AnnotatedRecipeBase.ImageIds, request.ImageIdsFile),
            new(AnnotatedRecipeBase.ExcludeImageIds, request.ExcludeImageIdsFile),
        ]);
        return Named(request.Recipe).Plan(new RecipeRequest
        {
            Config = request.Config,
            ConfigFile = request.ConfigFile,
            Backends = request.Backends,
            Seed = request.Seed,
            OutputDirectory = request.OutputDirectory,
            Arguments = arguments,
        }, request.Annotations);
    }

    public static string Card(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Named(summary.Recipe).Card(summary);
    }

    public static string StatisticsJson(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Named(summary.Recipe).Statistics(summary);
    }

    private static AnnotatedRecipeBase Named(string recipe) => recipe switch
    {
        SvitName => SvitRecipe.Instance,
        LlavaInstructName => LlavaInstructRecipe.Instance,
        _ => throw new ArgumentException($"unknown annotation recipe {recipe}"),
    };
}
