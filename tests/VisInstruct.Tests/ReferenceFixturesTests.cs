using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

/// <summary>The in-repository reference fixtures and their provenance file agree.</summary>
public partial class ReferenceFixturesTests
{
    private static readonly string SourcesFile = Paths.Fixture("SOURCES.md");

    private static List<string> FixtureFiles() =>
        Directory.EnumerateFiles(Paths.Fixture(), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Paths.Fixture(), f).Replace('\\', '/'))
            .Where(f => f is not ("SOURCES.md" or ".gitattributes"))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void EveryFixtureFile_IsNamedInSources()
    {
        string sources = File.ReadAllText(SourcesFile);
        var files = FixtureFiles();
        Assert.True(files.Count >= 20, $"only {files.Count} fixture files under {Paths.Fixture()}");
        Assert.All(files, f => Assert.Contains(Path.GetFileName(f), sources, StringComparison.Ordinal));
    }

    [Fact]
    public void FilesCopiedWhole_HaveTheSourceBlobId()
    {
        // Rows "| file | source path | blob | notes |" under a "## folder/" heading: a copied file keeps its git blob id.
        string section = "";
        int checkedFiles = 0;
        foreach (string line in File.ReadLines(SourcesFile))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                string heading = line[3..].Split(' ')[0];
                section = heading.EndsWith('/') ? heading : "";
                continue;
            }

            string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (section.Length == 0 || cells.Length < 5 || !BlobId().IsMatch(cells[3]))
            {
                continue;
            }

            string path = Paths.Fixture([.. (section + cells[1]).Split('/')]);
            Assert.True(File.Exists(path), $"SOURCES.md lists {section}{cells[1]}, which is not there");
            Assert.Equal(cells[3], GitBlobId(File.ReadAllBytes(path)));
            checkedFiles++;
        }

        Assert.True(checkedFiles >= 7, $"only {checkedFiles} blob ids checked");
    }

    private static string GitBlobId(byte[] content)
    {
        byte[] header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
#pragma warning disable CA5350 // git names blobs by SHA-1; this checks an id, it protects nothing.
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
#pragma warning restore CA5350
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex BlobId();
}
