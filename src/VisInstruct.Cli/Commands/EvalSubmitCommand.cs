using System.CommandLine;
using System.Globalization;
using VisInstruct.Evaluation;
using VisInstruct.Evaluation.Scoring;
using VisInstruct.Evaluation.Submission;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct eval submit</c>: the files the benchmarks' servers take for their test splits.</summary>
internal static class EvalSubmitCommand
{
    /// <summary><c>eval submit</c>: the upload files of the test splits whose ground truth is on the benchmark's server.</summary>
    public static Command Create(CliConsole console)
    {
        var submit = new Command("submit", "Write the file a benchmark's evaluation server takes for its test split");
        foreach (var (name, what, questionsHelp) in new[]
        {
            ("vqav2", "VQAv2 test-dev/test: [{question_id, answer}] for every question", "the test split's question file "
                + "(llava_vqav2_mscoco_test2015.jsonl)"),
            ("vizwiz", "VizWiz test: [{image, answer}], every question answered", "the test split's question file (llava_test.jsonl)"),
            ("mmbench", "MMBench test: an xlsx of the questions with a prediction column", "the test split's TSV"),
            ("seed", "SEED-Bench: one {question_id, prediction} line per answer", "(not needed)"),
        })
        {
            var answers = new Option<string>("--answers", "--result-file") { Description = "The model's answers (LLaVA's answer JSONL)",
                Required = true };
            var questions = new Option<string?>("--questions", "--annotation-file") { Description = questionsHelp };
            var output = new Option<string>("--out", "--result-upload-file") { Description = "The file to write", Required = true };
            var command = new Command(name, what) { answers, questions, output };
            command.SetAction((result, cancellationToken) =>
            {
                var read = AnswerFile.Read(result.GetRequiredValue(answers));
                string file = result.GetRequiredValue(output);
                PathChecks.OutputFile(file, "--out");
                string Questions() => result.GetValue(questions) ?? throw new UsageException($"eval submit {name} needs --questions");
                int missing = name switch
                {
                    "vqav2" => Submissions.VqaV2(read, Questions(), file),
                    "vizwiz" => Submissions.VizWiz(read, Questions(), file),
                    "mmbench" => Submissions.MmBench(read, Questions(), file),
                    _ => Seed(read, file),
                };
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {file}; {missing} questions without an answer"));
                return Task.FromResult(ExitCodes.Success);
            });
            submit.Add(command);
        }

        return submit;

        static int Seed(IReadOnlyList<ModelAnswer> answers, string file)
        {
            SeedScorer.WriteSubmission(answers, file);
            return 0;
        }
    }

}
