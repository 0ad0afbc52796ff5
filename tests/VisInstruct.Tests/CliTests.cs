using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class CliTests
{
    [Fact]
    public void Help_ListsTheCommands()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string command in new[] { "convert", "expand-to-square", "lint" })
        {
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UnknownOption_IsBadUsage()
    {
        var result = CliRunner.Run("lint", "x.json", "--no-such-option");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error, StringComparison.Ordinal);
        Assert.Contains("visinstruct lint --help", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredOption_IsBadUsage()
    {
        var result = CliRunner.Run("convert", "svit", "--input-file", "a.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--output-file", result.Error, StringComparison.Ordinal);
        Assert.Contains("visinstruct convert svit --help", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingInputFile_IsBadInput()
    {
        var result = CliRunner.Run("lint", "/no/such/file.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/no/such/file.json: file not found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void OriginalScriptOptionNames_AreAccepted()
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("convert", "stablellava", "--prompt_path", Paths.Fixture("stablellava", "dataset", "color.json"),
            "--image_path", "train_set/", "--save_path", temp.File("c.json"));
        Assert.Equal(0, result.ExitCode);
    }
}
