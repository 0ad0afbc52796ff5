using System.Globalization;
using VisInstruct.Formats;
using VisInstruct.IO;
using VisInstruct.Json;
using VisInstruct.Text;

namespace VisInstruct.Conversion;

/// <summary>Options of <c>visinstruct convert stablellava</c>.</summary>
public sealed class StableLlavaConversionOptions
{
    /// <summary>One ability file, or a folder of them (every <c>*.json</c> directly in it).</summary>
    public required string PromptPath { get; init; }

    /// <summary>A file for one ability file; a folder (one output per ability file, same name) for a folder.</summary>
    public required string SavePath { get; init; }

    /// <summary>The image root as the trainer will see it; prefixed to each entry's <c>image</c>. Empty for none.</summary>
    public string ImagePath { get; init; } = "";

    /// <summary>Prefix ids with the ability (<c>color_000000000101</c>) so that files can be concatenated.</summary>
    public bool UniqueIds { get; init; }

    public JsonStyle Style { get; init; } = JsonStyle.Compact;
}

/// <summary>
/// StableLLaVA's <c>data_to_llava.py</c>, fixed: each ability entry becomes one LLaVA sample with the question and
/// answer copied verbatim. See <see cref="StableLlavaLayout"/> for the naming rule it shares with <c>render</c>.
/// </summary>
public static class StableLlavaConversion
{
    public static ConversionReport Run(StableLlavaConversionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var inputs = StableLlavaLayout.AbilityFiles(options.PromptPath);
        var outputs = OutputPaths(options, inputs);
        var report = new ConversionReport();

        using var staged = new StagedOutput();
        for (int i = 0; i < inputs.Count; i++)
        {
            ConvertFile(inputs[i], outputs[i], options, staged, report, cancellationToken);
        }

        staged.Commit();
        return report;
    }

    /// <summary>The LLaVA sample for one entry.</summary>
    public static LlavaSample ToLlava(StableLlavaEntry entry, string ability, string imagePath, bool uniqueIds)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string id = PythonString.ZFill(entry.Id, 12);
        return new LlavaSample
        {
            Id = uniqueIds ? ability + "_" + id : id,
            Image = LlavaImage.Single(RelativePath.Join(imagePath, StableLlavaLayout.ImageRelativePath(entry))),
            Conversations = [new LlavaTurn(LlavaTurn.Human, entry.Question), new LlavaTurn(LlavaTurn.Gpt, entry.Answer)],
        };
    }

    private static void ConvertFile(string input, string output, StableLlavaConversionOptions options, StagedOutput staged,
        ConversionReport report, CancellationToken cancellationToken)
    {
        string ability = StableLlavaLayout.AbilityName(input);
        long withoutToken = 0;

        using var reader = JsonRecordReader.OpenArray(input);
        using var stream = staged.Create(output);
        using var writer = new RecordFileWriter<LlavaSample>(stream, JsonRecordLayout.Array, options.Style, FormatWriter.Write);
        foreach (var entry in JsonRecords.Read(reader, FormatsJsonContext.Default.StableLlavaEntry, StableLlavaLayout.Check))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!entry.Question.Contains(StableLlavaLayout.ImageToken, StringComparison.Ordinal))
            {
                withoutToken++;
            }

            writer.Write(ToLlava(entry, ability, options.ImagePath, options.UniqueIds));
        }

        writer.Complete();
        report.Records += reader.RecordsRead;
        report.Written += writer.Count;
        report.Note(string.Create(CultureInfo.InvariantCulture, $"{input}: {writer.Count} entries -> {output}"));
        if (withoutToken > 0)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"warning: {input}: {withoutToken} questions have no <image> token; LLaVA trains them as text-only turns of an image sample (`visinstruct lint` reports each)"));
        }
    }

    private static List<string> OutputPaths(StableLlavaConversionOptions options, IReadOnlyList<string> inputs)
    {
        bool manyInputs = Directory.Exists(options.PromptPath);
        bool saveIsDirectory = manyInputs || Directory.Exists(options.SavePath) || options.SavePath.EndsWith('/') || options.SavePath.EndsWith('\\');
        if (manyInputs && File.Exists(options.SavePath))
        {
            throw new InputFormatException(options.SavePath,
                "--prompt-path is a folder, so --save-path must be a folder (one output per ability file), but it is a file");
        }

        var outputs = inputs.Select(input => saveIsDirectory ? Path.Combine(options.SavePath, Path.GetFileName(input)) : options.SavePath).ToList();
        foreach (var (input, output) in inputs.Zip(outputs))
        {
            if (string.Equals(Path.GetFullPath(input), Path.GetFullPath(output), StringComparison.Ordinal))
            {
                throw new InputFormatException(output, "the output would replace its own input file; choose another --save-path");
            }
        }

        return outputs;
    }
}
