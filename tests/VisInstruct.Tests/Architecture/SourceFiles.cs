using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Architecture;

/// <summary>The repository's C# sources (src/, tests/, bench/; no build output), for the checks on their shape.</summary>
internal static class SourceFiles
{
    /// <summary>Each file's path relative to the repository root (with <c>/</c>) and its lines.</summary>
    public static IEnumerable<(string Relative, string[] Lines)> All()
    {
        foreach (string folder in new[] { "src", "tests", "bench" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Paths.Repository, folder), "*.cs",
                SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(Paths.Repository, file).Replace('\\', '/');
                if (!relative.Contains("/obj/", StringComparison.Ordinal) && !relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    yield return (relative, File.ReadAllLines(file));
                }
            }
        }
    }
}
