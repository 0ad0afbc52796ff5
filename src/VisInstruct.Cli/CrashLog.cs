using System.Globalization;
using System.Text;

namespace VisInstruct.Cli;

/// <summary>
/// Where an unexpected error's details go: <c>OUT/logs/visinstruct-TIMESTAMP.log</c> when the command has an output
/// folder that exists (<c>--out</c>, <c>--save-path</c>), else the user's state folder
/// (<c>$XDG_STATE_HOME/visinstruct/logs</c>, by default <c>~/.local/state/visinstruct/logs</c>), else the temp folder.
/// </summary>
internal static class CrashLog
{
    private static readonly string[] OutputOptions = ["--out", "--save-path", "--save_path"];

    /// <summary>Writes the details (command line, exception with its stack trace) and returns the file's path.</summary>
    public static string Write(IReadOnlyList<string> args, string command, Exception exception)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"visinstruct {ToolInfoVersion()} {command}: internal error at {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}\n");
        text.Append(CultureInfo.InvariantCulture, $"arguments: {string.Join(' ', args.Select(Quote))}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} on " +
                $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}\n\n");
        text.Append(exception).Append('\n');
        string name = string.Create(CultureInfo.InvariantCulture,
            $"visinstruct-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        foreach (string folder in Folders(args))
        {
            try
            {
                Directory.CreateDirectory(folder);
                string path = Path.Combine(folder, name);
                string temp = path + ".tmp";
                File.WriteAllText(temp, text.ToString());
                File.Move(temp, path, overwrite: true);
                return path;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                // Try the next place.
            }
        }

        return "(no log written: no writable folder)";
    }

    private static IEnumerable<string> Folders(IReadOnlyList<string> args)
    {
        for (int i = 0; i + 1 < args.Count; i++)
        {
            if (OutputOptions.Contains(args[i], StringComparer.Ordinal) && Directory.Exists(args[i + 1]))
            {
                yield return Path.Combine(Path.GetFullPath(args[i + 1]), "logs");
            }
        }

        foreach (string arg in args)
        {
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && OutputOptions.Contains(arg[..eq], StringComparer.Ordinal) && Directory.Exists(arg[(eq + 1)..]))
            {
                yield return Path.Combine(Path.GetFullPath(arg[(eq + 1)..]), "logs");
            }
        }

        string? state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(state))
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            state = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".local", "state");
        }

        if (state is not null)
        {
            yield return Path.Combine(state, "visinstruct", "logs");
        }

        yield return Path.Combine(Path.GetTempPath(), "visinstruct", "logs");
    }

    private static string Quote(string arg) => arg.Length > 0
        && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:,".Contains(c, StringComparison.Ordinal)) ? arg : "'"
        + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string ToolInfoVersion() => VisInstruct.Engine.ToolInfo.Version;
}
