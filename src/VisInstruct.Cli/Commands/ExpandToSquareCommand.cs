using System.CommandLine;
using System.Globalization;
using VisInstruct.Annotations;
using VisInstruct.Conversion;
using VisInstruct.Imaging;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct expand-to-square</c>: SVIT's tools/expand_to_square.py.</summary>
internal static class ExpandToSquareCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Option<string>("--input-file", "--input_file") { Description = "A raw SVIT file", Required = true };
        var imageDir = new Option<string?>("--image-dir",
            "--image_dir") { Description = "The folder of <image_id>.jpg files (their headers give the sizes)" };
        var imageData = new Option<string?>("--image-data",
            "--image_data") { Description = "Visual Genome's image_data.json, for sizes without the images" };
        var output = new Option<string>("--output-file",
            "--output_file") { Description = "The raw SVIT file to write, with boxes re-normalised", Required = true };
        var allowMissing = new Option<bool>("--allow-missing-images")
        {
            Description = "Write the file even when images are missing or unreadable, their boxes unchanged (default: exit 1, nothing " +
                "written)",
        };
        var style = new OutputStyleOptions(defaultIndent: 4);
        var command = new Command("expand-to-square",
            "Re-normalise the boxes of a raw SVIT file to the padded square image LLaVA-1.5 trains on (SVIT's expand_to_square.py)")
        {
            input, imageDir, imageData, output, allowMissing,
        };
        style.AddTo(command);
        command.SetAction((result, outerToken) => Task.FromResult(Interruptible.Run(console, cancellationToken =>
        {
            string? dataFile = result.GetValue(imageData);
            string? directory = result.GetValue(imageDir);
            if (dataFile is null && directory is null)
            {
                throw new UsageException("give --image-dir (the images) or --image-data (image_data.json) so that image sizes are known");
            }

            PathChecks.InputFolder(directory, "--image-dir");
            PathChecks.OutputFile(result.GetRequiredValue(output), "--output-file");
            var known = dataFile is null ? null : VisualGenome.ReadImages(dataFile)
                .ToDictionary(i => i.Key.ToString(CultureInfo.InvariantCulture), i => new ImageSize(i.Width, i.Height, ImageFormat.Jpeg),
                    StringComparer.Ordinal);
            var report = ExpandToSquareJob.Run(new ExpandToSquareOptions
            {
                InputFile = result.GetRequiredValue(input),
                OutputFile = result.GetRequiredValue(output),
                ImageDirectory = directory,
                KnownSizes = known,
                Style = style.Read(result),
                AllowMissingImages = result.GetValue(allowMissing),
            }, cancellationToken);
            if (!report.Refused)
            {
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{report.Records} items -> {result.GetRequiredValue(output)}"));
            }

            ConvertCommand.Print(console, report);
            return report.Refused ? ExitCodes.Failures : ExitCodes.Success;
        }, outerToken)));
        return command;
    }
}
