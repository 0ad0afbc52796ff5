using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.Backends.Llm;
using VisInstruct.Config;
using VisInstruct.Engine;
using VisInstruct.Json;
using VisInstruct.Python;
using VisInstruct.Recipes;

namespace VisInstruct.Evaluation.Review;

/// <summary>What a LLaVA-Bench review compares: the questions, their context, the reference answers and the model's.</summary>
public sealed record LlavaBenchSettings
{
    /// <summary>The questions (<c>question_id</c>, <c>image</c>, <c>text</c>, <c>category</c>).</summary>
    public required string QuestionsFile { get; init; }

    /// <summary>
    /// The context per image: COCO's captions and boxes (<c>captions</c>, <c>instances</c>: LLaVA-Bench COCO) or a caption
    /// (<c>caption</c>: LLaVA-Bench in the wild).
    /// </summary>
    public required string ContextFile { get; init; }

    /// <summary>Assistant 1: the reference answers (GPT-4's, in LLaVA's files).</summary>
    public required string ReferenceFile { get; init; }

    /// <summary>Assistant 2: the model's answers.</summary>
    public required string AnswersFile { get; init; }

    /// <summary>The judge's rules (LLaVA's <c>rule.json</c>: per category a role and a prompt).</summary>
    public required string RulesFile { get; init; }

    /// <summary>The judge's temperature (LLaVA's scripts: 0.2).</summary>
    public double Temperature { get; init; } = 0.2;

    /// <summary>The most tokens a review may have (LLaVA's scripts: 1024).</summary>
    public int MaxTokens { get; init; } = 1024;
}

/// <summary>
/// LLaVA-Bench's GPT review on the engine, with whatever LLM the config's <c>llm:</c> names as the judge: per question,
/// the context (captions, and boxes for the COCO set), the question, the reference answer as Assistant 1 and the
/// model's as Assistant 2, and the category's rule, laid out as LLaVA's review scripts lay them; the review and its
/// two scores written to <c>reviews.jsonl</c> in LLaVA's review layout. The figures depend on the judge.
/// </summary>
public sealed class LlavaBenchReviewRecipe(LlavaBenchSettings settings) : IRecipe
{
    public const string ReviewsFile = "reviews.jsonl";

    /// <summary>The judge's system message, as LLaVA's review scripts send it (a fact of the protocol).</summary>
    public const string JudgeSystem = "You are a helpful and precise assistant for checking the quality of the answer.";

    /// <summary>One question to review.</summary>
    public sealed record ReviewItem(int Id, string QuestionId, JsonElement QuestionIdValue, string Category, string RuleKey,
        string Content, string Answer1Id, string Answer2Id);

    public string Name => "llava-bench-review";

    public string Description => "LLaVA-Bench answers -> a judge LLM -> reviews";

    public IReadOnlyList<RecipeOption> Options => [];

    public RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var judge = request.Backends.Llm
            ?? throw new ArgumentException("the review needs a judge: set llm: (endpoints, model) in the config");
        var items = Items();
        var stage = new ReviewStage(judge, settings);
        return new RecipePlan(new GenerationPlan
        {
            Recipe = Name,
            Fingerprint = "{\"llava_bench_review\": " + JsonInput.Quote(string.Create(CultureInfo.InvariantCulture,
                $"{request.Config.Llm?.Model} t={settings.Temperature} max={settings.MaxTokens} {Path.GetFullPath(settings.AnswersFile)}"))
                + "}",
            ResolvedConfig = ConfigJson.Resolved(request.Config, writer => writer.WriteNumber("questions", items.Count)),
            Items = () => items.Select(i => new WorkItem(string.Create(CultureInfo.InvariantCulture, $"r/{i.Id:D6}"), i)),
            Pipeline = Pipeline.Start<ReviewItem>().Then("review", judge.Name, stage.RunAsync).Build(),
            Card = Card,
            OutputModes = request.Backends.OutputModes,
        });
    }

    public string Card(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var sb = new StringBuilder("# LLaVA-Bench reviews\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{summary.Done} answers of `{settings.AnswersFile}` reviewed against ")
            .Append(CultureInfo.InvariantCulture, $"`{settings.ReferenceFile}`, {summary.Failed} failed. The scores depend on the judge ")
            .Append("model (below); LLaVA's published figures used GPT-4.\n\n");
        DatasetWriter.AppendBackends(sb, summary);
        return sb.ToString();
    }

    public string? Statistics(DatasetSummary summary) => null;

    /// <summary>The questions joined to their context and both answers (by question_id), with the judge's message built.</summary>
    private List<ReviewItem> Items()
    {
        var rules = new Dictionary<string, (string Role, string Prompt)>(StringComparer.Ordinal);
        using (var document = JsonInput.Document(settings.RulesFile))
        {
            foreach (var rule in document.RootElement.EnumerateObject())
            {
                string where = $"{settings.RulesFile}, rule {rule.Name}";
                rules[rule.Name] = (JsonInput.Required(rule.Value, "role", where).GetString() ?? "Assistant",
                    JsonInput.Required(rule.Value, "prompt", where).GetString() ?? "");
            }
        }

        var contexts = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (record, context) in JsonInput.Records(settings.ContextFile))
        {
            contexts[AnswerFile.RequiredString(record, "image", context)] = record;
        }

        var reference = AnswerFile.Read(settings.ReferenceFile).ToDictionary(a => a.QuestionId, StringComparer.Ordinal);
        var answers = AnswerFile.Read(settings.AnswersFile).ToDictionary(a => a.QuestionId, StringComparer.Ordinal);
        var items = new List<ReviewItem>();
        foreach (var (record, context) in JsonInput.Records(settings.QuestionsFile))
        {
            var (id, _) = AnswerFile.QuestionId(record, context);
            string image = AnswerFile.RequiredString(record, "image", context);
            string category = AnswerFile.RequiredString(record, "category", context);
            if (!contexts.TryGetValue(image, out var ctx))
            {
                throw context.Error("image", $"no context for {image} in {settings.ContextFile}");
            }

            bool coco = ctx.TryGetProperty("instances", out _);
            string key = coco ? category : "llava_bench_" + category;
            if (!rules.TryGetValue(key, out var rule))
            {
                throw context.Error("category", $"no rule '{key}' in {settings.RulesFile}");
            }

            if (!reference.TryGetValue(id, out var one) || !answers.TryGetValue(id, out var two))
            {
                throw context.Error("question_id", $"question {id} has no answer in "
                    + (reference.ContainsKey(id) ? settings.AnswersFile : settings.ReferenceFile));
            }

            string content = "[Context]\n" + Context(ctx, coco) + $"[Question]\n{AnswerFile.RequiredString(record, "text", context)}\n\n"
                + $"[{rule.Role} 1]\n{one.Text}\n\n[End of {rule.Role} 1]\n\n[{rule.Role} 2]\n{two.Text}\n\n[End of {rule.Role} 2]\n\n"
                + $"[System]\n{rule.Prompt}\n\n";
            items.Add(new ReviewItem(items.Count + 1, id, record.GetProperty("question_id").Clone(), category, key, content,
                one.AnswerId ?? one.QuestionId, two.AnswerId ?? two.QuestionId));
        }

        return items;
    }

    /// <summary>The context block: captions (one per line), and for COCO the boxes as <c>category: [x1, y1, x2, y2]</c>.</summary>
    private static string Context(JsonElement context, bool coco)
    {
        if (!coco)
        {
            var caption = context.GetProperty("caption");
            string text = caption.ValueKind == JsonValueKind.Array
                ? string.Join("\n", caption.EnumerateArray().Select(c => c.GetString())) : caption.GetString() ?? "";
            return text + "\n\n";
        }

        string captions = string.Join("\n", context.GetProperty("captions").EnumerateArray().Select(c => c.GetString()));
        string boxes = string.Join("\n", context.GetProperty("instances").EnumerateArray().Select(i =>
            $"{i.GetProperty("category").GetString()}: [" + string.Join(", ", i.GetProperty("bbox").EnumerateArray()
                .Select(v => PythonFloat.Repr(v.GetDouble()))) + "]"));
        return $"{captions}\n\n{boxes}\n\n";
    }

    private sealed class ReviewStage(LlmService judge, LlavaBenchSettings settings)
    {
        public async ValueTask<ItemResult> RunAsync(ReviewItem item, SampleContext context, CancellationToken cancellationToken)
        {
            var reply = await judge.CompleteAsync(context.Key, context.Gateway, new LlmRequest
            {
                Messages = [LlmMessage.System(JudgeSystem), LlmMessage.User(item.Content)],
                Temperature = settings.Temperature,
                MaxTokens = settings.MaxTokens,
                Seed = context.SeedFor("review"),
            }, cancellationToken).ConfigureAwait(false);
            var (first, second) = ReviewScores.Parse(reply.Text);
            return new ItemResult().Add(ReviewsFile, (item, reply.Text, first, second),
                static (w, r) => Write(w, r.item, r.Text, r.first, r.second)).Tag("category", item.Category);
        }

        private static void Write(PythonJsonWriter writer, ReviewItem item, string content, double first, double second)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", item.Id);
            writer.WritePropertyName("question_id");
            writer.WriteValue(item.QuestionIdValue);
            writer.WriteString("answer1_id", item.Answer1Id);
            writer.WriteString("answer2_id", item.Answer2Id);
            writer.WriteString("category", item.RuleKey);
            writer.WriteString("content", content);
            writer.WritePropertyName("tuple");
            writer.WriteStartArray();
            writer.WriteNumberValue(first);
            writer.WriteNumberValue(second);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }
}
