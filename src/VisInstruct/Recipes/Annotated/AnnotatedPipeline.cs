using System.Globalization;
using System.Text;
using VisInstruct.Annotations;
using VisInstruct.Backends.Llm;
using VisInstruct.Conversion;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Imaging;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>One work item: a task for an image.</summary>
public sealed record AnnotatedItem(long ImageId, AnnotatedTask Task);

/// <summary>An item with its image's annotations and, for the LLM, the context text.</summary>
public sealed record TaskInput(AnnotatedItem Item, ImageAnnotations Image, ContextText? Context, string? Window = null);

/// <summary>An item's question-answer data: one or more conversations of user/gpt turns (with topics for the conversation task).</summary>
public sealed record WrittenTask(TaskInput Input, IReadOnlyList<SvitConversation> Conversations, string Source, IReadOnlyDictionary<string, long> Counters);

/// <summary>The stages of the annotation recipes.</summary>
internal sealed class AnnotatedPipeline
{
    public required string Recipe { get; init; }

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

    /// <summary>The task (by name order, as the items are keyed) whose items count each image once in the totals.</summary>
    public required string FirstTask { get; init; }

    public double GroundingIou { get; init; }

    private bool Svit => Recipe == AnnotatedRecipe.SvitName;

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
            windowText = window is { } known
                ? string.Create(CultureInfo.InvariantCulture, $"{known} tokens ({(Llm.ConfiguredContextTokens is null ? "reported by the server" : "llm.context_tokens")})")
                : "not reported by the server (contexts sent whole)";
            int? room = window is { } w ? ContextRoom(item.Task, w) : null;
            if (room is <= 0)
            {
                throw new SampleFailedException("context-window", string.Create(CultureInfo.InvariantCulture,
                    $"the model's window of {window} tokens leaves no room for the annotation context after the {Prompt(item.Task)}-token prompt and {AnswerTokens}-token answer"));
            }

            int? cap = ContextTokens is > 0 ? ContextTokens : null;
            int? budget = (room, cap) switch
            {
                ({ } r, { } c) => Math.Min(r, c),
                ({ } r, null) => r,
                (null, { } c) => c,
                _ => null,
            };
            text = Svit ? SvitContext.Build(image, budget) : LlavaContext(image, item.Task);
            if (room is { } limit && (text.TokensExact ? text.Tokens : LocalTokenCounter.Count(text.Text)) is var needed && needed > limit)
            {
                // The captions alone (SVIT), or a LLaVA context (never cut), do not fit: such a request would be larger
                // than the model takes.
                throw new SampleFailedException("context-window", string.Create(CultureInfo.InvariantCulture,
                    $"the annotation context takes about {needed} tokens even after cutting; the model's window of {window} tokens leaves {limit} for it"));
            }
        }

        return new TaskInput(item, image, text, windowText);
    }

    private int AnswerTokens => Llm?.MaxTokens ?? DefaultAnswerTokens;

    private static int Scaled(int tokens) => (int)Math.Ceiling(tokens * TokenizerHeadroom);

    /// <summary>The prompt of a task without the context: system message and few-shot pairs (locally counted, once per task).</summary>
    private int Prompt(AnnotatedTask task) => _promptTokens.GetOrAdd(task, t =>
        Prompts.BuildMessages(t, "").Sum(m => Scaled(LocalTokenCounter.Count(m.Content)) + MessageOverhead));

    /// <summary>What a window leaves for the context of a task's first request, in local (o200k) tokens: the headroom is taken off.</summary>
    private int ContextRoom(AnnotatedTask task, int window) =>
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

        int size = repair.Sum(m => Scaled(LocalTokenCounter.Count(m.Text)) + MessageOverhead) + AnswerTokens;
        return size <= window;
    }

    /// <summary>The task's question-answer data: from the LLM (parsed, repaired once), or from the procedural question engine.</summary>
    public async ValueTask<WrittenTask> WriteAsync(TaskInput input, SampleContext context, CancellationToken cancellationToken)
    {
        var task = input.Item.Task;
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        if (Llm is null)
        {
            var rng = new DeterministicRandom(context.SeedFor("procedural"));
            var conversations = task switch
            {
                AnnotatedTask.Conversation => ProceduralQuestions.Conversations(input.Image, rng).Select(c => c.Conversation).ToList(),
                AnnotatedTask.ComplexReasoning => ProceduralQuestions.ComplexReasoning(input.Image, rng).ToList(),
                AnnotatedTask.DetailDescription => ProceduralQuestions.DetailDescription(input.Image, rng, DetailQuestions) is { } d ? [d] : [],
                _ => ProceduralQuestions.ReferringQa(input.Image, rng).ToList(),
            };
            if (conversations.Count == 0)
            {
                throw new SampleDroppedException("nothing-to-ask", string.Create(CultureInfo.InvariantCulture,
                    $"image {input.Image.ImageId}: its annotations give nothing to ask for {task.FileName()}"));
            }

            return new WrittenTask(input, conversations, "procedural", counters);
        }

        // The detail instruction is the user turn of a detail description; the model only writes the answer.
        string? instruction = task == AnnotatedTask.DetailDescription ? new DeterministicRandom(context.SeedFor("detail-question")).Pick(DetailQuestions) : null;
        var messages = Prompts.BuildMessages(task, input.Context!.Text).Select(m => new LlmMessage(m.Role, m.Content)).ToList();
        var reply = await Llm.CompleteAsync(context.Key, context.Gateway, new LlmRequest { Messages = messages, Seed = context.SeedFor("write") }, cancellationToken).ConfigureAwait(false);
        var parsed = Parse(task, reply.Text, instruction);
        var repair = parsed.NeedsRepair
            ? new List<LlmMessage>(messages) { LlmMessage.Assistant(reply.Text), LlmMessage.User(ResponseParser.RepairRequest(parsed.Problems)) }
            : null;
        if (repair is not null && !await RepairFitsAsync(repair, cancellationToken).ConfigureAwait(false))
        {
            counters["repair_skipped_window"] = 1;
            repair = null;
        }

        if (repair is not null)
        {
            counters["repair_requests"] = 1;
            var second = await Llm.CompleteAsync(context.Key, context.Gateway, new LlmRequest { Messages = repair, Seed = context.SeedFor("repair") }, cancellationToken).ConfigureAwait(false);
            var reparsed = Parse(task, second.Text, instruction);
            parsed = ResponseParser.Choose(parsed, reparsed);
            reply = ReferenceEquals(parsed, reparsed) ? second : reply;
            if (parsed.NeedsRepair && parsed.Usable)
            {
                counters["kept_with_problems"] = 1;
            }
        }

        if (!parsed.Usable)
        {
            throw new SampleFailedException("unparsable", $"the answer for {task.FileName()} has no usable question-answer pair after one repair: {string.Join("; ", parsed.Problems.Select(p => p.Message))}", reply.Text);
        }

        // The conversation task keeps its conversations; the others are one conversation per pair (SVIT's raw shape).
        var written = task == AnnotatedTask.Conversation
            ? parsed.Conversations.Select(c => c.Conversation).Where(c => c.Content.Count > 0).ToList()
            : parsed.Pairs;
        return new WrittenTask(input, written, "llm", counters);
    }

    /// <summary>Referring QA only: keeps the pairs whose every box is well-formed and matches an annotated box.</summary>
    public ValueTask<WrittenTask> GroundAsync(WrittenTask written, SampleContext context, CancellationToken cancellationToken)
    {
        if (written.Input.Item.Task != AnnotatedTask.ReferringQa)
        {
            return ValueTask.FromResult(written);
        }

        var result = Grounding.Check(written.Conversations, written.Input.Image, GroundingIou);
        var counters = new Dictionary<string, long>(written.Counters, StringComparer.Ordinal)
        {
            ["grounding_pairs"] = result.PairsChecked,
            ["grounding_pairs_kept"] = result.Kept.Count,
            ["grounding_boxes"] = result.BoxesChecked,
            ["grounding_boxes_passed"] = result.BoxesPassed,
        };
        foreach (var (reason, count) in result.Dropped)
        {
            counters["grounding_dropped_" + reason] = count;
        }

        if (result.Kept.Count == 0)
        {
            throw new SampleDroppedException("ungrounded", string.Create(CultureInfo.InvariantCulture,
                $"none of the {result.PairsChecked} referring question-answer pairs is grounded in the annotations ({string.Join(", ", result.Dropped.Select(d => $"{d.Key} {d.Value}"))})"));
        }

        return ValueTask.FromResult(written with { Conversations = result.Kept, Counters = counters });
    }

    /// <summary>The item's records: raw SVIT (per task and combined) and LLaVA-1.5 for SVIT; LLaVA-Instruct layout and LLaVA for the other.</summary>
    public ValueTask<ItemResult> Assemble(WrittenTask written, SampleContext context, CancellationToken cancellationToken)
    {
        var input = written.Input;
        var image = input.Image;
        var task = input.Item.Task;
        string taskName = task.FileName();
        var result = new ItemResult();
        var rng = new DeterministicRandom(context.SeedFor("llava"));
        var tally = new BoxTally();
        if (Svit)
        {
            var sample = new SvitSample { ImageId = image.ImageId, Conversations = written.Conversations };
            result.Add($"svit/{taskName}.json", sample, FormatWriter.Write);
            result.Add("svit/svit.json", sample, FormatWriter.Write);
            var size = new ImageSize(image.Width, image.Height, ImageFormat.Jpeg);
            for (int i = 0; i < written.Conversations.Count; i++)
            {
                var turns = SvitConversion.ConvertTurns(written.Conversations[i], task == AnnotatedTask.ReferringQa, size, rng, SvitConversion.DefaultReferringInstructions, tally);
                result.Add(AnnotatedRecipe.LlavaFile, new LlavaSample
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"{image.ImageId}_{taskName}_{i}"),
                    Image = LlavaImage.Single(image.ImagePath),
                    Conversations = turns,
                }, FormatWriter.Write);
            }
        }
        else
        {
            string cocoId = image.ImageId.ToString("D12", CultureInfo.InvariantCulture);
            for (int i = 0; i < written.Conversations.Count; i++)
            {
                // LLaVA-Instruct keeps its boxes per side (no square padding) and has no referring instruction.
                var turns = SvitConversion.ConvertTurns(written.Conversations[i], referring: false, size: null, rng, [], tally);
                string suffix = written.Conversations.Count == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $"_{i}");
                result.Add($"llava-instruct/{taskName}.json", new LlavaSample { Id = cocoId, Image = LlavaImage.Single(Path.GetFileName(image.ImagePath)), Conversations = turns }, FormatWriter.Write);
                result.Add(AnnotatedRecipe.LlavaFile, new LlavaSample { Id = $"{cocoId}_{taskName}{suffix}", Image = LlavaImage.Single(image.ImagePath), Conversations = turns }, FormatWriter.Write);
            }
        }

        int questions = written.Conversations.Sum(c => c.Content.Count(t => t.From == SvitTurn.User));
        int answers = written.Conversations.Sum(c => c.Content.Count(t => t.From == SvitTurn.Gpt));
        result.Tag("task", taskName).Tag("source", written.Source)
            .Count("objects", image.Objects.Count).Count("regions", image.Regions.Count).Count("captions", image.Captions.Count)
            .Count("questions", questions).Count("answers", answers).Count("conversations", written.Conversations.Count);
        if (input.Window is { } window)
        {
            result.Tag("context_window", window);
        }

        if (input.Context is { Cut: true } text)
        {
            result.Count("context_cut", 1).Count("objects_cut", text.ObjectsCut).Count("regions_cut", text.RegionsCut);
        }

        if (context.Key.EndsWith("/" + FirstTask, StringComparison.Ordinal))
        {
            result.Count("image_first", 1).Count("image_first_objects", image.Objects.Count).Count("image_first_regions", image.Regions.Count)
                .Count("image_first_captions", image.Captions.Count);
        }

        foreach (var (name, value) in written.Counters)
        {
            result.Count(name, value);
        }

        return ValueTask.FromResult(result);
    }

    /// <summary>The LLaVA-Instruct context: captions only for the conversation task (as LLaVA did), captions and boxes otherwise.</summary>
    private static ContextText LlavaContext(ImageAnnotations image, AnnotatedTask task)
    {
        string text = LlavaInstructContext.Build(image, withBoxes: task != AnnotatedTask.Conversation);
        return new ContextText(text, SvitContext.Estimate(Encoding.UTF8.GetByteCount(text)), 0, 0, false, TokensExact: false);
    }

    /// <summary>
    /// Parses an LLM answer with the counts the recipe asks for (<see cref="AnnotatedTasks.Shape"/>). A detail description
    /// becomes one conversation: <paramref name="instruction"/>, then the description.
    /// </summary>
    private ParseResult Parse(AnnotatedTask task, string text, string? instruction)
    {
        var shape = AnnotatedTasks.Shape(Recipe, task);
        switch (task)
        {
            case AnnotatedTask.DetailDescription:
                var detail = ResponseParser.ParseDetail(text);
                var conversation = new SvitConversation { Content = [new SvitTurn(SvitTurn.User, instruction!), new SvitTurn(SvitTurn.Gpt, detail.Description)] };
                return new ParseResult(detail.Usable ? [new ParsedConversation(null, conversation)] : [], detail.Problems);
            case AnnotatedTask.Conversation:
                return ResponseParser.ParseConversations(text, shape.Conversations, shape.PairsEach);
            default:
                return ResponseParser.ParseQa(text, shape.TotalPairs);
        }
    }
}
