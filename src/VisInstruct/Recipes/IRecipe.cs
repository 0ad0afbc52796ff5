using VisInstruct.Backends.Composition;
using VisInstruct.Config;
using VisInstruct.Engine;

namespace VisInstruct.Recipes;

/// <summary>
/// A recipe: what it is called, the options it reads, how it plans a run (work items and their pipeline for the
/// engine), and how it describes the dataset it made. The command line lists the recipes of a
/// <see cref="RecipeRegistry"/> and knows none of them by name; the engine knows none of them at all.
/// </summary>
public interface IRecipe
{
    /// <summary>The name users give to <c>--recipe</c> and that the manifest records (<c>stablellava</c>, <c>svit</c>).</summary>
    string Name { get; }

    /// <summary>One line for the command's help.</summary>
    string Description { get; }

    /// <summary>The recipe's own command-line options, beyond the run options every recipe shares.</summary>
    IReadOnlyList<RecipeOption> Options { get; }

    /// <summary>
    /// Plans a run. Invalid input (an unknown task, a missing annotation file) is an <see cref="ArgumentException"/>
    /// or an input-format exception with the file and field; what the plan opens is disposed with the plan.
    /// </summary>
    RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken);

    /// <summary>The dataset card (<c>README.md</c>) from a run's summary; also used when shards are merged.</summary>
    string Card(DatasetSummary summary);

    /// <summary>The <c>stats.json</c> of a run from its summary, or null when the recipe writes none.</summary>
    string? Statistics(DatasetSummary summary);
}

/// <summary>What a recipe is asked to plan: the run's configuration and backends, and the values of its options.</summary>
public sealed class RecipeRequest
{
    public required RunConfig Config { get; init; }

    /// <summary>The configuration file's path (relative files in it are relative to it), or null without one.</summary>
    public string? ConfigFile { get; init; }

    public required RunBackends Backends { get; init; }

    public required ulong Seed { get; init; }

    public required string OutputDirectory { get; init; }

    /// <summary>The values given for the recipe's <see cref="IRecipe.Options"/>.</summary>
    public RecipeArguments Arguments { get; init; } = RecipeArguments.Empty;
}

/// <summary>A planned run and what it holds open (annotation indexes), released when the run is over.</summary>
public sealed class RecipePlan(GenerationPlan plan, IDisposable? resources = null) : IDisposable
{
    public GenerationPlan Plan { get; } = plan;

    public void Dispose() => resources?.Dispose();
}
