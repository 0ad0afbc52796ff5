using System.CommandLine;
using System.Globalization;
using VisInstruct.Json;
using VisInstruct.Lint;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct lint</c>: find what would crash LLaVA training before it starts.</summary>
internal static class LintCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "A LLaVA training file (JSON array or JSONL)" };
        var imageFolder = new Option<string?>("--image-folder",
            "--image_folder") { Description = "Check that every image exists here and is readable (LLaVA's --image_folder)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var plain = new Option<bool>("--plain") { Description = "Pretraining mode (preprocess_plain): exactly two turns, <image> in the " +
            "first" };
        var trainer = new Option<string>("--trainer")
        {
            Description = "The trainer the file is for: llava-1.5 (one image path per sample) or onevision "
                + "(LLaVA-NeXT-Interleave / OneVision: a list of paths, one <image> per image)",
            DefaultValueFactory = _ => "llava-1.5",
        };
        trainer.AcceptOnlyFromAmong("llava-1.5", "onevision");
        var maxFindings = new Option<int>("--max-findings")
        {
            Description = "Show at most this many findings of each check (all are counted); 0 shows all",
            DefaultValueFactory = _ => 100,
        };
        var command = new Command("lint", "Check a LLaVA training file for what LLaVA's train.py would crash on or silently mistrain")
        {
            file, imageFolder, json, plain, trainer, maxFindings,
        };
        command.SetAction((result, cancellationToken) =>
        {
            bool asJson = result.GetValue(json);
            int max = result.GetValue(maxFindings);
            if (max < 0)
            {
                throw new UsageException("--max-findings must be 0 or more");
            }

            var options = new LintOptions { ImageFolder = result.GetValue(imageFolder), Plain = result.GetValue(plain),
                MaxFindingsPerCheck = max,
                Trainer = result.GetValue(trainer) == "onevision" ? LintTrainer.OneVision : LintTrainer.Llava15 };
            string path = result.GetRequiredValue(file);
            if (options.ImageFolder is { } folder && !Directory.Exists(folder))
            {
                throw new UsageException($"--image-folder {folder}: no such folder");
            }

            var report = LlavaLinter.Lint(path, options, asJson ? null : f => console.Out.WriteLine(Format(path, f)), cancellationToken);
            if (asJson)
            {
                WriteJson(console.Out, report);
            }
            else
            {
                if (report.Truncated)
                {
                    long hidden = report.CountsByCheck.Values.Sum() - report.Findings.Count;
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"... {hidden} more findings not shown " +
                            $"({string.Join(", ", report.CountsByCheck.Select(c => $"{c.Key}: {c.Value}"))}); --max-findings 0 shows all"));
                }

                console.Out.WriteLine(report.Summary);
            }

            return Task.FromResult(report.Errors > 0 ? ExitCodes.Failures : ExitCodes.Success);
        });
        return command;
    }

    /// <summary><c>file:line:col: error [check] sample 3 (id "x"), field conversations[1].from: message</c>.</summary>
    internal static string Format(string file, LintFinding finding)
    {
        var where = new List<string>();
        if (finding.SampleIndex is { } index)
        {
            where.Add(finding.SampleId is null
                ? string.Create(CultureInfo.InvariantCulture, $"sample {index}")
                : string.Create(CultureInfo.InvariantCulture, $"sample {index} (id \"{finding.SampleId}\")"));
        }

        if (finding.Field is not null)
        {
            where.Add("field " + finding.Field);
        }

        string position = finding.Position is { } p ? string.Create(CultureInfo.InvariantCulture, $":{p.Line}:{p.Column}") : "";
        string severity = finding.Severity == LintSeverity.Error ? "error" : "warning";
        string location = where.Count > 0 ? string.Join(", ", where) + ": " : "";
        return $"{file}{position}: {severity} [{finding.Check}] {location}{finding.Message}";
    }

    private static void WriteJson(TextWriter output, LintReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Indented(2), leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("file", report.File);
            writer.WriteString("layout", report.Layout == JsonRecordLayout.Array ? "array" : "jsonl");
            writer.WriteNumber("samples", report.Samples);
            writer.WriteNumber("errors", report.Errors);
            writer.WriteNumber("warnings", report.Warnings);
            writer.WriteNumber("images_checked", report.ImagesChecked);
            writer.WritePropertyName("counts");
            writer.WriteStartObject();
            foreach (var (check, count) in report.CountsByCheck)
            {
                writer.WriteNumber(check, count);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("truncated");
            writer.WriteBooleanValue(report.Truncated);
            writer.WritePropertyName("findings");
            writer.WriteStartArray();
            foreach (var finding in report.Findings)
            {
                WriteFinding(writer, finding);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteFinding(PythonJsonWriter writer, LintFinding finding)
    {
        writer.WriteStartObject();
        writer.WriteString("severity", finding.Severity == LintSeverity.Error ? "error" : "warning");
        writer.WriteString("check", finding.Check);
        writer.WriteString("message", finding.Message);
        writer.WritePropertyName("sample_index");
        if (finding.SampleIndex is { } index)
        {
            writer.WriteNumberValue(index);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("sample_id");
        if (finding.SampleId is { } id)
        {
            writer.WriteStringValue(id);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("field");
        if (finding.Field is { } field)
        {
            writer.WriteStringValue(field);
        }
        else
        {
            writer.WriteNullValue();
        }

        if (finding.Position is { } p)
        {
            writer.WriteNumber("line", p.Line);
            writer.WriteNumber("column", p.Column);
            writer.WriteNumber("byte_offset", p.ByteOffset);
        }

        writer.WriteEndObject();
    }
}
