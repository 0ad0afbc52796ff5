using System.Globalization;
using VisInstruct.Annotations;
using VisInstruct.Formats;
using VisInstruct.Imaging;
using VisInstruct.IO;
using VisInstruct.Json;
using VisInstruct.Randomness;

namespace VisInstruct.Conversion;

/// <summary>
/// Raw SVIT to the LLaVA-1.5 training format, as SVIT's released <c>format/llava-v1.5</c> files are made: one sample
/// per conversation; <c>user</c> becomes <c>human</c>; <c>&lt;image&gt;\n</c> starts the first question; every box is
/// re-normalised to the padded square (<see cref="SquareBoxes"/>); in referring QA the <c>&lt;st&gt;</c> and
/// <c>&lt;ed&gt;</c> markers are removed and each question gets a response-format instruction after a newline.
/// </summary>
public static class SvitConversion
{
    /// <summary>The three response-format instructions SVIT's dataset card lists for referring QA.</summary>
    public static IReadOnlyList<string> DefaultReferringInstructions { get; } =
    [
        "Provide the bounding boxes of the mentioned objects.",
        "Include the coordinates for each mentioned object.",
        "Locate the objects with their coordinates.",
    ];

    public const string StartMarker = "<st>";
    public const string EndMarker = "<ed>";

    public static ConversionReport Run(SvitConversionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ImageDirectory is null && options.ImageDataFile is null)
        {
            throw new InputFormatException(options.InputFile,
                "image sizes are needed to re-normalise boxes: give --image-dir or --image-data");
        }

        var images = options.ImageDataFile is null ? null : VisualGenome.LoadImages(options.ImageDataFile);
        var known = images?.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p =>
            new ImageSize(p.Value.Width, p.Value.Height, ImageFormat.Jpeg), StringComparer.Ordinal);
        var sizes = new ImageSizeLookup(options.ImageDirectory, known);
        var report = new ConversionReport();
        var perImage = new Dictionary<long, int>();
        long skippedNoQuestion = 0;
        long referring = 0;

        using var reader = JsonRecordReader.Open(options.InputFile);
        using var staged = new StagedOutput();
        using (var stream = staged.Create(options.OutputFile))
        using (var writer = new RecordFileWriter<LlavaSample>(stream, JsonRecordLayout.Array, options.Style, FormatWriter.Write))
        {
            foreach (var item in JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample, CheckRoles))
            {
                cancellationToken.ThrowIfCancellationRequested();
                report.Records++;
                string key = item.ImageId.ToString(CultureInfo.InvariantCulture);
                var found = sizes.Find(key);
                if (found is null)
                {
                    report.ImageWithoutSize(key, sizes);
                }

                string imagePath = images is not null && images.TryGetValue(item.ImageId, out var vg) && vg.LlavaPath is { } llavaPath
                    ? llavaPath
                    : found?.RelativePath ?? key + ".jpg";

                foreach (var conversation in item.Conversations)
                {
                    int n = perImage.TryGetValue(item.ImageId, out int seen) ? seen : 0;
                    perImage[item.ImageId] = n + 1;
                    string id = string.Create(CultureInfo.InvariantCulture, $"{options.IdPrefix}{item.ImageId}_{n}");
                    if (!conversation.Content.Any(t => t.From == SvitTurn.User))
                    {
                        skippedNoQuestion++;
                        continue;
                    }

                    bool isReferring = conversation.Content.Any(t => t.Value.Contains(StartMarker, StringComparison.Ordinal)
                        || t.Value.Contains(EndMarker, StringComparison.Ordinal));
                    referring += isReferring ? 1 : 0;
                    var rng = DeterministicRandom.For(options.Seed, string.Create(CultureInfo.InvariantCulture, $"{item.ImageId}_{n}"));
                    writer.Write(new LlavaSample
                    {
                        Id = id,
                        Image = LlavaImage.Single(imagePath),
                        Conversations = ConvertTurns(conversation, isReferring, found?.Size, rng, options.ReferringInstructions,
                            report.Boxes),
                    });
                }
            }

            writer.Complete();
            report.Written = writer.Count;
        }

        report.OutputFile = options.OutputFile;
        // Boxes of missing images would be wrong for the padded square: the staged file is dropped, nothing is replaced.
        if (report.RefuseForImages(options.AllowMissingImages))
        {
            return report;
        }

        staged.Commit();
        report.Note(string.Create(CultureInfo.InvariantCulture,
            $"{options.InputFile}: {report.Records} images -> {report.Written} samples ({referring} referring QA) "
            + $"-> {options.OutputFile}"));
        if (skippedNoQuestion > 0)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"warning: {skippedNoQuestion} conversations have no user turn and were left out"));
        }

        return report;
    }

    /// <summary>The LLaVA turns of one SVIT conversation.</summary>
    public static IReadOnlyList<LlavaTurn> ConvertTurns(SvitConversation conversation, bool referring, ImageSize? size,
        DeterministicRandom rng, IReadOnlyList<string> instructions, BoxTally tally)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(instructions);
        ArgumentNullException.ThrowIfNull(tally);
        var turns = new List<LlavaTurn>(conversation.Content.Count);
        bool imagePlaced = false;
        foreach (var turn in conversation.Content)
        {
            bool human = turn.From == SvitTurn.User;
            string value = turn.Value;
            if (referring)
            {
                value = value.Replace(StartMarker, "", StringComparison.Ordinal).Replace(EndMarker, "", StringComparison.Ordinal);
            }

            if (size is { } s)
            {
                value = SquareBoxes.Rewrite(value, s.Width, s.Height, tally);
            }
            else
            {
                int count = SquareBoxes.Count(value);
                tally.Found += count;
                tally.LeftWithoutImage += count;
            }

            if (human && referring && instructions.Count > 0)
            {
                value = value + "\n" + rng.Pick(instructions);
            }

            if (human && !imagePlaced)
            {
                imagePlaced = true;
                if (!value.Contains(StableLlavaLayout.ImageToken, StringComparison.Ordinal))
                {
                    value = StableLlavaLayout.ImageToken + "\n" + value;
                }
            }

            turns.Add(new LlavaTurn(human ? LlavaTurn.Human : LlavaTurn.Gpt, value));
        }

        return turns;
    }

    private static void CheckRoles(SvitSample sample, in RecordContext context)
    {
        for (int c = 0; c < sample.Conversations.Count; c++)
        {
            var content = sample.Conversations[c].Content;
            for (int t = 0; t < content.Count; t++)
            {
                if (content[t].From is not (SvitTurn.User or SvitTurn.Gpt))
                {
                    throw context.Error($"conversations[{c}].content[{t}].from",
                        $"expected \"user\" or \"gpt\", found \"{content[t].From}\"");
                }
            }
        }
    }
}
