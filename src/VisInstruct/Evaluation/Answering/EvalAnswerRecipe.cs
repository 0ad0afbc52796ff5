using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VisInstruct.Backends.Llm;
using VisInstruct.Config;
using VisInstruct.Engine;
using VisInstruct.Json;
using VisInstruct.Recipes;

namespace VisInstruct.Evaluation.Answering;

/// <summary>What <c>eval answer</c> was asked: the question file, where its images are, and how to put the questions.</summary>
public sealed record EvalAnswerSettings
{
    public required string QuestionsFile { get; init; }

    /// <summary>The folder the questions' <c>image</c> paths are relative to.</summary>
    public string ImageFolder { get; init; } = ".";

    public QuestionOptions Questions { get; init; } = new();

    /// <summary>Sampling temperature: 0 (greedy), as the benchmark scripts run.</summary>
    public double Temperature { get; init; }

    /// <summary>The most tokens an answer may have (LLaVA's loader uses 128); null: the config's, or the server's.</summary>
    public int? MaxTokens { get; init; }
}

/// <summary>
/// <c>eval answer</c> as a recipe on the engine: one item per question (per round for MMBench's rotations), one stage
/// that asks the configured vision endpoint, and <c>answers.jsonl</c> in LLaVA's answer layout, in the question file's
/// order. The engine makes it resumable (a rerun sends only what is missing), cached, shardable, and accounted.
/// </summary>
public sealed class EvalAnswerRecipe(EvalAnswerSettings settings) : IRecipe
{
    public const string AnswersFile = "answers.jsonl";

    /// <summary>Where MMBench's images are decoded to, inside the run folder.</summary>
    public const string ImageCacheFolder = "images";

    public string Name => "eval-answer";

    public string Description => "benchmark questions -> a served vision model -> LLaVA answer file";

    public IReadOnlyList<RecipeOption> Options => [];

    public RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var vision = request.Backends.Vision
            ?? throw new ArgumentException("eval answer needs a vision endpoint: set vision: (endpoints, model) in the config");
        var options = settings.Questions with { ImageCache = Path.Combine(request.OutputDirectory, ImageCacheFolder) };
        var questions = QuestionFile.Read(settings.QuestionsFile, options);
        CheckImages(questions);
        var stage = new AnswerStage(vision, settings, request.Seed, Resolve);
        return new RecipePlan(new GenerationPlan
        {
            Recipe = Name,
            Fingerprint = Fingerprint(request.Config, request.Seed),
            ResolvedConfig = ConfigJson.Resolved(request.Config, writer =>
            {
                writer.WriteString("questions", settings.QuestionsFile);
                writer.WriteNumber("count", questions.Count);
            }),
            Items = () => questions.Select((q, i) => new WorkItem(string.Create(CultureInfo.InvariantCulture, $"q/{i:D8}"), q)),
            Pipeline = Pipeline.Start<BenchmarkQuestion>().Then("answer", vision.Name, stage.RunAsync).Build(),
            Card = Card,
            ReproduceCommand = $"visinstruct eval answer --questions {settings.QuestionsFile} --image-folder {settings.ImageFolder}"
                + " --answers FILE" + (settings.Questions.SinglePredictionPrompt ? " --single-pred-prompt" : "")
                + (settings.Questions.AllRounds ? " --all-rounds" : "") + (settings.Questions.Blind ? " --blind" : "")
                + (request.ConfigFile is null ? "" : " --config " + request.ConfigFile),
            OutputModes = request.Backends.OutputModes,
        });
    }

    public string Card(DatasetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var sb = new StringBuilder("# Benchmark answers\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{summary.Done} questions of `{settings.QuestionsFile}` answered, ")
            .Append(CultureInfo.InvariantCulture, $"{summary.Failed} failed ")
            .Append(CultureInfo.InvariantCulture, $"(see `failures.jsonl`); made by {ToolInfo.Name} {ToolInfo.Version}.\n\n")
            .Append(CultureInfo.InvariantCulture, $"- `{AnswersFile}`: LLaVA's answer layout (question_id, prompt, text, answer_id, ")
            .Append("model_id, metadata), in the question file's order; `visinstruct eval score <benchmark>` reads it\n")
            .Append(CultureInfo.InvariantCulture, $"- temperature {settings.Temperature}, max tokens ")
            .Append(settings.MaxTokens?.ToString(CultureInfo.InvariantCulture) ?? "as configured")
            .Append(settings.Questions.Blind ? ", **blind** (no image sent)" : "")
            .Append(settings.Questions.SinglePredictionPrompt ? ", with the option-letter instruction" : "").Append("\n\n");
        DatasetWriter.AppendBackends(sb, summary);
        DatasetWriter.AppendReproduce(sb, summary);
        return sb.ToString();
    }

    public string? Statistics(DatasetSummary summary) => null;

    private void CheckImages(IReadOnlyList<BenchmarkQuestion> questions)
    {
        var missing = questions.SelectMany(q => q.Images).Where(i => !File.Exists(Resolve(i))).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(missing.Count.ToString(CultureInfo.InvariantCulture)
                + $" images of {settings.QuestionsFile} are not under --image-folder {settings.ImageFolder}, e.g. "
                + string.Join(", ", missing.Take(3)));
        }
    }

    /// <summary>An image path of the question file, resolved against the image folder.</summary>
    private string Resolve(string image) => Path.IsPathRooted(image) ? image : Path.Combine(settings.ImageFolder, image);

    private string Fingerprint(RunConfig config, ulong seed)
    {
        var vision = config.Vision;
        var q = settings.Questions;
        string text = string.Create(CultureInfo.InvariantCulture,
            $"seed={seed}|questions={Path.GetFullPath(settings.QuestionsFile)}|model={vision?.Model}|t={settings.Temperature}|")
            + string.Create(CultureInfo.InvariantCulture,
                $"max={settings.MaxTokens ?? vision?.MaxTokens}|single={q.SinglePredictionPrompt}|rounds={q.AllRounds}|blind={q.Blind}");
        return "{\"eval_answer\": \"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16] + "\", "
            + "\"settings\": " + JsonInput.Quote(text) + "}";
    }

    /// <summary>The one stage: ask the vision model, record the answer.</summary>
    private sealed class AnswerStage(LlmService vision, EvalAnswerSettings settings, ulong runSeed, Func<string, string> resolve)
    {
        public async ValueTask<ItemResult> RunAsync(BenchmarkQuestion question, SampleContext context, CancellationToken cancellationToken)
        {
            var images = question.Images.Select(resolve).ToList();
            // LLaVA's scripts strip the output; the answer is what the model said, reasoning blocks already removed.
            var reply = await vision.CompleteAsync(context.Key, context.Gateway, new LlmRequest
            {
                Messages = [LlmMessage.User(question.Text, images.Count == 0 ? null : images)],
                Temperature = settings.Temperature,
                MaxTokens = settings.MaxTokens,
                Seed = context.SeedFor("answer"),
            }, cancellationToken).ConfigureAwait(false);
            string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"{runSeed}/{context.Key}"))))[..22];
            var record = (question, Text: reply.Text.Trim(), AnswerId: id, vision.Model);
            return new ItemResult().Add(AnswersFile, record, static (w, r) => Write(w, r.question, r.Text, r.AnswerId, r.Model))
                .Count("answers", 1);
        }

        private static void Write(PythonJsonWriter writer, BenchmarkQuestion question, string text, string answerId, string model)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("question_id");
            if (question.IdIsNumber && long.TryParse(question.Id, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
            {
                writer.WriteNumberValue(n);
            }
            else
            {
                writer.WriteStringValue(question.Id);
            }

            if (question.Round is { } round)
            {
                writer.WriteNumber("round_id", round);
            }

            writer.WriteString("prompt", question.RecordedPrompt);
            writer.WriteString("text", text);
            if (question.Options is { } options)
            {
                writer.WritePropertyName("options");
                writer.WriteStartArray();
                foreach (string option in options)
                {
                    writer.WriteStringValue(option);
                }

                writer.WriteEndArray();
                writer.WritePropertyName("option_char");
                writer.WriteStartArray();
                foreach (string letter in question.OptionChars ?? [])
                {
                    writer.WriteStringValue(letter);
                }

                writer.WriteEndArray();
            }

            writer.WriteString("answer_id", answerId);
            writer.WriteString("model_id", model);
            writer.WritePropertyName("metadata");
            writer.WriteStartObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }
}
