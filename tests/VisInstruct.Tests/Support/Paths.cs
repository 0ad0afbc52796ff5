namespace VisInstruct.Tests.Support;

/// <summary>
/// Where the test data is. Three places:
/// <list type="bullet">
/// <item><see cref="Data"/>: this project's own Data folder (copied next to the test assembly).</item>
/// <item><see cref="Fixture"/>: data taken from other projects, kept in the repository under <c>Data/reference</c>
/// with its provenance in <c>Data/reference/SOURCES.md</c>.</item>
/// <item><see cref="External"/>: other projects' prompt text, which the repository does not carry. It is read from
/// the folder that <c>VISINSTRUCT_REFERENCE</c> names (laid out like <c>Data/reference</c>); without it the test that
/// asks is skipped, with a reason that starts with <see cref="SkipReasonPrefix"/>.</item>
/// </list>
/// </summary>
internal static class Paths
{
    /// <summary>The environment variable that names the folder of external reference files.</summary>
    public const string ReferenceVariable = "VISINSTRUCT_REFERENCE";

    /// <summary>How every skip for want of <see cref="ReferenceVariable"/> begins (CI searches the results for it).</summary>
    public const string SkipReasonPrefix = "needs " + ReferenceVariable;

    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VisInstruct.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the checkout (VisInstruct.slnx) above " + AppContext.BaseDirectory);
    });

    /// <summary>The checkout's root folder.</summary>
    public static string Repository => Root.Value;

    /// <summary>A file under this project's Data folder (copied next to the test assembly).</summary>
    public static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Data", .. parts]);

    /// <summary>A file or folder of the in-repository reference fixtures (<c>Data/reference</c>).</summary>
    public static string Fixture(params string[] parts) => Data(["reference", .. parts]);

    /// <summary>The external reference folder, or null when <c>VISINSTRUCT_REFERENCE</c> is not set.</summary>
    public static string? ExternalRoot
    {
        get
        {
            string? value = Environment.GetEnvironmentVariable(ReferenceVariable);
            return string.IsNullOrWhiteSpace(value) ? null : Path.GetFullPath(value);
        }
    }

    /// <summary>Whether the external file or folder is there (no skip).</summary>
    public static bool HasExternal(params string[] parts) => ExternalRoot is { } root && Exists(Path.Combine([root, .. parts]));

    /// <summary>
    /// A file or folder under <c>VISINSTRUCT_REFERENCE</c>. When the variable is not set, or the file is not there,
    /// the running test stops here and is reported as skipped, with the reason.
    /// </summary>
    public static string External(params string[] parts)
    {
        string relative = string.Join('/', parts);
        string root = ExternalRoot
            ?? throw Skip($"{SkipReasonPrefix}: set it to a folder laid out like ../shared/reference that holds {relative} (from "
                + $"another project and not in this repository: see tests/VisInstruct.Tests/Data/reference/SOURCES.md)");
        string path = Path.Combine([root, .. parts]);
        return Exists(path) ? path : throw Skip($"{SkipReasonPrefix}: {relative} is not under {root}");
    }

    /// <summary>
    /// A reference file by its path in the reference layout: the in-repository fixture when there is one, otherwise
    /// the external file (skipping the test when it is not available). Prefer <see cref="Fixture"/> or
    /// <see cref="External"/>, which say which one a test needs.
    /// </summary>
    public static string Reference(params string[] parts)
    {
        string fixture = Fixture(parts);
        return Exists(fixture) ? fixture : External(parts);
    }

    /// <summary>Every StableLLaVA ability file in the reference fixtures.</summary>
    public static IEnumerable<string> AbilityFiles() =>
        Directory.EnumerateFiles(Fixture("stablellava", "dataset"), "*.json").Order(StringComparer.Ordinal);

    /// <summary>Ends the running test as skipped (xunit v3's dynamic skip); the return value only satisfies <c>throw</c>.</summary>
    private static InvalidOperationException Skip(string reason)
    {
        Assert.Skip(reason);
        return new InvalidOperationException("unreachable: Assert.Skip throws");
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
