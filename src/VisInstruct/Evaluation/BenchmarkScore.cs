using System.Text.Json;

namespace VisInstruct.Evaluation;

/// <summary>
/// What a scorer found: its figures (written as JSON and as a Markdown table), the answers it could not join to the
/// ground truth, the questions left unanswered, and notes on anything that made the figures differ from what the
/// official tool would print (or made the official tool crash).
/// </summary>
public abstract class BenchmarkScore
{
    /// <summary>The benchmark's name as <c>eval score</c> takes it (<c>mme</c>, <c>pope</c>).</summary>
    public abstract string Benchmark { get; }

    /// <summary>The rule the figures follow, and where it comes from.</summary>
    public abstract string Rule { get; }

    /// <summary>The headline figures, name and value, in the order a table shows them.</summary>
    public abstract IReadOnlyList<(string Name, double Value)> Headline { get; }

    /// <summary>The bars of the benchmark's chart (the headline figures unless the benchmark has finer ones).</summary>
    public virtual IReadOnlyList<(string Label, double Value)> ChartBars => Headline;

    /// <summary>Whether the chart bars are abilities, drawn also as a radar chart (StableLLaVA's figure).</summary>
    public virtual bool Radar => false;

    /// <summary>What the chart's bars measure.</summary>
    public virtual string ChartUnit => "%";

    /// <summary>Answers with no ground truth: <c>line 12: question_id "x"</c>.</summary>
    public List<string> Unjoined { get; } = [];

    /// <summary>How many ground-truth questions had no answer.</summary>
    public int Unanswered { get; set; }

    public List<string> Notes { get; } = [];

    /// <summary>The figures as a JSON object.</summary>
    public abstract void WriteFigures(Utf8JsonWriter writer);

    /// <summary>The figures as Markdown (a table, with a heading).</summary>
    public abstract string Markdown();

    /// <summary>The whole score as JSON: the figures, then what could not be joined and the notes.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("benchmark", Benchmark);
        writer.WriteString("rule", Rule);
        writer.WritePropertyName("scores");
        WriteFigures(writer);
        writer.WriteNumber("unanswered", Unanswered);
        writer.WriteStartArray("unjoined");
        foreach (string item in Unjoined)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("notes");
        foreach (string note in Notes)
        {
            writer.WriteStringValue(note);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A percentage with two decimals, as the papers print them.</summary>
    protected static string Percent(double share) => (share * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);

    protected static string Number(double value) => value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
}
