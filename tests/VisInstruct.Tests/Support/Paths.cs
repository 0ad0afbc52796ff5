namespace VisInstruct.Tests.Support;

/// <summary>Where the test data is: this project's Data folder and the shared reference fixtures beside the checkout.</summary>
internal static class Paths
{
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

    /// <summary>A file under <c>../shared/reference</c>.</summary>
    public static string Reference(params string[] parts) =>
        Path.Combine([Path.GetFullPath(Path.Combine(Repository, "..", "shared", "reference")), .. parts]);

    /// <summary>A file under this project's Data folder (copied next to the test assembly).</summary>
    public static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Data", .. parts]);

    /// <summary>Every StableLLaVA ability file in the reference fixtures.</summary>
    public static IEnumerable<string> AbilityFiles() =>
        Directory.EnumerateFiles(Reference("stablellava", "dataset"), "*.json").Order(StringComparer.Ordinal);
}
