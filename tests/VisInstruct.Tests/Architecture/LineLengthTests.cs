using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Architecture;

/// <summary>No line of a source file over <see cref="MaxLength"/> characters (<c>max_line_length</c> in <c>.editorconfig</c>).</summary>
public class LineLengthTests
{
    private const int MaxLength = 140;

    // Files another branch was editing while the rest were wrapped: they may still have long lines, and each must have one
    // (so that the list only shrinks): wrapped at the merge of wt-wrap; this list goes then.
    private static readonly string[] NotYetWrapped =
    [
        "src/VisInstruct.Cli/Commands/RenderCommand.cs",
        "src/VisInstruct.Cli/Commands/RunOptions.cs",
    ];

    [Fact]
    public void NoLineOverTheLimit()
    {
        var offenders = new List<string>();
        var stillLong = new HashSet<string>(StringComparer.Ordinal);
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
                    if (length <= MaxLength)
                    {
                        continue;
                    }

                    if (NotYetWrapped.Contains(relative, StringComparer.Ordinal))
                    {
                        stillLong.Add(relative);
                    }
                    else
                    {
                        offenders.Add($"{relative}:{i + 1} ({length} characters)");
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, $"lines over {MaxLength} characters: {string.Join(", ", offenders)}");
        string[] wrapped = NotYetWrapped.Where(f => !stillLong.Contains(f)).ToArray();
        Assert.True(wrapped.Length == 0,
            $"no line over {MaxLength} characters is left in {string.Join(", ", wrapped)}: take it off {nameof(NotYetWrapped)}");
    }
}
