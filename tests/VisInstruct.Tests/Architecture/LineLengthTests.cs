namespace VisInstruct.Tests.Architecture;

/// <summary>No line of a source file over <see cref="MaxLength"/> characters (<c>max_line_length</c> in <c>.editorconfig</c>).</summary>
public class LineLengthTests
{
    private const int MaxLength = 140;

    [Fact]
    public void NoLineOverTheLimit()
    {
        var offenders = new List<string>();
        foreach (var (relative, lines) in SourceFiles.All())
        {
            for (int i = 0; i < lines.Length; i++)
            {
                int length = lines[i].EnumerateRunes().Count();
                if (length > MaxLength)
                {
                    offenders.Add($"{relative}:{i + 1} ({length} characters)");
                }
            }
        }

        Assert.True(offenders.Count == 0, $"lines over {MaxLength} characters: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void TheChecksSeeTheSources()
    {
        // The size and length checks pass vacuously if they find no files: they must see these.
        var seen = SourceFiles.All().Select(f => f.Relative).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("src/VisInstruct/Recipes/IRecipe.cs", seen);
        Assert.Contains("tests/VisInstruct.Tests/Architecture/LineLengthTests.cs", seen);
        Assert.Contains("bench/VisInstruct.Bench/LlmThroughputBench.cs", seen);
        Assert.DoesNotContain(seen, f => f.Contains("/obj/", StringComparison.Ordinal));
    }
}
