using System.Globalization;
using VisInstruct.Annotations;
using VisInstruct.Backends.Llm;
using VisInstruct.Conversion;
using VisInstruct.Engine;
using VisInstruct.Formats;
using VisInstruct.Imaging;
using VisInstruct.Text;

namespace VisInstruct.Recipes.Annotated;

/// <summary>One work item: a task for an image.</summary>
public sealed record AnnotatedItem(long ImageId, AnnotatedTask Task);

/// <summary>An item with its image's annotations and, for the LLM, the context text.</summary>
public sealed record TaskInput(AnnotatedItem Item, ImageAnnotations Image, ContextText? Context);

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

    public int ContextTokens { get; init; }

    public double GroundingIou { get; init; }

    private bool Svit => Recipe == AnnotatedRecipe.SvitName;

    /// <summary>Loads the image's annotations (only its records) and, for the LLM, builds the task's context.</summary>
    public ValueTask<TaskInput> ContextAsync(AnnotatedItem item, SampleContext context, CancellationToken cancellationToken)
    {
        var image = Annotations.Load(item.ImageId);
        ContextText? text = null;
        if (Llm is not null)
        {
            text = Svit
                ? SvitContext.Build(image, ContextTokens > 0 ? ContextTokens : null)
                : LlavaContext(image, item.Task);
        }

        return ValueTask.FromResult(new TaskInput(item, image, text));
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

        var messages = Prompts.BuildMessages(task, input.Context!.Text).Select(m => new LlmMessage(m.Role, m.Content)).ToList();
        var reply = await Llm.CompleteAsync(context.Key, context.Gateway, new LlmRequest { Messages = messages, Seed = context.SeedFor("write") }, cancellationToken).ConfigureAwait(false);
        var parsed = Parse(task, reply.Text);
        if (parsed.NeedsRepair)
        {
            counters["repair_requests"] = 1;
            var repair = new List<LlmMessage>(messages) { LlmMessage.Assistant(reply.Text), LlmMessage.User(ResponseParser.RepairRequest(parsed.Problems)) };
            var second = await Llm.CompleteAsync(context.Key, context.Gateway, new LlmRequest { Messages = repair, Seed = context.SeedFor("repair") }, cancellationToken).ConfigureAwait(false);
            var reparsed = Parse(task, second.Text);
            if (reparsed.Pairs > parsed.Pairs || (reparsed.Pairs == parsed.Pairs && reparsed.Problems.Count(p => p.Repairable) <= parsed.Problems.Count(p => p.Repairable)))
            {
                parsed = reparsed;
                reply = second;
            }

            if (parsed.NeedsRepair && parsed.Pairs > 0)
            {
                counters["kept_with_problems"] = 1;
            }
        }

        if (parsed.Pairs == 0)
        {
            throw new SampleFailedException("unparsable", $"the answer for {task.FileName()} has no usable question-answer pair after one repair: {string.Join("; ", parsed.Problems.Select(p => p.Message))}", reply.Text);
        }

        var written = parsed.Conversations;
        if (task == AnnotatedTask.DetailDescription)
        {
            string instruction = new DeterministicRandom(context.SeedFor("detail-question")).Pick(DetailQuestions);
            written = [new SvitConversation { Content = [new SvitTurn(SvitTurn.User, instruction), written[0].Content[^1]] }];
        }

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
        if (Svit)
        {
            var sample = new SvitSample { ImageId = image.ImageId, Conversations = written.Conversations };
            result.Add($"svit/{taskName}.json", sample, FormatWriter.Write);
            result.Add("svit/svit.json", sample, FormatWriter.Write);
            var rng = new DeterministicRandom(context.SeedFor("llava"));
            var tally = new BoxTally();
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
                var turns = LlavaTurns(written.Conversations[i]);
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
        if (input.Context is { } text)
        {
            result.Count("context_tokens", text.Tokens);
            if (text.Cut)
            {
                result.Count("context_cut", 1).Count("objects_cut", text.ObjectsCut).Count("regions_cut", text.RegionsCut);
            }
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

    /// <summary>The task (by name order, as the items are keyed) whose items count each image once in the totals.</summary>
    public required string FirstTask { get; init; }

    /// <summary>User/gpt turns as LLaVA human/gpt turns, with <c>&lt;image&gt;</c> before the first question.</summary>
    private static List<LlavaTurn> LlavaTurns(SvitConversation conversation)
    {
        var turns = new List<LlavaTurn>(conversation.Content.Count);
        foreach (var turn in conversation.Content)
        {
            bool human = turn.From == SvitTurn.User;
            string value = human && turns.Count == 0 && !turn.Value.Contains(StableLlavaLayout.ImageToken, StringComparison.Ordinal)
                ? StableLlavaLayout.ImageToken + "\n" + turn.Value
                : turn.Value;
            turns.Add(new LlavaTurn(human ? LlavaTurn.Human : LlavaTurn.Gpt, value));
        }

        return turns;
    }

    /// <summary>The LLaVA-Instruct context: captions only for the conversation task (as LLaVA did), captions and boxes otherwise.</summary>
    private static ContextText LlavaContext(ImageAnnotations image, AnnotatedTask task)
    {
        string text = LlavaInstructContext.Build(image, withBoxes: task != AnnotatedTask.Conversation);
        return new ContextText(text, LocalTokenCounter.Count(text), 0, 0, false);
    }

    /// <summary>An LLM answer parsed for a task: its conversations (one per pair for the single-pair tasks) and its problems.</summary>
    private sealed record ParsedAnswer(IReadOnlyList<SvitConversation> Conversations, IReadOnlyList<ParseProblem> Problems)
    {
        public int Pairs => Conversations.Sum(c => c.Content.Count / 2);

        public bool NeedsRepair => Problems.Any(p => p.Repairable);
    }

    /// <summary>Parses an LLM answer with the counts the recipe asks for (<see cref="AnnotatedTasks.Shape"/>).</summary>
    private ParsedAnswer Parse(AnnotatedTask task, string text)
    {
        var shape = AnnotatedTasks.Shape(Recipe, task);
        switch (task)
        {
            case AnnotatedTask.DetailDescription:
                var detail = ResponseParser.ParseDetail(text);
                return new ParsedAnswer(detail.Usable ? [new SvitConversation { Content = [new SvitTurn(SvitTurn.User, ""), new SvitTurn(SvitTurn.Gpt, detail.Description)] }] : [], detail.Problems);
            case AnnotatedTask.Conversation:
                var conversations = ResponseParser.ParseConversations(text, shape.Conversations, shape.PairsEach);
                return new ParsedAnswer(conversations.Conversations.Select(c => c.Conversation).Where(c => c.Content.Count > 0).ToList(), conversations.Problems);
            default:
                var pairs = ResponseParser.ParseQa(text, shape.TotalPairs);
                return new ParsedAnswer(pairs.Pairs, pairs.Problems);
        }
    }
}
