using System.Text;
using VisInstruct.Json;

namespace VisInstruct.Engine;

/// <summary>
/// What a finished work item contributes to the dataset: records for output files (written in key order when the
/// dataset is materialised), plus tags and counters for the statistics and the dataset card.
/// </summary>
public sealed class ItemResult
{
    private readonly List<ItemOutput> _outputs = [];

    public IReadOnlyList<ItemOutput> Outputs => _outputs;

    /// <summary>Labels of the item (<c>ability=color</c>, <c>task=referring_qa</c>) that the statistics group by.</summary>
    public SortedDictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>Quantities of the item (<c>questions=15</c>) that the statistics sum.</summary>
    public SortedDictionary<string, long> Counters { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a record to an output file (a path relative to the output folder: <c>llava.json</c>,
    /// <c>svit/conversation.json</c>).</summary>
    public ItemResult Add<T>(string file, T record, Action<PythonJsonWriter, T> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            write(writer, record);
        }

        _outputs.Add(new ItemOutput(file, buffer.ToArray()));
        return this;
    }

    /// <summary>Adds an already serialised record (compact JSON, UTF-8).</summary>
    public ItemResult AddRaw(string file, byte[] record)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        _outputs.Add(new ItemOutput(file, record));
        return this;
    }

    public ItemResult Tag(string name, string value)
    {
        Tags[name] = value;
        return this;
    }

    public ItemResult Count(string name, long value)
    {
        Counters[name] = Counters.GetValueOrDefault(name) + value;
        return this;
    }
}

/// <summary>One record for one output file, as compact UTF-8 JSON.</summary>
public sealed record ItemOutput(string File, byte[] Record)
{
    public override string ToString() => File + ": " + Encoding.UTF8.GetString(Record);
}
