using VisInstruct.Annotations;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// One task of an annotation recipe, in one place: the annotation context it gives the model, its messages (the
/// recipe's prompt for it, then the context), what a good answer holds (<see cref="Shape"/>), how an answer is read
/// into conversations with its problems (<see cref="Parse"/>, once per answer), which of them it keeps, and what the
/// procedural question engine writes for it without an LLM. The write stage runs every task the same way, with the
/// one repair turn all tasks share (<see cref="ResponseParser.RepairRequest"/>).
/// </summary>
/// <remarks>
/// The answers are free text in the formats SVIT's and LLaVA's prompts ask for (<c>Question:</c>/<c>Answer:</c>,
/// <c>Topic:</c> lines), not JSON: the prompts, the requests (and so the response cache) and the parser that reads
/// what models really write are the recipes' published behaviour. So a task is not an <see cref="LlmTask{TInput, TOutput}"/>
/// (whose answers are JSON against a schema); it has that type's shape: messages, an answer type, its problems.
/// </remarks>
public abstract class AnnotatedTaskWriter
{
    private readonly Func<ImageAnnotations, int?, ContextText> _context;

    /// <param name="task">Which task.</param>
    /// <param name="shape">What the recipe's default prompt asks for.</param>
    /// <param name="context">The annotation context of an image, within a token budget (null: whole) where the recipe cuts.</param>
    protected AnnotatedTaskWriter(AnnotatedTask task, TaskShape shape, Func<ImageAnnotations, int?, ContextText> context)
    {
        Task = task;
        Shape = shape;
        _context = context ?? throw new ArgumentNullException(nameof(context));
    }

    public AnnotatedTask Task { get; }

    /// <summary>The task's name in files, keys and <c>--tasks</c> (<see cref="AnnotatedTasks.FileName"/>).</summary>
    public string Name => Task.FileName();

    /// <summary>How many conversations and pairs a good answer to the recipe's default prompt holds.</summary>
    public TaskShape Shape { get; }

    /// <summary>
    /// Whether its pairs mention boxes (<c>&lt;st&gt;name&lt;ed&gt; [box]</c>): they are grounding-checked and converted as referring.
    /// </summary>
    public virtual bool Referring => false;

    /// <summary>The annotation context of <paramref name="image"/>, cut to <paramref name="budget"/> tokens if the recipe cuts.</summary>
    public ContextText Context(ImageAnnotations image, int? budget) => _context(image, budget);

    /// <summary>The request's messages: the prompt's system message and few-shot pairs, then <paramref name="context"/>.</summary>
    public IReadOnlyList<LlmMessage> Messages(PromptSet prompts, string context)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return prompts.BuildMessages(Task, context).Select(m => new LlmMessage(m.Role, m.Content)).ToList();
    }

    /// <summary>The user turn fixed before the model is asked (the detail instruction); null when the model writes the questions.</summary>
    public virtual string? Instruction(SampleContext sample, IReadOnlyList<string> detailQuestions) => null;

    /// <summary>Reads an answer into conversations and problems; <paramref name="instruction"/> is <see cref="Instruction"/>'s.</summary>
    public abstract ParseResult Parse(string answer, string? instruction);

    /// <summary>What is kept of a usable parse: by default one conversation per question-answer pair (SVIT's raw shape).</summary>
    public virtual IReadOnlyList<SvitConversation> Kept(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.Pairs;
    }

    /// <summary>What the procedural question engine writes for the image (empty: nothing to ask).</summary>
    public abstract IReadOnlyList<SvitConversation> Procedural(ImageAnnotations image, DeterministicRandom rng,
        IReadOnlyList<string> detailQuestions);
}
