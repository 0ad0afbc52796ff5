using System.Globalization;
using System.Text;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Evaluation.Scoring;

/// <summary>
/// SEED-Bench, scored as LLaVA's <c>convert_seed_for_submission.py</c>: an answer is right when its text is exactly
/// the option letter of the annotation (<c>A</c>; <c>A.</c> or <c>a</c> is wrong, as there); accuracy per question
/// type (dimension), and over the image and video questions. Every annotated question of the scored data types
/// counts; an unanswered one is wrong.
/// </summary>
public static class SeedScorer
{
    /// <summary>Scores against <c>SEED-Bench.json</c>; <paramref name="dataType"/> keeps only <c>image</c> (or <c>video</c>).</summary>
    public static SeedScore Score(IReadOnlyList<ModelAnswer> answers, string annotationFile, string? dataType = null)
    {
        ArgumentNullException.ThrowIfNull(answers);
        using var document = JsonInput.Document(annotationFile);
        var root = document.RootElement;
        var types = JsonInput.Required(root, "question_type", annotationFile);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in types.EnumerateObject())
        {
            names[JsonInput.Id(type.Value)] = type.Name;
        }

        var byId = new Dictionary<string, ModelAnswer>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            byId[answer.QuestionId] = answer;
        }

        var score = new SeedScore { DataType = dataType };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var question in JsonInput.Required(root, "questions", annotationFile).EnumerateArray())
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"{annotationFile}, questions[{index++}]");
            string kind = question.TryGetProperty("data_type", out var dt) && dt.ValueKind == JsonValueKind.String
                ? dt.GetString()! : "image";
            if (dataType is not null && kind != dataType)
            {
                continue;
            }

            string id = JsonInput.Id(JsonInput.Required(question, "question_id", where));
            string truth = JsonInput.Required(question, "answer", where).GetString()
                ?? throw new InputFormatException(annotationFile, $"{where}: answer is not a string", field: "answer");
            string typeId = JsonInput.Id(JsonInput.Required(question, "question_type_id", where));
            string dimension = names.GetValueOrDefault(typeId, typeId);
            seen.Add(id);
            bool right = byId.TryGetValue(id, out var given) && given.Text == truth;
            score.Add(dimension, kind, right);
            score.Unanswered += given is null ? 1 : 0;
        }

        foreach (var answer in answers.Where(a => !seen.Contains(a.QuestionId)))
        {
            score.Unjoined.Add(string.Create(CultureInfo.InvariantCulture,
                $"line {answer.Line}: question_id \"{answer.QuestionId}\" is not among the annotated questions"));
        }

        return score;
    }

    /// <summary>SEED's submission file: one <c>{"question_id", "prediction"}</c> line per answer.</summary>
    public static void WriteSubmission(IReadOnlyList<ModelAnswer> answers, string path)
    {
        ArgumentNullException.ThrowIfNull(answers);
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new PythonJsonWriter(stream, JsonStyle.Compact))
        {
            foreach (var answer in answers)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("question_id");
                if (answer.IdIsNumber)
                {
                    writer.WriteNumberValue(long.Parse(answer.QuestionId, CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteStringValue(answer.QuestionId);
                }

                writer.WriteString("prediction", answer.Text);
                writer.WriteEndObject();
                writer.WriteNewLine();
            }
        }

        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>SEED-Bench's figures: accuracy per dimension and per data type.</summary>
public sealed class SeedScore : BenchmarkScore
{
    private readonly Tally _dimensions = new();
    private readonly Tally _types = new();

    public override string Benchmark => "seed";

    public override string Rule => "LLaVA convert_seed_for_submission.py: the answer text equals the option letter";

    public string? DataType { get; init; }

    public IReadOnlyDictionary<string, (int Right, int Count)> Dimensions => _dimensions.Counts;

    public IReadOnlyDictionary<string, (int Right, int Count)> DataTypes => _types.Counts;

    public double Accuracy => _types.Share;

    public override IReadOnlyList<(string Name, double Value)> Headline =>
        [("accuracy", Accuracy * 100), .. _types.Counts.Select(t => ($"{t.Key} accuracy", _types.ShareOf(t.Key) * 100))];

    internal void Add(string dimension, string dataType, bool right)
    {
        _dimensions.Add(dimension, right);
        _types.Add(dataType, right);
    }

    public override void WriteFigures(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("accuracy", Accuracy * 100);
        Section(writer, "data_types", _types);
        Section(writer, "dimensions", _dimensions);
        writer.WriteEndObject();
    }

    public override string Markdown()
    {
        var sb = new StringBuilder("## SEED-Bench\n\n| dimension | questions | accuracy |\n|---|---:|---:|\n");
        foreach (var (name, (_, count)) in _dimensions.Counts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {count} | {Percent(_dimensions.ShareOf(name))} |\n");
        }

        foreach (var (name, (_, count)) in _types.Counts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| **{name}** | {count} | {Percent(_types.ShareOf(name))} |\n");
        }

        return sb.ToString();
    }

    private static void Section(Utf8JsonWriter writer, string name, Tally values)
    {
        writer.WriteStartObject(name);
        foreach (var (key, (right, count)) in values.Counts)
        {
            writer.WriteStartObject(key);
            writer.WriteNumber("accuracy", values.ShareOf(key) * 100);
            writer.WriteNumber("correct", right);
            writer.WriteNumber("count", count);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
