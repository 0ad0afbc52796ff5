namespace VisInstruct.Recipes.Annotated;

/// <summary>The four text-side tasks of the annotation-driven recipes (SVIT uses all four, LLaVA-Instruct the first three).</summary>
public enum AnnotatedTask
{
    Conversation,
    ComplexReasoning,
    DetailDescription,
    ReferringQa,
}

/// <summary>Names of the tasks as files and folders use them, and which recipe has which.</summary>
public static class AnnotatedTasks
{
    public const string SvitRecipe = "svit";
    public const string LlavaInstructRecipe = "llava-instruct";

    /// <summary>The SVIT tasks, in the order of its prompt folder.</summary>
    public static IReadOnlyList<AnnotatedTask> Svit { get; } =
        [AnnotatedTask.Conversation, AnnotatedTask.ComplexReasoning, AnnotatedTask.DetailDescription, AnnotatedTask.ReferringQa];

    /// <summary>The LLaVA-Instruct tasks (no referring QA).</summary>
    public static IReadOnlyList<AnnotatedTask> LlavaInstruct { get; } =
        [AnnotatedTask.Conversation, AnnotatedTask.DetailDescription, AnnotatedTask.ComplexReasoning];

    /// <summary>The file (SVIT: <c>&lt;name&gt;.txt</c>) or folder (LLaVA) name of a task: <c>conversation</c>, <c>complex_reasoning</c>, <c>detail_description</c>, <c>referring_qa</c>.</summary>
    public static string FileName(this AnnotatedTask task) => task switch
    {
        AnnotatedTask.Conversation => "conversation",
        AnnotatedTask.ComplexReasoning => "complex_reasoning",
        AnnotatedTask.DetailDescription => "detail_description",
        AnnotatedTask.ReferringQa => "referring_qa",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown task"),
    };

    /// <summary>The task whose <see cref="FileName"/> is <paramref name="name"/> (also accepts <c>-</c> for <c>_</c>).</summary>
    public static bool TryParse(string name, out AnnotatedTask task)
    {
        ArgumentNullException.ThrowIfNull(name);
        string normalized = name.Trim().Replace('-', '_').ToLowerInvariant();
        foreach (var candidate in Enum.GetValues<AnnotatedTask>())
        {
            if (candidate.FileName() == normalized)
            {
                task = candidate;
                return true;
            }
        }

        task = default;
        return false;
    }

    /// <summary>The tasks of a recipe (<c>svit</c> or <c>llava-instruct</c>).</summary>
    public static IReadOnlyList<AnnotatedTask> ForRecipe(string recipe) => recipe switch
    {
        SvitRecipe => Svit,
        LlavaInstructRecipe => LlavaInstruct,
        _ => throw new ArgumentException($"unknown annotated recipe \"{recipe}\"; the recipes are {SvitRecipe} and {LlavaInstructRecipe}", nameof(recipe)),
    };

    /// <summary>
    /// What a good answer to the project's default prompt holds: SVIT asks for 3 conversations of 5 pairs, 15 complex
    /// pairs and 10 referring pairs; LLaVA-Instruct for one conversation of any length and one complex pair. Detail
    /// description is one text in both.
    /// </summary>
    public static TaskShape Shape(string recipe, AnnotatedTask task) => (recipe, task) switch
    {
        (SvitRecipe, AnnotatedTask.Conversation) => new TaskShape(3, 5),
        (SvitRecipe, AnnotatedTask.ComplexReasoning) => new TaskShape(1, 15),
        (SvitRecipe, AnnotatedTask.ReferringQa) => new TaskShape(1, 10),
        (LlavaInstructRecipe, AnnotatedTask.Conversation) => new TaskShape(1, null),
        (LlavaInstructRecipe, AnnotatedTask.ComplexReasoning) => new TaskShape(1, 1),
        (SvitRecipe or LlavaInstructRecipe, AnnotatedTask.DetailDescription) => new TaskShape(1, 1),
        _ => throw new ArgumentException($"recipe \"{recipe}\" has no task {task.FileName()}", nameof(task)),
    };
}

/// <summary>How many conversations an answer should hold and how many question-answer pairs each (null: any number, at least one).</summary>
public readonly record struct TaskShape(int Conversations, int? PairsEach)
{
    /// <summary>The total pairs expected, or null when any number will do.</summary>
    public int? TotalPairs => PairsEach * Conversations;
}
