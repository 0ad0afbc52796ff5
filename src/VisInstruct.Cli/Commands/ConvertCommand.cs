using System.CommandLine;
using System.Globalization;
using VisInstruct.Conversion;

namespace VisInstruct.Cli.Commands;

/// <summary><c>visinstruct convert stablellava|svit</c>: released data to LLaVA training files.</summary>
internal static class ConvertCommand
{
    public static Command Create(CliConsole console)
    {
        var convert = new Command("convert", "Convert released StableLLaVA or SVIT data to LLaVA training files");
        convert.Add(CreateStableLlava(console));
        convert.Add(CreateSvit(console));
        return convert;
    }

    private static Command CreateStableLlava(CliConsole console)
    {
        var promptPath = new Option<string>("--prompt-path", "--dataset-path", "--prompt_path", "--dataset_path")
        {
            Description = "A StableLLaVA ability file (dataset/<ability>.json) or a folder of them",
            Required = true,
        };
        var imagePath = new Option<string>("--image-path", "--image_path")
        {
            Description = "The image root as the trainer sees it; each sample's image is <image-path>/<entry image>, the file `render " +
                "--save-path` writes",
            DefaultValueFactory = _ => "",
        };
        var savePath = new Option<string>("--save-path", "--save_path")
        {
            Description = "Output: a file for one ability file; a folder for a folder (one file per ability, same name)",
            Required = true,
        };
        var uniqueIds = new Option<bool>("--unique-ids")
        {
            Description = "Prefix each id with its ability (color_000000000101) so that the files can be concatenated",
        };
        var style = new OutputStyleOptions(defaultIndent: null);
        var command = new Command("stablellava", "StableLLaVA ability files to LLaVA format (the data_to_llava step, fixed)")
        {
            promptPath, imagePath, savePath, uniqueIds,
        };
        style.AddTo(command);
        command.SetAction((result, outerToken) => Task.FromResult(Interruptible.Run(console, cancellationToken =>
        {
            var report = StableLlavaConversion.Run(new StableLlavaConversionOptions
            {
                PromptPath = result.GetRequiredValue(promptPath),
                SavePath = result.GetRequiredValue(savePath),
                ImagePath = result.GetValue(imagePath) ?? "",
                UniqueIds = result.GetValue(uniqueIds),
                Style = style.Read(result),
            }, cancellationToken);
            Print(console, report);
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"converted {report.Written} entries"));
            return ExitCodes.Success;
        }, outerToken)));
        return command;
    }

    private static Command CreateSvit(CliConsole console)
    {
        var input = new Option<string>("--input-file", "--input_file") { Description = "A raw SVIT file (data/<task>.json)",
            Required = true };
        var imageDir = new Option<string?>("--image-dir", "--image_dir")
        {
            Description = "The Visual Genome images (<id>.jpg, or VG_100K/ and VG_100K_2/ inside); their headers give the sizes",
        };
        var imageData = new Option<string?>("--image-data", "--image_data")
        {
            Description = "Visual Genome's image_data.json: sizes, and each image's folder for the vg/VG_100K(_2)/<id>.jpg paths",
        };
        var output = new Option<string>("--output-file", "--output_file") { Description = "The LLaVA-1.5 training file to write",
            Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seeds the choice of instruction appended to referring questions",
            DefaultValueFactory = _ => 0 };
        var idPrefix = new Option<string>("--id-prefix") { Description = "Put before every id (for files that will be concatenated)",
            DefaultValueFactory = _ => "" };
        var allowMissing = new Option<bool>("--allow-missing-images")
        {
            Description = "Write the file even when images are missing or unreadable, their boxes left unpadded (default: exit 1, " +
                "nothing written)",
        };
        var style = new OutputStyleOptions(defaultIndent: null);
        var command = new Command("svit", "Raw SVIT to the LLaVA-1.5 training format (boxes padded to square, referring markers removed)")
        {
            input, imageDir, imageData, output, seed, idPrefix, allowMissing,
        };
        style.AddTo(command);
        command.SetAction((result, outerToken) => Task.FromResult(Interruptible.Run(console, cancellationToken =>
        {
            PathChecks.InputFolder(result.GetValue(imageDir), "--image-dir");
            PathChecks.OutputFile(result.GetRequiredValue(output), "--output-file");
            var report = SvitConversion.Run(new SvitConversionOptions
            {
                AllowMissingImages = result.GetValue(allowMissing),
                InputFile = result.GetRequiredValue(input),
                OutputFile = result.GetRequiredValue(output),
                ImageDirectory = result.GetValue(imageDir),
                ImageDataFile = result.GetValue(imageData),
                Seed = result.GetValue(seed),
                IdPrefix = result.GetValue(idPrefix) ?? "",
                Style = style.Read(result),
            }, cancellationToken);
            Print(console, report);
            return report.Refused ? ExitCodes.Failures : ExitCodes.Success;
        }, outerToken)));
        return command;
    }

    internal static void Print(CliConsole console, ConversionReport report)
    {
        foreach (string line in report.Describe())
        {
            (line.StartsWith("warning:", StringComparison.Ordinal) || line.StartsWith("error:", StringComparison.Ordinal) ? console.Error
                : console.Out).WriteLine(line);
        }
    }
}
