using System.Globalization;
using System.Text;

namespace VisInstruct.Json;

/// <summary>
/// Bad input: names the file, the position (1-based line and byte column, 0-based byte offset), the record and the
/// field, so that a user can open the file at the right place.
/// </summary>
public sealed class InputFormatException : Exception
{
    public InputFormatException(string file, string message, SourcePosition? position = null, string? field = null,
        long? recordIndex = null, string? recordId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        File = file;
        Position = position;
        Field = field;
        RecordIndex = recordIndex;
        RecordId = recordId;
    }

    /// <summary>The file, as the user named it.</summary>
    public string File { get; }

    public SourcePosition? Position { get; }

    /// <summary>The field, as a JSON path inside the record (<c>conversations[1].value</c>), or null for the whole record.</summary>
    public string? Field { get; }

    /// <summary>0-based index of the record in the file (array element or JSONL line), when known.</summary>
    public long? RecordIndex { get; }

    /// <summary>The record's id, when it has one that could be read.</summary>
    public string? RecordId { get; }

    /// <summary>The message alone, without location (the location is in the other properties).</summary>
    public string Reason => base.Message;

    /// <summary>One line: <c>file:line:column: record 3 (id "x"), field image: reason (byte offset N)</c>.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(File);
        if (Position is { } p)
        {
            sb.Append(CultureInfo.InvariantCulture, $":{p.Line}:{p.Column}");
        }

        sb.Append(": ");
        var where = new List<string>();
        if (RecordIndex is { } index)
        {
            where.Add(RecordId is null
                ? string.Create(CultureInfo.InvariantCulture, $"record {index}")
                : string.Create(CultureInfo.InvariantCulture, $"record {index} (id \"{RecordId}\")"));
        }

        if (!string.IsNullOrEmpty(Field))
        {
            where.Add($"field {Field}");
        }

        if (where.Count > 0)
        {
            sb.Append(string.Join(", ", where)).Append(": ");
        }

        sb.Append(Reason);
        if (Position is { } q)
        {
            sb.Append(CultureInfo.InvariantCulture, $" (byte offset {q.ByteOffset})");
        }

        return sb.ToString();
    }

    public override string ToString() => Describe();
}
