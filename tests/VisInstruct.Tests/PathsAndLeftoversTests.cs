using System.Diagnostics;
using System.Globalization;
using System.Text;
using VisInstruct.IO;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

/// <summary>
/// Paths that lead outside what the user named, paths of the wrong kind, temporary files that killed runs left
/// behind, deep JSON and missing images: through the real command line (and real child processes for the signals).
/// </summary>
public class PathsAndLeftoversTests
{
    private static readonly string Images = Paths.Data("expand_to_square", "images");

    private static string RawSvit(int records, int firstId = 101) => "[" + string.Join(", ", Enumerable.Range(0, records).Select(i =>
        $"{{\"image_id\": {firstId + (i % 12)}, \"conversations\": [{{\"content\": [{{\"from\": \"user\", \"value\": \"Where is the "
            + $"<st>cat<ed> [0.1, 0.2, 0.3, 0.4] number {i}?\"}}, {{\"from\": \"gpt\", \"value\": \"On the mat [0.5, 0.5, 0.6, "
            + $"0.6].\"}}]}}]}}")) + "]";

    [Fact]
    public void ExpandToSquare_RefusesAnImageIdThatLeavesTheImageDir()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("images"));
        dir.Write("secret/2412112.jpg", File.ReadAllBytes(Path.Combine(Images, "101.jpg")));
        string input = dir.Write("in.json",
            "[{\"image_id\": 101, \"conversations\": []},\n {\"image_id\": \"../secret/2412112\", \"conversations\": []}]");
        var result = CliRunner.Run("expand-to-square", "--input-file", input, "--image-dir", dir.File("images"), "--output-file",
            dir.File("out.json"), "--allow-missing-images");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(input + ":2:", result.Error, StringComparison.Ordinal);
        Assert.Contains("record 1", result.Error, StringComparison.Ordinal);
        Assert.Contains("field image_id", result.Error, StringComparison.Ordinal);
        Assert.Contains("not a plain file name", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.json")));
    }

    [Theory]
    [InlineData("expand-to-square")]
    [InlineData("convert svit")]
    public void AFileAsImageDir_AndAFolderAsOutputFile_AreBadUsage(string command)
    {
        using var dir = new TempDir();
        string input = dir.Write("in.json", RawSvit(1));
        string[] head = command.Split(' ');
        var fileAsDir = CliRunner.Run([.. head, "--input-file", input, "--image-dir", input, "--output-file", dir.File("out.json")]);
        Assert.Equal(2, fileAsDir.ExitCode);
        Assert.Contains($"--image-dir {input} is a file", fileAsDir.Error, StringComparison.Ordinal);

        Directory.CreateDirectory(dir.File("taken"));
        var dirAsFile = CliRunner.Run([.. head, "--input-file", input, "--image-dir", Images, "--output-file", dir.File("taken")]);
        Assert.Equal(2, dirAsFile.ExitCode);
        Assert.Contains($"--output-file {dir.File("taken")} is a folder", dirAsFile.Error, StringComparison.Ordinal);

        var folderAsInput =
            CliRunner.Run([.. head, "--input-file", dir.File("taken"), "--image-dir", Images, "--output-file", dir.File("out.json")]);
        Assert.Equal(2, folderAsInput.ExitCode);
        Assert.Contains(dir.File("taken") + ": this is a folder", folderAsInput.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Access to the path", folderAsInput.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.json")));
    }

    [Theory]
    [InlineData("expand-to-square")]
    [InlineData("convert svit")]
    public void MissingAndCorruptImages_AreToldApart_AndFailTheRunUnlessAllowed(string command)
    {
        using var dir = new TempDir();
        string images = dir.File("images");
        Directory.CreateDirectory(images);
        File.Copy(Path.Combine(Images, "101.jpg"), Path.Combine(images, "101.jpg"));
        File.WriteAllBytes(Path.Combine(images, "102.jpg"), Encoding.ASCII.GetBytes("not a jpeg at all"));
        string input = dir.Write("in.json", RawSvit(3));
        string output = dir.Write("out.json", "what the user had");
        string[] head = command.Split(' ');

        var strict = CliRunner.Run([.. head, "--input-file", input, "--image-dir", images, "--output-file", output]);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("error: 1 images not found", strict.Error, StringComparison.Ordinal);
        Assert.Contains("103", strict.Error, StringComparison.Ordinal);
        Assert.Contains("error: 1 image files are there but unreadable", strict.Error, StringComparison.Ordinal);
        Assert.Contains("--allow-missing-images", strict.Error, StringComparison.Ordinal);
        Assert.Equal("what the user had", File.ReadAllText(output));
        Assert.Equal(["images/101.jpg", "images/102.jpg", "in.json", "out.json"], dir.Files());

        var allowed =
            CliRunner.Run([.. head, "--input-file", input, "--image-dir", images, "--output-file", output, "--allow-missing-images"]);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("warning: 1 images not found", allowed.Error, StringComparison.Ordinal);
        Assert.Contains("warning: 1 image files are there but unreadable", allowed.Error, StringComparison.Ordinal);
        Assert.Contains("number 2", File.ReadAllText(output), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithABadEntryLaterInTheFile_CreatesNothing()
    {
        using var dir = new TempDir();
        string prompts = dir.Write("dataset/color.json",
            "[{\"id\": \"0\", \"image\": \"color/0.jpg\", \"prompt\": \"p\", \"question\": \"q\", \"answer\": \"a\"},\n {\"id\": \"1\", "
                + "\"image\": \"color/1.jpg\"}]");
        var result = CliRunner.Run("render", "--prompt-path", prompts, "--save-path", dir.File("save"), "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(prompts + ":2:", result.Error, StringComparison.Ordinal);
        Assert.Contains("missing field \"prompt\"", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("save")), "the save path is not created for bad input");
    }

    [Fact]
    public void DeepJson_IsReadToAThousandLevels_AndLocatedBeyond()
    {
        using var dir = new TempDir();
        string Sample(int depth) => "[{\"id\": \"0\", \"image\": \"0.jpg\", \"conversations\": [{\"from\": \"human\", \"value\": "
            + "\"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"a\"}],\n \"extra\": "
            + new string('[', depth) + "1" + new string(']', depth) + "}]";
        var fine = CliRunner.Run("lint", dir.Write("deep.json", Sample(900)));
        Assert.Equal(0, fine.ExitCode);

        string tooDeep = dir.Write("deeper.json", Sample(1100));
        var refused = CliRunner.Run("lint", tooDeep);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains(tooDeep + ":2:", refused.Error, StringComparison.Ordinal);
        Assert.Contains("nested deeper than 1000 levels at line 2, column", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid JSON", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void StaleTempFiles_OfDeadOrOldWriters_AreRemovedOnTheNextRun()
    {
        using var dir = new TempDir();
        string input = dir.Write("in.json", RawSvit(2));
        int dead = DeadPid();
        string host = Path.GetFileName(StagedOutput.TempName("x"))[".x.tmp-".Length..].Split('-')[0];
        string deadOne = dir.Write($".out.json.tmp-{host}-{dead}-aaaaaaaa.bbb", "half");
        string deadOldFormat = dir.Write($".out.json.tmp-{dead}-cccccccc.ddd", "half");
        string alive = dir.Write($".out.json.tmp-{host}-1-eeeeeeee.fff", "a live writer's");
        string aliveButOld = dir.Write($".out.json.tmp-{host}-1-gggggggg.hhh", "old");
        File.SetLastWriteTimeUtc(aliveButOld, DateTime.UtcNow - StagedOutput.StaleAfter - TimeSpan.FromMinutes(1));
        // This process's id, but written before this process started: a reused id (a container restarted as PID 1).
        string reusedPid = dir.Write($".out.json.tmp-{host}-{Environment.ProcessId}-mmmmmmmm.nnn", "a previous life's");
        File.SetLastWriteTimeUtc(reusedPid, Process.GetCurrentProcess().StartTime.ToUniversalTime() - TimeSpan.FromMinutes(5));
        string otherHost = dir.Write($".out.json.tmp-elsewhere-{dead}-iiiiiiii.jjj", "another host's");
        string otherFile = dir.Write($".other.json.tmp-{host}-{dead}-kkkkkkkk.lll", "not this output's");

        var result = CliRunner.Run("expand-to-square", "--input-file", input, "--image-dir", Images, "--output-file", dir.File("out.json"));
        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(deadOne));
        Assert.False(File.Exists(deadOldFormat));
        Assert.False(File.Exists(aliveButOld));
        Assert.False(File.Exists(reusedPid));
        Assert.True(File.Exists(alive), "a live process's temporary file is kept");
        Assert.True(File.Exists(otherHost), "another host's recent temporary file is kept");
        Assert.True(File.Exists(otherFile), "only the temporary files of the same output are looked at");
    }

    [Fact]
    public void SigkilledConversion_LeavesATempFile_ThatTheNextRunRemoves()
    {
        using var dir = new TempDir();
        string input = dir.Write("big.json", RawSvit(150_000));
        string output = dir.File("out.json");
        using (var child = StartCli("expand-to-square", "--input-file", input, "--image-dir", Images, "--output-file", output))
        {
            string? temp = WaitForTemp(dir.Path, child);
            Assert.NotNull(temp);
            child.Kill();
            Assert.True(child.WaitForExit(30_000));
            Assert.True(File.Exists(temp), "SIGKILL leaves the temporary file (nothing can run in the killed process)");
        }

        var again = CliRunner.Run("expand-to-square", "--input-file", dir.Write("small.json", RawSvit(2)), "--image-dir", Images,
            "--output-file", output);
        Assert.Equal(0, again.ExitCode);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, ".out.json.tmp-*"));
        Assert.True(File.Exists(output));
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void InterruptedConversion_RemovesItsTempFile_AndKeepsTheOldOutput(string signal, int exitCode)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("sends POSIX signals with kill(1)");
        }

        using var dir = new TempDir();
        string input = dir.Write("big.json", RawSvit(150_000));
        string output = dir.Write("out.json", "what the user had");
        using var child = StartCli("expand-to-square", "--input-file", input, "--image-dir", Images, "--output-file", output);
        Assert.NotNull(WaitForTemp(dir.Path, child));
        using (var kill = Process.Start("kill", ["-" + signal, child.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        Assert.True(child.WaitForExit(60_000), "the conversion did not stop");
        Assert.Equal(exitCode, child.ExitCode);
        Assert.Contains("interrupted", child.StandardError.ReadToEnd(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, ".out.json.tmp-*"));
        Assert.Equal("what the user had", File.ReadAllText(output));
    }

    private static Process StartCli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VisInstruct.Cli.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static string? WaitForTemp(string directory, Process child)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !child.HasExited)
        {
            if (Directory.EnumerateFiles(directory, ".out.json.tmp-*").FirstOrDefault() is { } temp && new FileInfo(temp).Length > 0)
            {
                return temp;
            }

            Thread.Sleep(5);
        }

        return null;
    }

    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
