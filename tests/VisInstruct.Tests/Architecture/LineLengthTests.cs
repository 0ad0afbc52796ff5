using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Architecture;

/// <summary>No line of a source file over <see cref="MaxLength"/> characters (<c>max_line_length</c> in <c>.editorconfig</c>).</summary>
public class LineLengthTests
{
    private const int MaxLength = 140;

    [Fact]
    public void NoLineOverTheLimit()
    {
        var offenders = new List<string>();
        foreach (string folder in new[] { "src", "tests", "bench" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Paths.Repository, folder), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(Paths.Repository, file).Replace('\\', '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    int length = lines[i].EnumerateRunes().Count();
                    if (length > MaxLength)
                    {
                        offenders.Add($"{relative}:{i + 1} ({length} characters)");
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, $"lines over {MaxLength} characters: {string.Join(", ", offenders)}");
    }
}
