using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Report;

/// <summary><c>visinstruct view</c> as a child process: its printed URL, raw requests to it, and a SIGTERM to stop it.</summary>
internal sealed class ViewProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ViewProcess(Process process) => _process = process;

    public static ViewProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ChildCli.CliPath());
        start.ArgumentList.Add("view");
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var view = new ViewProcess(Process.Start(start)!);
        view._process.OutputDataReceived += (_, e) => view.Append(e.Data);
        view._process.ErrorDataReceived += (_, e) => view.Append(e.Data);
        view._process.Exited += (_, _) => view._url.TrySetException(new InvalidOperationException("view ended: " + view.Output));
        view._process.EnableRaisingEvents = true;
        view._process.BeginOutputReadLine();
        view._process.BeginErrorReadLine();
        return view;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The URL it printed (<c>serving FOLDER at URL</c>).</summary>
    public async Task<string> UrlAsync() => await _url.Task.WaitAsync(TimeSpan.FromSeconds(120));

    /// <summary>Sends <paramref name="request"/> as it is (no client normalises the path) and returns the status line.</summary>
    public async Task<string> RawAsync(string request)
    {
        var uri = new Uri(await UrlAsync());
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", uri.Port);
        using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[512];
        int read = await stream.ReadAsync(buffer);
        string answer = Encoding.ASCII.GetString(buffer, 0, read);
        return answer.Split("\r\n")[0] + " ";
    }

    /// <summary>SIGTERM, then the exit code.</summary>
    public int Terminate()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!_process.WaitForExit(30_000))
        {
            throw new TimeoutException("view did not stop on SIGTERM: " + Output);
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string marker = " at http://";
        int at = line.IndexOf(marker, StringComparison.Ordinal);
        if (line.StartsWith("serving ", StringComparison.Ordinal) && at > 0)
        {
            _url.TrySetResult(line[(at + 4)..].Trim());
        }
    }
}
