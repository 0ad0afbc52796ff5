namespace VisInstruct.Recipes.StableLlava;

/// <summary>The tags and counters the assemble stage records for each sample and the card reads back.</summary>
internal static class StableLlavaCounters
{
    /// <summary>Tag: the sample's ability.</summary>
    public const string AbilityTag = "ability";

    /// <summary>Tag: the ability's group.</summary>
    public const string GroupTag = "group";

    /// <summary>Tag: the dialogue kind.</summary>
    public const string KindTag = "kind";

    /// <summary>Tag: where the sample came from (<see cref="SampleSource"/>).</summary>
    public const string SourceTag = "source";

    /// <summary>Tag: <c>ability/kind</c>, for the card's table.</summary>
    public const string AbilityKindTag = "ability_kind";

    public const string Questions = "questions";
    public const string Images = "images";
    public const string PromptsRejectedExact = "prompts_rejected_exact";
    public const string PromptsRejectedNear = "prompts_rejected_near";
    public const string PromptsUnusable = "prompts_unusable";
    public const string PromptRequests = "prompt_requests";
    public const string PromptsTrimmed = "prompts_trimmed";
    public const string DialoguesTrimmed = "dialogues_trimmed";
    public const string TurnsTrimmed = "turns_trimmed";

    /// <summary>Counter prefix: pairs per question template (<c>template:colour.name</c>).</summary>
    public const string TemplatePrefix = "template:";

    /// <summary>Counter prefix: pairs per template and canonical answer (<c>answer:colour.name=red</c>).</summary>
    public const string AnswerPrefix = "answer:";

    /// <summary>Counter prefix: answers (gpt turns) per lower-cased word (<c>word:glossy</c>).</summary>
    public const string WordPrefix = "word:";

    /// <summary>Counter prefix: answers per answer template, the answer with its scene words masked (<c>answer_form:...</c>).</summary>
    public const string AnswerFormPrefix = "answer_form:";

    /// <summary>Counter: the answers (gpt turns) counted under <see cref="AnswerFormPrefix"/>.</summary>
    public const string Answers = "answers";

    /// <summary>Pairs the verifier checked (of samples it kept).</summary>
    public const string VerifyChecked = "verify_checked";

    /// <summary>Pairs kept unverified: questions outside the language, from an LLM writer.</summary>
    public const string VerifyUnverified = "verify_unverified";

    /// <summary>Prefix of the pairs the verifier dropped, by reason kind (<c>verify_dropped:wrong-colour</c>).</summary>
    public const string VerifyDroppedPrefix = "verify_dropped:";
}
