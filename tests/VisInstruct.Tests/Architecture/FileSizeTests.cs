namespace VisInstruct.Tests.Architecture;

/// <summary>No source file over <see cref="MaxLines"/> lines, unless its first lines say why it is one piece.</summary>
public class FileSizeTests
{
    private const int MaxLines = 450;

    [Fact]
    public void NoLongFileWithoutASizeComment()
    {
        var offenders = new List<string>();
        foreach (var (relative, lines) in SourceFiles.All())
        {
            if (lines.Length > MaxLines && !HasSizeComment(lines))
            {
                offenders.Add($"{relative} ({lines.Length} lines)");
            }
        }

        Assert.True(offenders.Count == 0,
            $"over {MaxLines} lines without a \"// Size: <why it is one piece>\" comment in the first 5 lines: " +
                $"{string.Join(", ", offenders)}");
    }

    [Theory]
    [InlineData("// Size: one state machine", true)]
    [InlineData("namespace X;\n// Size: the tables of one format", true)]
    [InlineData("namespace X;\n\n\n\n\n// Size: too late", false)]
    [InlineData("// size is not the marker", false)]
    public void SizeCommentIsInTheFirstFiveLines(string head, bool expected) => Assert.Equal(expected, HasSizeComment(head.Split('\n')));

    private static bool HasSizeComment(string[] lines) =>
        lines.Take(5).Any(l => l.TrimStart().StartsWith("// Size:", StringComparison.Ordinal));
}
