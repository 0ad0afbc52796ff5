using System.Globalization;
using VisInstruct.Annotations;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>One work item: a task for an image.</summary>
public sealed record AnnotatedItem(long ImageId, AnnotatedTaskWriter Task);

/// <summary>An item with its image's annotations and, for the LLM, the context text.</summary>
public sealed record TaskInput(AnnotatedItem Item, ImageAnnotations Image, ContextText? Context, string? Window = null);

/// <summary>
/// An item's question-answer data: one or more conversations of user/gpt turns (with topics for the conversation task),
/// who wrote them (<see cref="AnnotatedTag.Source"/>) and the item's counters so far (repairs, grounding).
/// </summary>
public sealed record WrittenTask(TaskInput Input, IReadOnlyList<SvitConversation> Conversations, string Source,
    IReadOnlyDictionary<AnnotatedCounter, long> Counters);

/// <summary>The stages of the annotation recipes.</summary>
internal sealed class AnnotatedPipeline
{
    public required AnnotatedRecipeBase Recipe { get; init; }

    public required AnnotationSet Annotations { get; init; }

    public LlmService? Llm { get; init; }

    public required PromptSet Prompts { get; init; }

    public required IReadOnlyList<string> DetailQuestions { get; init; }

    /// <summary>Deprecated <c>svit.context_tokens</c>: a cap on the context text itself (null: none; 0: no limit).</summary>
    public int? ContextTokens { get; init; }

    /// <summary>Room kept for the answer when <c>max_tokens</c> is not set.</summary>
    public const int DefaultAnswerTokens = 1024;

    /// <summary>Tokens counted for each message's role and separators in a chat template.</summary>
    public const int MessageOverhead = 8;

    /// <summary>
    /// Headroom over the local (o200k) count for the served model's own tokenizer, which may split the same text
    /// into more tokens: every prompt and context count is multiplied by this before it is held against the window.
    /// </summary>
    public const double TokenizerHeadroom = 1.1;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<AnnotatedTask, int> _promptTokens = new();

    public double GroundingIou { get; init; }

    /// <summary>
    /// Loads the image's annotations (only its records) and, for the LLM, builds the task's context: the whole context
    /// unless the model's window (<see cref="LlmService.ContextWindowAsync"/>) needs it cut, in which case the
    /// context gets what the window leaves after the prompt (system and few-shot messages) and the answer's
    /// <c>max_tokens</c>, and SVIT's rule cuts it to that (smallest boxes first).
    /// </summary>
    public async ValueTask<TaskInput> ContextAsync(AnnotatedItem item, SampleContext context, CancellationToken cancellationToken)
    {
        var image = Annotations.Load(item.ImageId);
        ContextText? text = null;
        string? windowText = null;
        if (Llm is not null)
        {
            int? window = await Llm.ContextWindowAsync(cancellationToken).ConfigureAwait(false);
            string from = Llm.ConfiguredContextTokens is null ? "reported by the server" : "llm.context_tokens";
            windowText = window is { } known
                ? string.Create(CultureInfo.InvariantCulture, $"{known} tokens ({from})")
                : "not reported by the server (contexts sent whole)";
            int? room = window is { } w ? ContextRoom(item.Task, w) : null;
            if (room is <= 0)
            {
                throw new SampleFailedException("context-window", string.Create(CultureInfo.InvariantCulture,
                    $"the model's window of {window} tokens leaves no room for the annotation context after the ")
                    + string.Create(CultureInfo.InvariantCulture, $"{Prompt(item.Task)}-token prompt and {AnswerTokens}-token answer"));
            }

            int? cap = ContextTokens is > 0 ? ContextTokens : null;
            int? budget = (room, cap) switch
            {
                ({ } r, { } c) => Math.Min(r, c),
                ({ } r, null) => r,
                (null, { } c) => c,
                _ => null,
            };
            text = item.Task.Context(image, budget);
            if (room is { } limit && (text.TokensExact ? text.Tokens : LocalTokenCounter.Count(text.Text)) is var needed && needed > limit)
            {
                // The captions alone (SVIT), or a LLaVA context (never cut), do not fit: such a request would be larger
                // than the model takes.
                throw new SampleFailedException("context-window", string.Create(CultureInfo.InvariantCulture,
                    $"the annotation context takes about {needed} tokens even after cutting; ")
                    + string.Create(CultureInfo.InvariantCulture, $"the model's window of {window} tokens leaves {limit} for it"));
            }
        }

        return new TaskInput(item, image, text, windowText);
    }

    private int AnswerTokens => Llm?.MaxTokens ?? DefaultAnswerTokens;

    private static int Scaled(int tokens) => (int)Math.Ceiling(tokens * TokenizerHeadroom);

    /// <summary>The prompt of a task without the context: system message and few-shot pairs (locally counted, once per task).</summary>
    private int Prompt(AnnotatedTaskWriter task) => _promptTokens.GetOrAdd(task.Task, _ => Tokens(task.Messages(Prompts, "")));

    /// <summary>Messages as counted against the window: each scaled by the headroom, plus its template overhead.</summary>
    private static int Tokens(IEnumerable<LlmMessage> messages) =>
        messages.Sum(m => Scaled(LocalTokenCounter.Count(m.Text)) + MessageOverhead);

    /// <summary>
    /// What a window leaves for the context of a task's first request, in local (o200k) tokens: the headroom is taken off.
    /// </summary>
    private int ContextRoom(AnnotatedTaskWriter task, int window) =>
        (int)Math.Floor((window - Prompt(task) - AnswerTokens) / TokenizerHeadroom);

    /// <summary>
    /// Whether the repair request (the first request, the first answer and the repair instruction, then another answer)
    /// fits the window; when it does not, the repair is skipped and the first answer kept for what parsed.
    /// </summary>
    private async ValueTask<bool> RepairFitsAsync(IReadOnlyList<LlmMessage> repair, CancellationToken cancellationToken)
    {
        if (await Llm!.ContextWindowAsync(cancellationToken).ConfigureAwait(false) is not { } window)
        {
            return true;
        }

        return Tokens(repair) + AnswerTokens <= window;
    }

    /// <summary>
    /// The task's question-answer data: from the LLM (the task's messages, its answer parsed once, the one repair turn
    /// when the answer has repairable problems and the repair fits the window, the better parse kept), or from the
    /// procedural question engine.
    /// </summary>
    public async ValueTask<WrittenTask> WriteAsync(TaskInput input, SampleContext context, CancellationToken cancellationToken)
    {
        var task = input.Item.Task;
        var counters = new Dictionary<AnnotatedCounter, long>();
        if (Llm is null)
        {
            var conversations = task.Procedural(input.Image, new DeterministicRandom(context.SeedFor("procedural")), DetailQuestions);
            if (conversations.Count == 0)
            {
                throw new SampleDroppedException("nothing-to-ask", string.Create(CultureInfo.InvariantCulture,
                    $"image {input.Image.ImageId}: its annotations give nothing to ask for {task.Name}"));
            }

            return new WrittenTask(input, conversations, AnnotatedTag.ProceduralSource, counters);
        }

        string? instruction = task.Instruction(context, DetailQuestions);
        var messages = task.Messages(Prompts, input.Context!.Text);
        var request = new LlmRequest { Messages = messages, Seed = context.SeedFor("write") };
        var reply = await Llm.CompleteAsync(context.Key, context.Gateway, request, cancellationToken).ConfigureAwait(false);
        var parsed = task.Parse(reply.Text, instruction);
        List<LlmMessage>? repair = parsed.NeedsRepair
            ? [.. messages, LlmMessage.Assistant(reply.Text), LlmMessage.User(ResponseParser.RepairRequest(parsed.Problems))]
            : null;
        if (repair is not null && !await RepairFitsAsync(repair, cancellationToken).ConfigureAwait(false))
        {
            counters[AnnotatedCounter.RepairSkippedWindow] = 1;
            repair = null;
        }

        if (repair is not null)
        {
            counters[AnnotatedCounter.RepairRequests] = 1;
            var repairRequest = new LlmRequest { Messages = repair, Seed = context.SeedFor("repair") };
            var second = await Llm.CompleteAsync(context.Key, context.Gateway, repairRequest, cancellationToken).ConfigureAwait(false);
            var reparsed = task.Parse(second.Text, instruction);
            parsed = ResponseParser.Choose(parsed, reparsed);
            reply = ReferenceEquals(parsed, reparsed) ? second : reply;
            if (parsed.NeedsRepair && parsed.Usable)
            {
                counters[AnnotatedCounter.KeptWithProblems] = 1;
            }
        }

        if (!parsed.Usable)
        {
            string problems = string.Join("; ", parsed.Problems.Select(p => p.Message));
            throw new SampleFailedException("unparsable",
                $"the answer for {task.Name} has no usable question-answer pair after one repair: {problems}", reply.Text);
        }

        return new WrittenTask(input, task.Kept(parsed), AnnotatedTag.LlmSource, counters);
    }

    /// <summary>Referring QA only: keeps the pairs whose every box is well-formed and matches an annotated box.</summary>
    public ValueTask<WrittenTask> GroundAsync(WrittenTask written, SampleContext context, CancellationToken cancellationToken)
    {
        if (!written.Input.Item.Task.Referring)
        {
            return ValueTask.FromResult(written);
        }

        var result = Grounding.Check(written.Conversations, written.Input.Image, GroundingIou);
        var counters = new Dictionary<AnnotatedCounter, long>(written.Counters)
        {
            [AnnotatedCounter.GroundingPairs] = result.PairsChecked,
            [AnnotatedCounter.GroundingPairsKept] = result.Kept.Count,
            [AnnotatedCounter.GroundingBoxes] = result.BoxesChecked,
            [AnnotatedCounter.GroundingBoxesPassed] = result.BoxesPassed,
        };
        foreach (var (reason, count) in result.Dropped)
        {
            counters[AnnotatedCounter.GroundingDropped(reason)] = count;
        }

        if (result.Kept.Count == 0)
        {
            throw new SampleDroppedException("ungrounded", string.Create(CultureInfo.InvariantCulture,
                $"none of the {result.PairsChecked} referring question-answer pairs is grounded in the annotations ")
                + $"({string.Join(", ", result.Dropped.Select(d => $"{d.Key} {d.Value}"))})");
        }

        return ValueTask.FromResult(written with { Conversations = result.Kept, Counters = counters });
    }

    /// <summary>The item's records (the recipe's files and <c>llava.json</c>), tags and counters.</summary>
    public ValueTask<ItemResult> Assemble(WrittenTask written, SampleContext context, CancellationToken cancellationToken)
    {
        var input = written.Input;
        var image = input.Image;
        var result = new ItemResult();
        Recipe.AddRecords(result, written, new DeterministicRandom(context.SeedFor("llava")));
        int questions = written.Conversations.Sum(c => c.Content.Count(t => t.From == SvitTurn.User));
        int answers = written.Conversations.Sum(c => c.Content.Count(t => t.From == SvitTurn.Gpt));
        result.Tag(AnnotatedTag.Task, input.Item.Task.Name).Tag(AnnotatedTag.Source, written.Source)
            .Tag(AnnotatedTag.Image, image.ImageId.ToString(CultureInfo.InvariantCulture))
            .Count(AnnotatedCounter.Objects, image.Objects.Count).Count(AnnotatedCounter.Regions, image.Regions.Count)
            .Count(AnnotatedCounter.Captions, image.Captions.Count).Count(AnnotatedCounter.Questions, questions)
            .Count(AnnotatedCounter.Answers, answers).Count(AnnotatedCounter.Conversations, written.Conversations.Count);
        if (input.Window is { } window)
        {
            result.Tag(AnnotatedTag.ContextWindow, window);
        }

        if (input.Context is { Cut: true } text)
        {
            result.Count(AnnotatedCounter.ContextCut, 1).Count(AnnotatedCounter.ObjectsCut, text.ObjectsCut)
                .Count(AnnotatedCounter.RegionsCut, text.RegionsCut);
        }

        foreach (var (counter, value) in written.Counters)
        {
            result.Count(counter, value);
        }

        return ValueTask.FromResult(result);
    }
}
