namespace VisInstruct.Recipes.Annotated;

/// <summary>The four text-side tasks of the annotation-driven recipes (SVIT uses all four, LLaVA-Instruct the first three).</summary>
public enum AnnotatedTask
{
    Conversation,
    ComplexReasoning,
    DetailDescription,
    ReferringQa,
}

/// <summary>
/// Names of the tasks as files and folders use them (which recipe has which: <see cref="AnnotatedRecipeBase.TaskWriters"/>).
/// </summary>
public static class AnnotatedTasks
{
    /// <summary>
    /// The file (SVIT: <c>&lt;name&gt;.txt</c>) or folder (LLaVA) name of a task: <c>conversation</c>,
    /// <c>complex_reasoning</c>, <c>detail_description</c>, <c>referring_qa</c>.
    /// </summary>
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
}
