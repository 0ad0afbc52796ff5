using Spectre.Console.Testing;
using VisInstruct.Backends.Llm;
using VisInstruct.Cli.Progress;
using VisInstruct.Engine;
using VisInstruct.EngineHost;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Engine;

public class ProgressViewTests
{
    private static RunProgress FinishedProgress()
    {
        var observer = new RecordingObserver();
        using var temp = new TempDir();
        EngineFixture.Run(new SyntheticRecipe { Items = 20, FailEvery = 10 }, EngineFixture.Options(temp.Path), observer);
        return observer.Progress!;
    }

    [Fact]
    public void Table_ShowsEachStageWithItsBackendAndCounts()
    {
        var console = new TestConsole().Width(160);
        console.Write(ProgressView.Render(FinishedProgress()));
        string output = console.Output;
        Assert.Contains("write", output, StringComparison.Ordinal);
        Assert.Contains("llm", output, StringComparison.Ordinal);
        Assert.Contains("18/20", output, StringComparison.Ordinal);
        Assert.Contains("done 18, failed 2, dropped 0 of 20", output, StringComparison.Ordinal);
        Assert.Contains("tokens", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_FitsTheWholeStatusOnOneLine()
    {
        string line = ProgressView.Line(FinishedProgress());
        Assert.DoesNotContain('\n', line);
        Assert.Matches(@"^\[\d\d:\d\d:\d\d\] write 18/20 render 18/20 assemble 18/20 \| done 18, failed 2", line);
        Assert.Contains("images 18", line, StringComparison.Ordinal);
    }

    [Fact]
    public void LinesMode_PrintsStatusLinesWhileRunning()
    {
        using var temp = new TempDir();
        var lines = new StringWriter();
        using var observer = new ConsoleRunObserver(ProgressMode.Lines, new TestConsole(), lines, TimeSpan.FromMilliseconds(50));
        EngineFixture.Run(new SyntheticRecipe { Items = 30, Latency = TimeSpan.FromMilliseconds(30) },
            EngineFixture.Options(temp.Path, concurrency: 2), observer);
        Assert.Contains("] write ", lines.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LocalTokenCounter_CountsWithTheO200kTokenizer()
    {
        Assert.Equal(0, LocalTokenCounter.Count(""));
        Assert.InRange(LocalTokenCounter.Count("Describe the image concisely."), 4, 8);
    }
}
