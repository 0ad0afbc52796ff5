namespace VisInstruct.Recipes.Annotated;

/// <summary>How a folder of prompt files is laid out (and so the built-in prompts under <c>Prompts/&lt;recipe&gt;/</c>).</summary>
public enum PromptLayout
{
    /// <summary>SVIT's <c>prompts/</c>: <c>&lt;task&gt;.txt</c>, a system message each.</summary>
    SystemFiles,

    /// <summary>
    /// LLaVA's <c>playground/data/prompts/</c>: <c>&lt;task&gt;/system_message.txt</c> and few-shot pairs
    /// <c>NNN_caps.txt</c> (user) / <c>NNN_conv.txt</c> (assistant).
    /// </summary>
    TaskFolders,
}
