using VisInstruct.Engine;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// SVIT or LLaVA-Instruct as an <see cref="IRecipe"/>, over <see cref="AnnotatedRecipe"/>'s plan, card and statistics:
/// the annotation files are opened for the plan and closed with it.
/// </summary>
internal sealed class AnnotatedRecipeAdapter : IRecipe
{
    public static readonly RecipeOption Count = RecipeOption.Integer("--count",
        "images, the first by id (default all, or count in the config)");

    public static readonly RecipeOption Tasks = RecipeOption.List("--tasks",
        "comma-separated tasks (conversation, complex_reasoning, detail_description, referring_qa; default all of the recipe's)");

    public static readonly RecipeOption Prompts = RecipeOption.Text("--prompts",
        "a folder of prompt files in the original layout (SVIT's prompts/, LLaVA's playground/data/prompts/) "
        + "instead of the built-in prompts");

    public static readonly RecipeOption DetailQuestions = RecipeOption.Text("--detail-questions",
        "detail-description instructions, one per line (SVIT's data/questions.txt)");

    public static readonly RecipeOption ImageIds = RecipeOption.Text("--image-ids", "only these image ids (a file, one per line)");

    public static readonly RecipeOption ExcludeImageIds = RecipeOption.Text("--exclude-image-ids",
        "never these image ids (a file, one per line; e.g. SVIT's data/test_image_ids.txt)");

    private AnnotatedRecipeAdapter(string name, string description)
    {
        Name = name;
        Description = description;
    }

    /// <summary>SVIT: Visual Genome images to SVIT's four tasks.</summary>
    public static AnnotatedRecipeAdapter Svit { get; } = new(AnnotatedRecipe.SvitName, "Visual Genome annotations -> SVIT's tasks");

    /// <summary>LLaVA-Instruct: COCO images to LLaVA's three tasks.</summary>
    public static AnnotatedRecipeAdapter LlavaInstruct { get; } =
        new(AnnotatedRecipe.LlavaInstructName, "COCO annotations -> LLaVA-Instruct's tasks");

    public string Name { get; }

    public string Description { get; }

    public IReadOnlyList<RecipeOption> Options { get; } = [Count, Tasks, Prompts, DetailQuestions, ImageIds, ExcludeImageIds];

    public RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = request.Arguments;
        string? ids = arguments.Text(ImageIds);
        string? excluded = arguments.Text(ExcludeImageIds);
        var annotations = AnnotatedRecipe.OpenAnnotations(Name, request.Config, request.ConfigFile, ids, excluded, cancellationToken);
        try
        {
            var plan = AnnotatedRecipe.Plan(new AnnotatedRequest
            {
                Recipe = Name,
                Config = request.Config,
                ConfigFile = request.ConfigFile,
                Backends = request.Backends,
                Annotations = annotations,
                Tasks = arguments.List(Tasks),
                Count = arguments.Integer(Count) ?? request.Config.Count,
                Seed = request.Seed,
                OutputDirectory = request.OutputDirectory,
                PromptsDirectory = arguments.Text(Prompts),
                DetailQuestionsFile = arguments.Text(DetailQuestions),
                ImageIdsFile = ids,
                ExcludeImageIdsFile = excluded,
            });
            return new RecipePlan(plan, annotations);
        }
        catch
        {
            annotations.Dispose();
            throw;
        }
    }

    public string Card(DatasetSummary summary) => AnnotatedRecipe.Card(summary);

    public string? Statistics(DatasetSummary summary) => AnnotatedRecipe.StatisticsJson(summary);
}
