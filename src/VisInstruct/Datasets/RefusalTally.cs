using System.Globalization;
using VisInstruct.Json;

namespace VisInstruct.Datasets;

/// <summary>
/// The samples an export or a mix left out, counted by reason, with the first few of each reason kept to show the
/// user where they are (file, index, id, field, message).
/// </summary>
public sealed class RefusalTally
{
    private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly List<Refusal> _examples = [];
    private readonly Dictionary<string, int> _examplesPerReason = new(StringComparer.Ordinal);
    private readonly int _examplesKept;

    public RefusalTally(int examplesKeptPerReason = 5) => _examplesKept = examplesKeptPerReason;

    /// <summary>Refused samples per reason, in reason order.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    public long Total { get; private set; }

    /// <summary>The first refusals of each reason, in the order they were met.</summary>
    public IReadOnlyList<Refusal> Examples => _examples;

    public void Add(DatasetSample sample, SampleProblem problem)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(problem);
        Total++;
        _counts[problem.Reason] = _counts.GetValueOrDefault(problem.Reason) + 1;
        int kept = _examplesPerReason.GetValueOrDefault(problem.Reason);
        if (kept < _examplesKept)
        {
            _examplesPerReason[problem.Reason] = kept + 1;
            _examples.Add(new Refusal(sample.File, sample.Index, sample.Id, problem));
        }
    }

    /// <summary>
    /// One line per reason: <c>  image-token-count: 3 (first: llava.json record 12, id "x", field conversations: ...)</c>.
    /// </summary>
    public IEnumerable<string> Describe()
    {
        foreach (var (reason, count) in _counts)
        {
            var first = _examples.First(e => e.Problem.Reason == reason);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {reason}: {count} (first: {first.File} record {first.Index}, id \"{first.Id}\"{FieldPart(first.Problem)}: "
                    + $"{first.Problem.Message})");
        }
    }

    private static string FieldPart(SampleProblem problem) => problem.Field is null ? "" : ", field " + problem.Field;
}

/// <summary>One refused sample: where it is and why.</summary>
public sealed record Refusal(string File, long Index, string Id, SampleProblem Problem)
{
    /// <summary>
    /// The sample's line of a <c>refused.jsonl</c>: <c>source</c> (when given), <c>file</c>, <c>index</c>, <c>id</c>,
    /// <c>reason</c>, <c>field</c> (null for the whole record) and <c>message</c>, the same in every command.
    /// </summary>
    public void Write(PythonJsonWriter writer, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (source is not null)
        {
            writer.WriteString("source", source);
        }

        writer.WriteString("file", File);
        writer.WriteNumber("index", Index);
        writer.WriteString("id", Id);
        writer.WriteString("reason", Problem.Reason);
        writer.WritePropertyName("field");
        if (Problem.Field is { } field)
        {
            writer.WriteStringValue(field);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteString("message", Problem.Message);
        writer.WriteEndObject();
    }
}
