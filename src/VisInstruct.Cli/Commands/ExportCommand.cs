using System.CommandLine;
using System.Globalization;
using VisInstruct.Export;

namespace VisInstruct.Cli.Commands;

/// <summary>
/// <c>visinstruct export SOURCE --format F --out PATH</c>: a dataset folder or LLaVA file in the format another
/// trainer reads, every sample checked first; exit 1 when more than <c>--max-refused-ratio</c> were refused.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new Argument<string>("source") { Description = "A dataset folder this tool wrote, or a LLaVA JSON/JSONL file" };
        var format = new Option<string>("--format")
        {
            Description = "sharegpt (LLaMA-Factory), parquet (Hugging Face datasets), webdataset (tar shards), "
                + "openai (chat fine-tuning JSONL), llava (paths rebased)",
            Required = true,
        };
        format.AcceptOnlyFromAmong([.. ExportFormats.Names]);
        var output = new Option<string>("--out")
        {
            Description = "A file for parquet and openai; a folder for the others", Required = true,
        };
        var imageFolder = new Option<string?>("--image-folder", "--image_folder")
        {
            Description = "The folder the image paths are relative to (LLaVA's --image_folder); needed for a plain file or annotated data",
        };
        var name = new Option<string?>("--name")
        {
            Description = "The dataset's name (dataset_info.json key, shard names); default: from --out",
        };
        var images = new Option<string>("--images")
        {
            Description = "sharegpt and llava: absolute (paths to the source's files, nothing copied), copy or link (into OUT/images)",
            DefaultValueFactory = _ => "absolute",
        };
        images.AcceptOnlyFromAmong("absolute", "copy", "link");
        var imageRoot = new Option<string?>("--image-root")
        {
            Description = "llava: write image paths relative to this folder (the trainer's new --image_folder)",
        };
        var shardSize = new Option<string>("--shard-size")
        {
            Description = "parquet and webdataset: the most bytes in one shard (500MB, 1GB, 64MiB)", DefaultValueFactory = _ => "500MB",
        };
        var roles = new Option<string>("--roles")
        {
            Description = "parquet: sharegpt (conversations of {from, value}) or openai (messages of {role, content})",
            DefaultValueFactory = _ => "sharegpt",
        };
        roles.AcceptOnlyFromAmong("sharegpt", "openai");
        var maxRefused = new Option<double>("--max-refused-ratio")
        {
            Description = "Exit 1 when more than this share of the samples is refused", DefaultValueFactory = _ => 0.01,
        };
        var quiet = new Option<bool>("--quiet") { Description = "Print no progress lines on stderr (the summary is printed)" };
        var command = new Command("export", "Write a dataset in the format another trainer reads, refusing samples that would crash it")
        {
            source, format, output, imageFolder, name, images, imageRoot, shardSize, roles, maxRefused, quiet,
        };
        command.SetAction((result, outerToken) => Task.FromResult(Interruptible.Run(console, cancellationToken =>
        {
            string sizeText = result.GetRequiredValue(shardSize);
            long size = ByteSize.TryParse(sizeText) ?? throw new UsageException($"--shard-size {sizeText}: not a size (500MB, 1GB, 64MiB)");
            double ratio = result.GetValue(maxRefused);
            if (ratio is < 0 or > 1 || double.IsNaN(ratio))
            {
                throw new UsageException("--max-refused-ratio must be between 0 and 1");
            }

            var options = new ExportOptions
            {
                Source = result.GetRequiredValue(source), Format = ExportFormats.Parse(result.GetRequiredValue(format)),
                Out = result.GetRequiredValue(output), ImageFolder = result.GetValue(imageFolder), Name = result.GetValue(name),
                Images = Enum.Parse<ImageHandling>(result.GetRequiredValue(images), ignoreCase: true),
                ImageRoot = result.GetValue(imageRoot), ShardSize = size, OpenAiRoles = result.GetRequiredValue(roles) == "openai",
                Progress = result.GetValue(quiet) ? null : line => console.Error.WriteLine(line),
            };
            if (options.ImageFolder is { } folder && !Directory.Exists(folder))
            {
                throw new UsageException($"--image-folder {folder}: no such folder");
            }

            ExportReport report;
            try
            {
                report = Exporter.Run(options, cancellationToken);
            }
            catch (ExportUsageException ex)
            {
                throw new UsageException(ex.Message);
            }

            Print(console.Out, options, report);
            if (report.RefusedRatio > ratio)
            {
                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"error: {report.Refused.Total} of {report.Read} samples refused ({report.RefusedRatio:P2}), more than "
                        + $"--max-refused-ratio {ratio}; see {report.RefusedPath}"));
                return ExitCodes.Failures;
            }

            return ExitCodes.Success;
        }, outerToken)));
        return command;
    }

    private static void Print(TextWriter output, ExportOptions options, ExportReport report)
    {
        double seconds = Math.Max(report.Seconds, 1e-6);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exported {report.Written} of {report.Read} samples as {options.Format.Name()}: {report.Shards} shard(s), "
                + $"{ByteSize.Format(report.Bytes)} in {report.Seconds:0.0} s ({report.Bytes / 1e6 / seconds:0.0} MB/s; "
                + $"{ByteSize.Format(report.ImageBytes)} of images)"));
        string listed = report.Refused.Total > 0 ? $" (listed in {report.RefusedPath})" : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"refused: {report.Refused.Total}{listed}"));
        foreach (string line in report.Refused.Describe())
        {
            output.WriteLine(line);
        }

        foreach (string file in report.Files)
        {
            output.WriteLine("wrote " + file);
        }
    }
}
