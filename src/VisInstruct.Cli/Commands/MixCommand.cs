using System.CommandLine;
using System.Globalization;
using VisInstruct.Mix;

namespace VisInstruct.Cli.Commands;

/// <summary>
/// <c>visinstruct mix</c>: datasets and LLaVA files combined into one shuffled, checked, deduplicated training mix with
/// a held-out split and a card (see docs/mix.md).
/// </summary>
internal static class MixCommand
{
    public static Command Create(CliConsole console)
    {
        var inputs = new Option<string[]>("--input")
        {
            Description = "A dataset folder or LLaVA JSON/JSONL file, PATH[:SPEC]; SPEC is a count (50000), a ratio of its usable " +
                "samples (0.5, 1.5) or a weight (2x); more than all of it repeats samples. Repeat for each source",
            Required = true, AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.OneOrMore,
        };
        var imageFolders = new Option<string[]>("--image-folder", "--image_folder")
        {
            Description = "NAME=DIR: the folder a source's image paths are relative to; NAME is the source's name (its file or " +
                "folder name without extension) or its number (1 for the first --input). Repeat per source",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var caps = new Option<string[]>("--cap")
        {
            Description = "[SOURCE/]GROUP=N or =RATIO: take at most N (or that share) of a group's usable samples (ability, task, " +
                "or image folder such as coco or gqa), in every source or in the one named",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seeds the selection, the holdout and the shuffle", DefaultValueFactory = _ => 0,
        };
        var holdout = new Option<double>("--holdout")
        {
            Description = "The share of the distinct samples taken written to holdout.json instead of training (0.01: 1 %)",
            DefaultValueFactory = _ => 0,
        };
        var images = new Option<string>("--images")
        {
            Description = "copy: images under OUT/images/SOURCE/ as hard links where possible, else copies; link: symbolic links " +
                "there; rebase: no files moved, paths relative to --image-root",
            DefaultValueFactory = _ => "copy",
        };
        images.AcceptOnlyFromAmong("copy", "link", "rebase");
        var imageRoot = new Option<string?>("--image-root")
        {
            Description = "With --images rebase: the folder holding every source's images",
        };
        var output = new Option<string>("--out") { Description = "The mix's folder (new, empty, or an earlier mix's)", Required = true };
        var quiet = new Option<bool>("--quiet") { Description = "Print no progress lines (the summary is printed)" };
        var style = new OutputStyleOptions(defaultIndent: null);
        var command = new Command("mix", "Mix datasets into one shuffled, checked, deduplicated training file with a holdout and a card")
        {
            inputs, imageFolders, caps, seed, holdout, images, imageRoot, output, quiet,
        };
        style.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var options = new MixOptions
            {
                Inputs = ReadInputs(result.GetValue(inputs) ?? [], result.GetValue(imageFolders) ?? []),
                Output = result.GetRequiredValue(output),
                Seed = result.GetValue(seed),
                Holdout = result.GetValue(holdout),
                Caps = [.. (result.GetValue(caps) ?? []).Select(Cap)],
                Images = result.GetValue(images) switch { "link" => ImageMode.Link, "rebase" => ImageMode.Rebase, _ => ImageMode.Copy },
                ImageRoot = result.GetValue(imageRoot),
                Style = style.Read(result),
                Command = "visinstruct " + string.Join(' ', result.Tokens.Select(t => Quote(t.Value))),
                Progress = result.GetValue(quiet) ? null : line => console.Error.WriteLine(line),
            };
            if (options.ImageRoot is not null && options.Images != ImageMode.Rebase)
            {
                throw new UsageException("--image-root is for --images rebase; copy and link place images under OUT/images/");
            }

            return Task.FromResult(Interruptible.Run(console, token => Run(console, options, token), cancellationToken));
        });
        return command;
    }

    private static int Run(CliConsole console, MixOptions options, CancellationToken cancellationToken)
    {
        MixResult mix;
        try
        {
            mix = Mixer.Run(options, cancellationToken);
        }
        catch (MixException ex)
        {
            throw new UsageException(ex.Message);
        }

        foreach (var source in mix.Sources)
        {
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{source.Name}: {source.Read} read, {source.Refusals.Total} refused, {source.Duplicates} duplicates, " +
                    $"{source.Taken} taken ({source.Input.Take.Text}), {source.HeldOut} held out"));
            foreach (string line in source.Refusals.Describe())
            {
                console.Out.WriteLine(line);
            }
        }

        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mix: {mix.Single} in llava.json, {mix.Multi} in llava_multi.json, {mix.Holdout} in holdout.json; " +
                $"{mix.Duplicates} duplicates removed, {mix.IdsRenamed} ids renamed"));
        console.Out.WriteLine($"mix: {Path.GetFullPath(options.Output)}");
        return ExitCodes.Success;
    }

    internal static List<MixInput> ReadInputs(IReadOnlyList<string> arguments, IReadOnlyList<string> imageFolders)
    {
        if (arguments.Count == 0)
        {
            throw new UsageException("--input: at least one source is needed");
        }

        var names = new List<string>();
        var list = new List<MixInput>();
        foreach (string argument in arguments)
        {
            (string path, TakeSpec take) split;
            try
            {
                split = MixInput.Split(argument, p => File.Exists(p) || Directory.Exists(p));
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            list.Add(new MixInput(split.path, split.take, MixInput.NameFor(split.path, names)) { Argument = argument });
        }

        foreach (string folder in imageFolders)
        {
            int equals = folder.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException(
                    $"--image-folder {folder}: expected NAME=DIR (the source's name or number, then its image folder)");
            }

            string key = folder[..equals];
            string dir = folder[(equals + 1)..];
            bool numbered = int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int number)
                && number >= 1 && number <= list.Count;
            int at = numbered ? number - 1 : list.FindIndex(i => i.Name == key);
            if (at < 0)
            {
                throw new UsageException($"--image-folder {folder}: no source is named {key} " +
                    $"(the sources are {string.Join(", ", list.Select((i, n) => $"{n + 1}={i.Name}"))})");
            }

            if (!Directory.Exists(dir))
            {
                throw new UsageException($"--image-folder {folder}: no such folder {dir}");
            }

            list[at] = list[at] with { ImageFolder = dir };
        }

        return list;
    }

    private static GroupCap Cap(string text)
    {
        try
        {
            return GroupCap.Parse(text);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static string Quote(string token) =>
        token.Length > 0 && token.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c)) ? token
            : "'" + token.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
