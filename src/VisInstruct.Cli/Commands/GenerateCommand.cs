using System.CommandLine;
using VisInstruct.Recipes;

namespace VisInstruct.Cli.Commands;

/// <summary>
/// <c>visinstruct generate</c>: a dataset from one of a registry's recipes, on the configured backends (the built-in
/// ones by default). The recipes' options are the command's: one per name, its help naming what each recipe reads it as.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(CliConsole console, RecipeRegistry recipes)
    {
        ArgumentNullException.ThrowIfNull(recipes);
        if (recipes.All.Count == 0)
        {
            throw new ArgumentException("generate needs at least one recipe", nameof(recipes));
        }

        var recipe = new Option<string>("--recipe")
        {
            Description = "The recipe: " + string.Join(", ", recipes.All.Select(r => $"{r.Name} ({r.Description})")),
            DefaultValueFactory = _ => recipes.All[0].Name,
        };
        recipe.AcceptOnlyFromAmong([.. recipes.All.Select(r => r.Name)]);
        var output = new Option<string>("--out") { Description = "The dataset folder (created; a run in it is resumed)", Required = true };
        var options = RecipeOptions(recipes);
        var run = new RunOptions();
        var command = new Command("generate", "Generate a visual instruction dataset with a recipe (--recipe)") { recipe, output };
        foreach (var option in options.Values)
        {
            command.Add(option);
        }

        run.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var chosen = recipes.Find(result.GetRequiredValue(recipe))!;
            var arguments = new RecipeArguments(chosen.Options.Select(o => KeyValuePair.Create(o, Value(result, o, options[o.Name]))));
            string dir = result.GetRequiredValue(output);
            var (code, config, sharded) = await RunExecution.PlanAndRunAsync(console, result, run, chosen, dir, arguments,
                cancellationToken).ConfigureAwait(false);
            return await FilterCommand.AfterGenerateAsync(console, result, run, config, dir, code, sharded, cancellationToken)
                .ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// One command-line option per recipe option name, in the order the recipes declare them; the help joins what each
    /// recipe reads it as (<c>svit, llava-instruct: images ...</c>).
    /// </summary>
    private static Dictionary<string, Option> RecipeOptions(RecipeRegistry recipes)
    {
        var declared = recipes.All.SelectMany(r => r.Options.Select(o => (Recipe: r.Name, Option: o))).ToList();
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var group in declared.GroupBy(d => d.Option.Name, StringComparer.Ordinal))
        {
            var kinds = group.Select(d => d.Option.Kind).Distinct().ToList();
            if (kinds.Count > 1)
            {
                throw new ArgumentException(
                    $"the recipes declare {group.Key} as different kinds ({string.Join(", ", kinds)})", nameof(recipes));
            }

            string description = string.Join("; ", group.GroupBy(d => d.Option.Description, StringComparer.Ordinal)
                .Select(same => string.Join(", ", same.Select(d => d.Recipe)) + ": " + same.Key));
            options[group.Key] = kinds[0] == RecipeOptionKind.Integer
                ? new Option<int?>(group.Key) { Description = description }
                : new Option<string?>(group.Key) { Description = description };
        }

        return options;
    }

    /// <summary>An option's value as its kind reads it: a whole number, a string, or the comma-separated items of a list.</summary>
    private static object? Value(ParseResult result, RecipeOption declared, Option option) => declared.Kind switch
    {
        RecipeOptionKind.Integer => result.GetValue((Option<int?>)option),
        RecipeOptionKind.List => result.GetValue((Option<string?>)option)?
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        _ => result.GetValue((Option<string?>)option),
    };
}
