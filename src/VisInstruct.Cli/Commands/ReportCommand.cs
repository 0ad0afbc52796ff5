using System.CommandLine;
using System.Globalization;
using VisInstruct.Datasets;
using VisInstruct.Report;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct report</c>: an HTML page of a dataset's figures, charts and samples, to look at before training.</summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var path = new Argument<string>("path") { Description = "A dataset folder this tool wrote, or a LLaVA JSON/JSONL file" };
        var imageFolder = new Option<string?>("--image-folder", "--image_folder")
        {
            Description = "The folder image paths are relative to (LLaVA's --image_folder); needed for SVIT/LLaVA-Instruct folders "
                + "and plain files",
        };
        var output = new Option<string?>("--out")
        {
            Description = "The report folder (default: report/ in the dataset folder, or beside the file)",
        };
        var noThumbnails = new Option<bool>("--no-thumbnails")
        {
            Description = "Show the original images (scaled by the browser) instead of writing small JPEG thumbnails beside the page",
        };
        var command = new Command("report", "Write an HTML report of a dataset: counts, lengths, failures, charts and a sample browser")
        {
            path, imageFolder, output, noThumbnails,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new ReportOptions
            {
                Path = result.GetRequiredValue(path), ImageFolder = result.GetValue(imageFolder), OutputDirectory = result.GetValue(output),
                Thumbnails = !result.GetValue(noThumbnails),
            };
            return Task.FromResult(Interruptible.Run(console, token =>
            {
                var report = Build(options, token);
                console.Out.WriteLine(Describe(report));
                return ExitCodes.Success;
            }, cancellationToken));
        });
        return command;
    }

    /// <summary>Builds the report, turning a refused output folder into a usage error.</summary>
    internal static ReportResult Build(ReportOptions options, CancellationToken cancellationToken)
    {
        var source = DatasetSource.Open(options.Path, options.ImageFolder);
        if (ReportBuilder.RefusalFor(ReportBuilder.OutputFor(options), source) is { } refusal)
        {
            throw new UsageException("--out " + refusal);
        }

        return ReportBuilder.Build(options, cancellationToken);
    }

    internal static string Describe(ReportResult report)
    {
        string page = Path.Combine(report.OutputDirectory, ReportBuilder.PageFile);
        string missing = report.ImagesWithoutFile > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; {report.ImagesWithoutFile} image references without a file (no thumbnail)")
            : "";
        string charts = report.ChartsDrawn ? "charts as PNG and SVG in " + Path.Combine(report.OutputDirectory, "charts")
            : "no chart font found (set VISINSTRUCT_FONT to a .ttf): the page draws plain SVG bars and no PNG is written";
        return string.Create(CultureInfo.InvariantCulture,
            $"report: {page} ({report.Samples} samples, {report.Images} images, {report.Thumbnails} thumbnails, {report.Chunks} chunks; ")
            + string.Create(CultureInfo.InvariantCulture, $"{report.Files} files, {report.Bytes / 1048576.0:0.0} MiB){missing}\n{charts}");
    }
}
