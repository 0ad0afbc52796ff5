using System.CommandLine;
using System.Globalization;
using VisInstruct.Evaluation;
using VisInstruct.Evaluation.Answering;
using VisInstruct.Evaluation.Review;
using VisInstruct.Evaluation.Scoring;
using VisInstruct.Recipes;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct eval</c>: score a model's answers to a benchmark as the benchmark's own tools do.</summary>
internal static class EvalCommand
{
    public static Command Create(CliConsole console)
    {
        var eval = new Command("eval", "Evaluate a trained model: score its answers to benchmarks as the official tools do");
        var score = new Command("score", "Score a LLaVA answer file (model_vqa's JSONL) against a benchmark's ground truth");
        foreach (var benchmark in ScoreCommands.All(console))
        {
            score.Add(benchmark);
        }

        score.Add(LlavaBench(console));
        eval.Add(Answer(console));
        eval.Add(score);
        eval.Add(EvalSubmitCommand.Create(console));
        eval.Add(MakeBenchmark(console));
        return eval;
    }

    /// <summary><c>eval make-benchmark</c>: StableLLaVA's per-ability test set from the procedural world.</summary>
    private static Command MakeBenchmark(CliConsole console)
    {
        var output = new Option<string>("--out") { Description = "The benchmark folder (questions.jsonl, answers_gt.jsonl, images/)",
            Required = true };
        var count = new Option<int>("--count") { Description = "Questions per ability (default 50)", DefaultValueFactory = _ => 50 };
        var seed = new Option<ulong>("--seed") { Description = "The benchmark's seed (its own seed space)", DefaultValueFactory = _ => 0 };
        var exclude = new Option<string?>("--exclude-dataset")
        {
            Description = "A training run's folder: no question's scene prompt is an exact or near duplicate of one of its prompts",
        };
        var abilities = new Option<string?>("--abilities") { Description = "Comma-separated abilities (default: every procedural one)" };
        var command = new Command("make-benchmark", "Build StableLLaVA's per-ability benchmark: closed-form questions, exact answers")
        {
            output, count, seed, exclude, abilities,
        };
        command.SetAction((result, cancellationToken) =>
        {
            int n = result.GetValue(count);
            if (n is < 1 or > 100_000)
            {
                throw new UsageException("--count must be between 1 and 100000 questions per ability");
            }

            string dir = result.GetRequiredValue(output);
            if (File.Exists(dir))
            {
                throw new UsageException($"--out {dir} is a file; give a folder for the benchmark");
            }

            var report = Evaluation.Abilities.AbilityBenchmark.Make(dir, n, result.GetValue(seed), result.GetValue(exclude),
                result.GetValue(abilities)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{report.Questions.Count} questions in {Path.GetFullPath(dir)}; {report.Excluded} drawn scenes left out as ")
                + "duplicates of the excluded dataset's prompts");
            foreach (string shortOne in report.Short)
            {
                console.Error.WriteLine("note: fewer closed-form questions than asked for " + shortOne);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>
    /// <c>eval score llava-bench</c>: LLaVA-Bench's GPT review with the config's <c>llm:</c> as the judge, on the engine
    /// (resumable and cached like generate), then LLaVA's summary.
    /// </summary>
    private static Command LlavaBench(CliConsole console)
    {
        Option<string> Required(string name, string description, params string[] aliases) =>
            new(name, aliases) { Description = description, Required = true };
        var questions = Required("--questions", "The questions (qa90_questions.jsonl, or LLaVA-Bench in the wild's questions.jsonl)",
            "--question");
        var context = Required("--context", "The context per image: caps_boxes_coco2014_val_80.jsonl or context.jsonl");
        var reference = Required("--reference", "The reference answers, assistant 1 (qa90_gpt4_answer.jsonl)");
        var answers = Required("--answers", "The model's answers, assistant 2 (LLaVA's answer JSONL)", "--answers-file");
        var rules = Required("--rules", "The judge's rules: LLaVA's rule.json (per category a role and a prompt)", "--rule");
        var output = new Option<string?>("--out") { Description = "A results folder: llava-bench.json, .md and summary.md" };
        var json = new Option<string?>("--json") { Description = "Write the scores as JSON to this file" };
        var runDir = new Option<string?>("--run-dir")
        {
            Description = "The review run's folder (state, reviews.jsonl); default <answers>.review",
        };
        var run = new RunOptions();
        var command = new Command("llava-bench", "LLaVA-Bench: the GPT-review protocol with the configured LLM as judge; relative scores")
        {
            questions, context, reference, answers, rules, output, json, runDir,
        };
        run.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            string answersFile = result.GetRequiredValue(answers);
            string outDir = result.GetValue(runDir) ?? answersFile + ".review";
            var recipe = new LlavaBenchReviewRecipe(new LlavaBenchSettings
            {
                QuestionsFile = result.GetRequiredValue(questions), ContextFile = result.GetRequiredValue(context),
                ReferenceFile = result.GetRequiredValue(reference), AnswersFile = answersFile, RulesFile = result.GetRequiredValue(rules),
            });
            var (code, config, _) = await RunExecution.PlanAndRunAsync(console, result, run, recipe, outDir,
                RecipeArguments.Empty, cancellationToken).ConfigureAwait(false);
            string reviews = Path.Combine(outDir, LlavaBenchReviewRecipe.ReviewsFile);
            if (File.Exists(reviews))
            {
                var score = LlavaBenchScore.FromReviews(reviews, config.Llm?.Model ?? "the configured judge");
                ScoreCommands.Report(console, score, answersFile, config.Vision?.Model, result.GetValue(json), result.GetValue(output));
            }

            return code;
        });
        return command;
    }

    /// <summary>
    /// <c>eval answer</c>: every question of a benchmark file asked of the configured vision endpoint, on the engine
    /// (resumable, cached, shardable, accounted), written as LLaVA's answer file.
    /// </summary>
    private static Command Answer(CliConsole console)
    {
        var questions = new Option<string>("--questions", "--question-file", "--question_file")
        {
            Description = "The benchmark's questions: LLaVA's eval JSONL (question_id, image, text), ScienceQA's LLaVA JSON, or "
                + "MMBench's TSV",
            Required = true,
        };
        var images = new Option<string>("--image-folder", "--image_folder")
        {
            Description = "The folder the questions' image paths are relative to", DefaultValueFactory = _ => ".",
        };
        var answers = new Option<string>("--answers", "--answers-file", "--answers_file")
        {
            Description = "The answer file to write (LLaVA's layout, JSONL)", Required = true,
        };
        var output = new Option<string?>("--out") { Description = "The run folder (state, card, failures); default <answers>.run" };
        var singlePred = new Option<bool>("--single-pred-prompt")
        {
            Description = "Append LLaVA's \"Answer with the option's letter from the given choices directly.\" (ScienceQA, MMBench)",
        };
        var allRounds = new Option<bool>("--all-rounds")
        {
            Description = "MMBench: ask every rotation of the options (circular evaluation)",
        };
        var blind = new Option<bool>("--blind") { Description = "Send the questions without their images (what text alone answers)" };
        var maxTokens = new Option<int?>("--max-tokens", "--max_new_tokens")
        {
            Description = "The most tokens per answer (LLaVA's loader: 128)",
        };
        var temperature = new Option<double>("--temperature")
        {
            Description = "Sampling temperature (default 0, as the benchmark scripts)",
        };
        var run = new RunOptions();
        var command = new Command("answer", "Ask a served vision model a benchmark's questions; write LLaVA's answer file")
        {
            questions, images, answers, output, singlePred, allRounds, blind, maxTokens, temperature,
        };
        run.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            string answersFile = result.GetRequiredValue(answers);
            PathChecks.OutputFile(answersFile, "--answers");
            PathChecks.InputFolder(result.GetValue(images), "--image-folder");
            string outDir = result.GetValue(output) ?? answersFile + ".run";
            if (result.GetValue(maxTokens) is < 1)
            {
                throw new UsageException("--max-tokens must be 1 or more");
            }

            var recipe = new EvalAnswerRecipe(new EvalAnswerSettings
            {
                QuestionsFile = result.GetRequiredValue(questions),
                ImageFolder = result.GetValue(images) ?? ".",
                Questions = new QuestionOptions
                {
                    SinglePredictionPrompt = result.GetValue(singlePred), AllRounds = result.GetValue(allRounds),
                    Blind = result.GetValue(blind),
                },
                Temperature = result.GetValue(temperature),
                MaxTokens = result.GetValue(maxTokens),
            });
            var (code, _, sharded) = await RunExecution.PlanAndRunAsync(console, result, run, recipe, outDir,
                RecipeArguments.Empty, cancellationToken).ConfigureAwait(false);
            string written = Path.Combine(outDir, EvalAnswerRecipe.AnswersFile);
            if (sharded)
            {
                console.Out.WriteLine($"this shard's answers: {Path.GetFullPath(written)} (merge the shards' run folders with merge)");
            }
            else if (File.Exists(written))
            {
                string temp = answersFile + ".tmp";
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(answersFile))!);
                File.Copy(written, temp, overwrite: true);
                File.Move(temp, answersFile, overwrite: true);
                console.Out.WriteLine($"answers: {Path.GetFullPath(answersFile)}");
            }

            return code;
        });
        return command;
    }
}

/// <summary>One subcommand of <c>eval score</c> per benchmark, sharing the answers, output and report options.</summary>
internal static class ScoreCommands
{
    public static IEnumerable<Command> All(CliConsole console)
    {
        yield return Benchmark(console, "mme", "MME: acc, acc+ and score per subtask; Perception and Cognition totals", (r, o, a) =>
        {
            var truth = MmeGroundTruth.Load(r.GetRequiredValue(o.Path("--ground-truth")));
            var score = MmeScorer.Score(a, truth);
            if (r.GetValue(o.Optional("--mme-answers-dir")) is { } dir)
            {
                score.WriteAnswerFiles(dir);
            }

            return score;
        }, ("--ground-truth", "MME_Benchmark_release_version (<category>/...) or the eval tool's Your_Results folder", true),
            ("--mme-answers-dir", "Also write MME's eval_tool answer files (<category>.txt) here, for calculation.py", false));

        yield return Benchmark(console, "pope", "POPE: accuracy, precision, recall, F1 and yes ratio per split", (r, o, a) =>
        {
            var answers = a;
            if (r.GetValue(o.Optional("--labels")) is { } labels)
            {
                return PopeScorer.Score(answers, labels);
            }

            string questions = r.GetValue(o.Optional("--questions"))
                ?? throw new UsageException("give --questions (llava_pope_test.jsonl) with --annotation-dir, or one split's --labels");
            string dir = r.GetValue(o.Optional("--annotation-dir"))
                ?? throw new UsageException("give --annotation-dir (the folder of coco_pope_<split>.json) with --questions");
            return PopeScorer.Score(answers, questions, dir);
        }, ("--questions", "LLaVA's POPE question file (its category is the split)", false),
            ("--annotation-dir", "The folder of coco_pope_<split>.json label files", false),
            ("--labels", "One split's coco_pope_<split>.json, joined by question_id (instead of the two above)", false));

        yield return Benchmark(console, "scienceqa", "ScienceQA: accuracy, and on the questions with an image (IMG)", (r, o, a) =>
            ScienceQaScorer.Score(a, r.GetRequiredValue(o.Path("--base-dir")),
                r.GetValue(o.Optional("--split")) ?? "test"),
            ("--base-dir", "The folder with ScienceQA's problems.json and pid_splits.json", true),
            ("--split", "The split to score (default test)", false));

        yield return Benchmark(console, "seed", "SEED-Bench: option-letter accuracy per dimension", (r, o, a) =>
        {
            var answers = a;
            if (r.GetValue(o.Optional("--submission")) is { } submission)
            {
                SeedScorer.WriteSubmission(answers, submission);
            }

            return SeedScorer.Score(answers, r.GetRequiredValue(o.Path("--annotation-file")), r.GetValue(o.Optional("--data-type")));
        }, ("--annotation-file", "SEED-Bench.json", true), ("--data-type", "Score only image (or video) questions", false),
            ("--submission", "Also write the submission file (question_id, prediction per line) here", false));

        foreach (var (name, rule, what) in new[]
        {
            ("vqav2", VqaRule.Official, "VQAv2 (a split with annotations)"),
            ("vizwiz", VqaRule.Official, "VizWiz (a split with annotations)"),
            ("textvqa", VqaRule.EvalAi, "TextVQA, as LLaVA's eval_textvqa.py"),
        })
        {
            yield return Benchmark(console, name, what + ": VQA accuracy against ten human answers", (r, o, a) =>
                VqaScorer.Score(a, r.GetRequiredValue(o.Path("--annotation-file")),
                    r.GetValue(o.Optional("--rule")) switch
                    {
                        null => rule,
                        "official" => VqaRule.Official,
                        "evalai" => VqaRule.EvalAi,
                        var other => throw new UsageException($"--rule {other}: expected official or evalai"),
                    }, name),
                ("--annotation-file", "The annotations (VQAv2 {annotations}, TextVQA {data}, or VizWiz's list)", true),
                ("--rule", "Answer normalisation: official (the VQA evaluation) or evalai (EvalAI's processor)", false));
        }

        yield return Benchmark(console, "gqa", "GQA: exact-match accuracy", (r, o, a) =>
            GqaScorer.Score(a, r.GetRequiredValue(o.Path("--questions"))),
            ("--questions", "GQA's questions file with answers (testdev_balanced_questions.json)", true));

        yield return Benchmark(console, "ability", "StableLLaVA's per-ability benchmark (eval make-benchmark): share correct per ability",
            (r, o, a) => Evaluation.Abilities.AbilityScorer.Score(a, r.GetRequiredValue(o.Path("--benchmark"))),
            ("--benchmark", "The folder eval make-benchmark wrote (answers_gt.jsonl)", true));

        yield return Benchmark(console, "mmbench", "MMBench: circular accuracy per category (options read by rule)", (r, o, a) =>
            MmBenchScorer.Score(a, MmBenchFile.Read(r.GetRequiredValue(o.Path("--questions")))),
            ("--questions", "MMBench's TSV (mmbench_dev_*.tsv)", true));
    }

    /// <summary>The options a benchmark's command has, by name.</summary>
    private sealed class ScoreOptions
    {
        public required Option<string> Answers { get; init; }

        public Dictionary<string, Option<string>> Required { get; } = [];

        public Dictionary<string, Option<string?>> Optionals { get; } = [];

        public Option<string> Path(string name) => Required[name];

        public Option<string?> Optional(string name) => Optionals[name];
    }

    private static Command Benchmark(CliConsole console, string name, string description,
        Func<ParseResult, ScoreOptions, IReadOnlyList<ModelAnswer>, BenchmarkScore> score,
        params (string Name, string Description, bool Required)[] extra)
    {
        var answers = new Option<string>("--answers", "--answers-file", "--result-file")
        {
            Description = "The model's answers: LLaVA's answer JSONL (question_id, prompt, text, ...)", Required = true,
        };
        var json = new Option<string?>("--json") { Description = "Write the scores as JSON to this file" };
        var output = new Option<string?>("--out") { Description = "A results folder: <benchmark>.json, <benchmark>.md and summary.md" };
        var options = new ScoreOptions { Answers = answers };
        var command = new Command(name, description) { answers };
        foreach (var (option, text, required) in extra)
        {
            if (required)
            {
                var o = new Option<string>(option) { Description = text, Required = true };
                options.Required[option] = o;
                command.Add(o);
            }
            else
            {
                var o = new Option<string?>(option) { Description = text };
                options.Optionals[option] = o;
                command.Add(o);
            }
        }

        command.Add(json);
        command.Add(output);
        command.SetAction((result, cancellationToken) =>
        {
            string answersFile = result.GetRequiredValue(answers);
            var read = AnswerFile.Read(answersFile);
            var scored = score(result, options, read);
            string? model = read.Select(a => a.ModelId).FirstOrDefault(m => m is not null);
            Report(console, scored, answersFile, model, result.GetValue(json), result.GetValue(output));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>Prints a score's table, its notes and unjoined answers, and writes its JSON and results folder when asked.</summary>
    public static void Report(CliConsole console, BenchmarkScore scored, string answersFile, string? model, string? jsonFile,
        string? folder)
    {
        console.Out.Write(scored.Markdown());
        foreach (string note in scored.Notes)
        {
            console.Error.WriteLine("note: " + note);
        }

        if (scored.Unjoined.Count > 0)
        {
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: {scored.Unjoined.Count} answers have no ground truth and are not scored:"));
            foreach (string item in scored.Unjoined.Take(10))
            {
                console.Error.WriteLine("  " + answersFile + ": " + item);
            }

            if (scored.Unjoined.Count > 10)
            {
                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ... and {scored.Unjoined.Count - 10} more"));
            }
        }

        if (jsonFile is not null)
        {
            PathChecks.OutputFile(jsonFile, "--json");
            string temp = jsonFile + ".tmp";
            File.WriteAllBytes(temp, ResultsFolder.Json(scored, answersFile, model));
            File.Move(temp, jsonFile, overwrite: true);
        }

        if (folder is not null)
        {
            ResultsFolder.Write(folder, scored, answersFile, model);
        }
    }
}
