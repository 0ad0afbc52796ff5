namespace VisInstruct.Json;

/// <summary>
/// Writes records one at a time as a JSON array (Python <c>json.dump(list)</c> layout) or as JSON Lines, never holding
/// more than one record.
/// </summary>
public sealed class RecordFileWriter<T> : IDisposable
{
    private readonly PythonJsonWriter _writer;
    private readonly Action<PythonJsonWriter, T> _write;
    private readonly JsonRecordLayout _layout;
    private bool _completed;

    public RecordFileWriter(Stream stream, JsonRecordLayout layout, JsonStyle style, Action<PythonJsonWriter, T> write,
        bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(style);
        if (layout is not (JsonRecordLayout.Array or JsonRecordLayout.Lines))
        {
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "records are written as a JSON array or as JSON Lines");
        }

        _layout = layout;
        _write = write;
        // A JSON Lines record must stay on one line whatever the style asks.
        _writer = new PythonJsonWriter(stream, layout == JsonRecordLayout.Lines ? style with { Indent = null } : style, leaveOpen);
        if (layout == JsonRecordLayout.Array)
        {
            _writer.WriteStartArray();
        }
    }

    public long Count { get; private set; }

    public long BytesWritten => _writer.BytesWritten;

    public void Write(T record)
    {
        _write(_writer, record);
        if (_layout == JsonRecordLayout.Lines)
        {
            _writer.WriteNewLine();
        }

        Count++;
    }

    /// <summary>Closes the array (if any) and flushes. Without it the file is not valid JSON.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_layout == JsonRecordLayout.Array)
        {
            _writer.WriteEndArray();
        }

        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();
}
