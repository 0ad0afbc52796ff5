using System.Globalization;
using VisInstruct.Formats;
using VisInstruct.Imaging;
using VisInstruct.Json;

namespace VisInstruct.Datasets;

/// <summary>
/// What every export and mix checks before it writes a sample, so that nothing it writes crashes a trainer: the
/// roles alternate from a question and end in an answer, no turn is empty, each image has exactly one
/// <c>&lt;image&gt;</c> token and no answer holds one (the mismatch that LLaMA-Factory, axolotl and LLaVA's
/// <c>train.py</c> fail on), and, when the images are wanted, each one is a readable image file.
/// </summary>
public static class SampleCheck
{
    public const string ImageToken = "<image>";

    /// <summary>
    /// The first problem of <paramref name="sample"/>, or null. With <paramref name="source"/> each image is resolved
    /// against its image folder and its header read. <paramref name="requireFinalAnswer"/> refuses a dialogue that
    /// ends in a question (chat trainers such as LLaMA-Factory and OpenAI's need an answer last; LLaVA's
    /// <c>train.py</c> trains such a sample, masking the last question).
    /// </summary>
    public static SampleProblem? Find(DatasetSample sample, DatasetSource? source = null, bool requireFinalAnswer = true)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return Dialogue(sample.Sample, requireFinalAnswer) ?? Images(sample, source);
    }

    /// <summary>The dialogue's problem alone (roles, empty turns, image tokens), without looking at image files.</summary>
    public static SampleProblem? Dialogue(LlavaSample sample, bool requireFinalAnswer = true)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var turns = sample.Conversations;
        if (turns.Count == 0)
        {
            return new SampleProblem(SampleProblem.NoTurns, "the sample has no turns", "conversations");
        }

        int tokens = 0;
        for (int i = 0; i < turns.Count; i++)
        {
            string field = JsonLocator.Index("conversations", i);
            string expected = i % 2 == 0 ? LlavaTurn.Human : LlavaTurn.Gpt;
            if (!string.Equals(turns[i].From, expected, StringComparison.Ordinal))
            {
                return new SampleProblem(SampleProblem.Roles, string.Create(CultureInfo.InvariantCulture,
                    $"turn {i} is from \"{turns[i].From}\" where \"{expected}\" was due ")
                        + "(questions and answers alternate, from a question)",
                    field + ".from");
            }

            string value = turns[i].Value ?? "";
            int here = Count(value);
            if (here > 0 && expected == LlavaTurn.Gpt)
            {
                return new SampleProblem(SampleProblem.TokenInAnswer,
                    "an answer holds an <image> token; it would become part of the training target", field + ".value");
            }

            tokens += here;
            if (value.Replace(ImageToken, "", StringComparison.Ordinal).Trim().Length == 0)
            {
                return new SampleProblem(SampleProblem.EmptyTurn,
                    string.Create(CultureInfo.InvariantCulture, $"turn {i} has no text besides whitespace and <image>"), field + ".value");
            }
        }

        if (requireFinalAnswer && turns.Count % 2 != 0)
        {
            return new SampleProblem(SampleProblem.NoAnswer, "the last turn is a question with no answer to train on",
                JsonLocator.Index("conversations", turns.Count - 1));
        }

        int images = sample.Image?.Paths.Count ?? 0;
        if (tokens != images)
        {
            return new SampleProblem(SampleProblem.TokenCount, string.Create(CultureInfo.InvariantCulture,
                $"{tokens} <image> token(s) for {images} image(s); each image needs exactly one token"), "conversations");
        }

        return null;
    }

    private static SampleProblem? Images(DatasetSample sample, DatasetSource? source)
    {
        var paths = sample.ImagePaths;
        for (int i = 0; i < paths.Count; i++)
        {
            string field = sample.Sample.Image!.IsList ? JsonLocator.Index("image", i) : "image";
            if (string.IsNullOrWhiteSpace(paths[i]))
            {
                return new SampleProblem(SampleProblem.ImagePath, "the image path is empty", field);
            }

            if (source is null)
            {
                continue;
            }

            if (source.ResolveImage(paths[i]) is not { } full)
            {
                return new SampleProblem(SampleProblem.ImagePath, $"the image path {paths[i]} climbs out of the image folder", field);
            }

            if (!File.Exists(full))
            {
                return new SampleProblem(SampleProblem.ImageMissing, $"no file {full}", field);
            }

            if (ImageHeader.TryRead(full) is null)
            {
                return new SampleProblem(SampleProblem.ImageUnreadable,
                    $"{full} is not a readable JPEG, PNG, GIF, BMP or WebP image", field);
            }
        }

        return null;
    }

    /// <summary>How many <c>&lt;image&gt;</c> tokens <paramref name="text"/> holds.</summary>
    public static int Count(string text)
    {
        int count = 0;
        for (int at = text.IndexOf(ImageToken, StringComparison.Ordinal); at >= 0;
             at = text.IndexOf(ImageToken, at + ImageToken.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
