namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Where a sample's scenario and dialogue came from: the <c>source</c> tag the prompt stage gives each sample and the
/// card counts.
/// </summary>
internal static class SampleSource
{
    /// <summary>A procedural scene, the template writer's dialogue from it.</summary>
    public const string Procedural = "procedural";

    /// <summary>A procedural scene, an LLM's dialogue from it.</summary>
    public const string ProceduralLlm = "procedural+llm";

    /// <summary>The template writer's prompt and dialogue.</summary>
    public const string Template = "template";

    /// <summary>The template writer's prompt, an LLM's dialogue.</summary>
    public const string TemplateLlm = "template+llm";

    /// <summary>The LLM prompt writer's prompt (and an LLM's dialogue).</summary>
    public const string Llm = "llm";

    /// <summary>The card's words for a source.</summary>
    public static string Describe(string source) => source switch
    {
        Procedural => "the procedural renderer and the template writer, from each scene (checked: see Verification)",
        ProceduralLlm => "the procedural renderer, with LLM dialogues from each scene",
        Template => "the template writer (prompts and dialogues from the ability lists)",
        Llm => "an LLM (prompts and dialogues)",
        TemplateLlm => "the template writer's prompts, with LLM dialogues",
        _ => source,
    };
}
