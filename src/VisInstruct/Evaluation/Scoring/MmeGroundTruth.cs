using VisInstruct.Json;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>
/// MME's ground truth: per category, per image, the yes/no answer of each question, keyed as MME's tools key it:
/// (category, the image's name before its first dot plus <c>.txt</c>, the question with its "Please answer yes or no.").
/// Read from the release layout (<c>MME_Benchmark_release_version/&lt;category&gt;/*.txt</c>, or
/// <c>&lt;category&gt;/questions_answers_YN/*.txt</c> where the category has an <c>images/</c> folder; each line
/// <c>question\tanswer</c>) or from the eval tool's <c>Your_Results/&lt;category&gt;.txt</c> templates (each line
/// <c>image\tquestion\tanswer</c>, a fourth column ignored).
/// </summary>
public sealed class MmeGroundTruth
{
    private readonly Dictionary<(string Category, string File, string Question), string> _answers = [];

    private MmeGroundTruth()
    {
    }

    /// <summary>How many questions it holds.</summary>
    public int Count => _answers.Count;

    /// <summary>The categories it has questions for.</summary>
    public IReadOnlySet<string> Categories => _answers.Keys.Select(k => k.Category).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every question's key.</summary>
    public IEnumerable<(string Category, string File, string Question)> Keys => _answers.Keys;

    public bool TryGet(string category, string file, string question, out string answer) =>
        _answers.TryGetValue((category, file, question), out answer!);

    /// <summary>Reads either layout; bad lines are <see cref="InputFormatException"/>s naming the file and line.</summary>
    public static MmeGroundTruth Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new InputFormatException(directory, "no such folder (expected MME_Benchmark_release_version or eval_tool/Your_Results)");
        }

        var truth = new MmeGroundTruth();
        var categories = Directory.GetDirectories(directory).Order(StringComparer.Ordinal).ToList();
        if (categories.Count > 0)
        {
            foreach (string category in categories)
            {
                string qa = Directory.Exists(Path.Combine(category, "images")) ? Path.Combine(category, "questions_answers_YN") : category;
                if (!Directory.Exists(qa))
                {
                    throw new InputFormatException(qa, "the category has an images/ folder but no questions_answers_YN/ beside it");
                }

                foreach (string file in Directory.GetFiles(qa, "*.txt").Order(StringComparer.Ordinal))
                {
                    truth.ReadRelease(Path.GetFileName(category), file);
                }
            }
        }
        else
        {
            foreach (string file in Directory.GetFiles(directory, "*.txt").Order(StringComparer.Ordinal))
            {
                truth.ReadTemplate(Path.GetFileNameWithoutExtension(file), file);
            }
        }

        if (truth.Count == 0)
        {
            throw new InputFormatException(directory, "no MME ground truth here: neither <category>/*.txt nor <category>.txt files");
        }

        return truth;
    }

    /// <summary>The key MME gives an image: its file name up to the first dot, plus <c>.txt</c>.</summary>
    public static string FileKey(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        string name = image.Split('/')[^1];
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        return (dot < 0 ? name : name[..dot]) + ".txt";
    }

    private void ReadRelease(string category, string file)
    {
        foreach (var line in TextLines.Read(file))
        {
            string[] fields = line.Text.Trim().Split('\t');
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (fields.Length != 2)
            {
                throw line.Error(file, $"expected 'question<TAB>answer', found {fields.Length} tab-separated fields");
            }

            Add(category, Path.GetFileName(file), fields[0], fields[1], file, line);
        }
    }

    private void ReadTemplate(string category, string file)
    {
        foreach (var line in TextLines.Read(file))
        {
            string[] fields = line.Text.Split('\t');
            if (fields.Length == 1 && fields[0].Trim().Length == 0)
            {
                continue;
            }

            if (fields.Length is < 3 or > 4)
            {
                throw line.Error(file, $"expected 'image<TAB>question<TAB>answer', found {fields.Length} tab-separated fields");
            }

            Add(category, FileKey(fields[0]), fields[1], fields[2], file, line);
        }
    }

    private void Add(string category, string key, string question, string answer, string file, TextLine line)
    {
        string yesNo = answer.Trim().ToLowerInvariant();
        if (yesNo is not ("yes" or "no"))
        {
            throw line.Error(file, $"the answer is '{answer}'; MME's answers are Yes or No");
        }

        _answers[(category, key, question)] = answer;
    }
}
