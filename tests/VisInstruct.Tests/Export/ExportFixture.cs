using System.Security.Cryptography;
using VisInstruct.Datasets;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Export;

/// <summary>A small generated dataset (every offline ability, multi-image samples included) that the export tests read.</summary>
public sealed class ExportFixture : IDisposable
{
    private readonly TempDir _temp = new();

    public ExportFixture()
    {
        Folder = _temp.File("dataset");
        var run = CliRunner.Run("generate", "--out", Folder, "--count", "2", "--seed", "5", "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        var source = DatasetSource.Open(Folder);
        Samples = [.. source.Read()];
        ImageFiles = Samples.ToDictionary(s => s.Id, s => (IReadOnlyList<string>)[.. s.ImagePaths.Select(p => source.ResolveImage(p)!)]);
    }

    public string Folder { get; }

    /// <summary>The source's samples in file order.</summary>
    internal List<DatasetSample> Samples { get; }

    /// <summary>Each sample's image files on disk, by id.</summary>
    internal Dictionary<string, IReadOnlyList<string>> ImageFiles { get; }

    /// <summary>The SHA-256 of each image of the sample, in order.</summary>
    internal List<string> Hashes(string id) => [.. ImageFiles[id].Select(f => Sha(File.ReadAllBytes(f)))];

    internal static string Sha(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    public void Dispose() => _temp.Dispose();
}
