using System.Globalization;

namespace VisInstruct.Engine;

/// <summary>The run log (<c>run.log</c> in the output folder): one timestamped line per event, appended across runs.</summary>
internal sealed class RunLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    public RunLog(string path, TimeProvider time)
    {
        _time = time;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public void Write(string message)
    {
        lock (_gate)
        {
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {message}"));
        }
    }

    public void Dispose() => _writer.Dispose();
}
