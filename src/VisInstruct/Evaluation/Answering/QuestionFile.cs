using System.Globalization;
using System.Text.Json;
using VisInstruct.Evaluation.Scoring;
using VisInstruct.Json;

namespace VisInstruct.Evaluation.Answering;

/// <summary>How the questions are put, as LLaVA's eval scripts put them.</summary>
public sealed record QuestionOptions
{
    /// <summary>LLaVA's instruction after a multiple-choice question (<c>--single-pred-prompt</c>).</summary>
    public const string ChoiceInstruction = "Answer with the option's letter from the given choices directly.";

    /// <summary>LLaVA's instruction for a short answer.</summary>
    public const string ShortInstruction = "Answer the question using a single word or phrase.";

    /// <summary>Append <see cref="ChoiceInstruction"/> to ScienceQA and MMBench questions.</summary>
    public bool SinglePredictionPrompt { get; init; }

    /// <summary>MMBench: ask every rotation of the options (LLaVA's <c>--all-rounds</c>), for circular evaluation.</summary>
    public bool AllRounds { get; init; }

    /// <summary>Send no image: how much can be answered from the text alone.</summary>
    public bool Blind { get; init; }

    /// <summary>Where MMBench's base64 images are written as files (they are sent from there).</summary>
    public string? ImageCache { get; init; }
}

/// <summary>
/// Reads a benchmark's question file in any of LLaVA's eval layouts: JSON Lines of <c>{"question_id", "image",
/// "text", "category"}</c> (model_vqa, model_vqa_loader: MME, POPE, TextVQA, GQA, SEED, VQAv2, VizWiz), ScienceQA's
/// JSON list of LLaVA conversations (model_vqa_science), and MMBench's TSV with base64 images (model_vqa_mmbench).
/// </summary>
public static class QuestionFile
{
    private static readonly string[] Letters = ["A", "B", "C", "D"];

    public static IReadOnlyList<BenchmarkQuestion> Read(string path, QuestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            return MmBench(path, options);
        }

        var questions = new List<BenchmarkQuestion>();
        foreach (var (record, context) in JsonInput.Records(path))
        {
            questions.Add(record.TryGetProperty("conversations", out _)
                ? ScienceQa(record, context, options) : Line(record, context, options));
        }

        if (questions.Count == 0)
        {
            throw new InputFormatException(path, "no questions in the file");
        }

        return questions;
    }

    private static BenchmarkQuestion Line(JsonElement record, RecordContext context, QuestionOptions options)
    {
        var (id, number) = AnswerFile.QuestionId(record, context);
        string text = AnswerFile.RequiredString(record, "text", context);
        string? image = AnswerFile.OptionalString(record, "image", context);
        return new BenchmarkQuestion
        {
            Id = id, IdIsNumber = number, Text = text.Replace("<image>\n", "", StringComparison.Ordinal), RecordedPrompt = text,
            Images = image is null || options.Blind ? [] : [image],
        };
    }

    /// <summary>LLaVA's ScienceQA layout: the first human turn is the question; <c>image</c> when it has one.</summary>
    private static BenchmarkQuestion ScienceQa(JsonElement record, RecordContext context, QuestionOptions options)
    {
        var (id, number) = AnswerFile.QuestionId(record, context, "id");
        var turns = record.GetProperty("conversations");
        if (turns.ValueKind != JsonValueKind.Array || turns.GetArrayLength() == 0 || turns[0].ValueKind != JsonValueKind.Object
            || !turns[0].TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw context.Error("conversations", "expected a list of turns whose first has a string value");
        }

        string question = value.GetString()!.Replace("<image>", "", StringComparison.Ordinal).Trim();
        string? image = AnswerFile.OptionalString(record, "image", context);
        string recorded = image is null ? question : "<image>\n" + question;
        if (options.SinglePredictionPrompt)
        {
            question += "\n" + QuestionOptions.ChoiceInstruction;
            recorded += "\n" + QuestionOptions.ChoiceInstruction;
        }

        return new BenchmarkQuestion
        {
            Id = id, IdIsNumber = number, Text = question, RecordedPrompt = recorded,
            Images = image is null || options.Blind ? [] : [image],
        };
    }

    private static List<BenchmarkQuestion> MmBench(string path, QuestionOptions options)
    {
        var rows = MmBenchFile.Read(path, withImages: !options.Blind);
        var questions = new List<BenchmarkQuestion>();
        foreach (var row in rows)
        {
            string? image = null;
            if (row.Image is { } base64 && !options.Blind)
            {
                image = WriteImage(options.ImageCache ?? throw new InvalidOperationException("MMBench needs an image cache folder"),
                    row, base64, path);
            }

            int rounds = options.AllRounds ? Math.Max(1, row.Options.Count) : 1;
            var shown = row.Options.ToList();
            var chars = Letters.Take(row.Options.Count).ToList();
            for (int round = 0; round < rounds; round++)
            {
                string prompt = MmBenchFile.Prompt(row, shown);
                string text = options.SinglePredictionPrompt ? prompt + "\n" + QuestionOptions.ChoiceInstruction : prompt;
                questions.Add(new BenchmarkQuestion
                {
                    Id = row.Index.ToString(CultureInfo.InvariantCulture), IdIsNumber = true, Text = text, RecordedPrompt = prompt,
                    Images = image is null ? [] : [image], Round = round, Options = [.. shown], OptionChars = [.. chars],
                });
                shown = [.. shown.Skip(1), .. shown.Take(1)];
                chars = [.. chars.Skip(1), .. chars.Take(1)];
            }
        }

        return questions;
    }

    /// <summary>Decodes a row's base64 image into the cache once (named by its index), returning the file.</summary>
    private static string WriteImage(string cache, MmBenchQuestion row, string base64, string path)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new InputFormatException(path, "the image is not valid base64", new SourcePosition(row.Line, 1, row.Offset), "image",
                innerException: ex);
        }

        Directory.CreateDirectory(cache);
        string file = Path.Combine(cache, row.Index.ToString(CultureInfo.InvariantCulture) + ".img");
        if (!File.Exists(file) || new FileInfo(file).Length != bytes.Length)
        {
            string temp = file + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, file, overwrite: true);
        }

        return file;
    }
}
