using VisInstruct.Cli;
using VisInstruct.Cli.Commands;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

/// <summary>No command ends in an unhandled exception: an unexpected failure is one line, a log file and exit 70.</summary>
public class CliInternalErrorTests
{
    /// <summary>A command that fails the way a bug does, beside the real ones.</summary>
    private static System.CommandLine.RootCommand WithAFaultyCommand(TextWriter output, TextWriter error)
    {
        var root = VisInstructCli.BuildRoot(output, error);
        var faulty = new System.CommandLine.Command("faulty", "fails as a bug would");
        var outOption = new System.CommandLine.Option<string>("--out");
        faulty.Add(outOption);
        faulty.SetAction(_ =>
            ((Func<int>)(() => throw new InvalidOperationException("the sample index went past the plan\nsecond line")))());
        root.Add(faulty);
        return root;
    }

    [Fact]
    public async Task AnUnexpectedException_IsOneLineNamingTheFailureAndTheLog_Exit70()
    {
        using var temp = new TempDir();
        string output = temp.File("out");
        Directory.CreateDirectory(output);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exit = await VisInstructCli.RunAsync(WithAFaultyCommand(stdout, stderr), ["faulty", "--out", output], stdout, stderr);

        Assert.Equal(ExitCodes.InternalError, exit);
        Assert.Equal(70, ExitCodes.InternalError);
        string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("internal error: visinstruct faulty failed: InvalidOperationException: the sample index went past the plan "
            + "second line (details: ", line, StringComparison.Ordinal);
        string log = Assert.Single(Directory.GetFiles(Path.Combine(output, "logs"), "visinstruct-*.log"));
        Assert.Contains("(details: " + log + ")", line, StringComparison.Ordinal);
        string details = File.ReadAllText(log);
        Assert.Contains("arguments: faulty --out ", details, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: the sample index went past the plan", details, StringComparison.Ordinal);
        Assert.Contains("   at ", details, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(output, "logs"), "*.tmp"));
    }

    [Fact]
    public void DamagedRunState_IsBadInputNamingTheFile_NotAStackTrace()
    {
        using var temp = new TempDir();
        string output = temp.File("out");
        Directory.CreateDirectory(Path.Combine(output, ".visinstruct"));
        // Not a SQLite database: what a disk fault or a stray copy leaves.
        File.WriteAllBytes(Path.Combine(output, ".visinstruct", "state.db"),
            Enumerable.Range(0, 8192).Select(i => (byte)(i * 37)).ToArray());

        var result = CliRunner.Run("generate", "--out", output, "--count", "2", "--quiet");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("state.db", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnOutputFolder_TheLogGoesToTheStateFolder()
    {
        using var temp = new TempDir();
        string before = Environment.GetEnvironmentVariable("XDG_STATE_HOME") ?? "";
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", temp.File("state"));
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            // --out names a folder that does not exist, so the log cannot go there.
            int exit = await VisInstructCli.RunAsync(WithAFaultyCommand(stdout, stderr), ["faulty", "--out", temp.File("missing")], stdout,
                stderr);

            Assert.Equal(ExitCodes.InternalError, exit);
            string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            string log = Assert.Single(Directory.GetFiles(temp.File("state", "visinstruct", "logs"), "visinstruct-*.log"));
            Assert.Contains("(details: " + log + ")", line, StringComparison.Ordinal);
            Assert.Contains("   at ", File.ReadAllText(log), StringComparison.Ordinal);
            Assert.False(Directory.Exists(temp.File("missing")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_STATE_HOME", before.Length == 0 ? null : before);
        }
    }

    [Fact]
    public void KnownBadInput_KeepsExit2AndItsMessage()
    {
        using var temp = new TempDir();
        string config = temp.Write("run.yaml", "stablellava:\n  lane_size: [1, 2]\n");
        var result = CliRunner.Run("generate", "--out", temp.File("out"), "--config", config, "--quiet");
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("run.yaml", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("out", "logs")));
    }
}
