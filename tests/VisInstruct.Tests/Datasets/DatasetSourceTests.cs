using VisInstruct.Datasets;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Datasets;

public class DatasetSourceTests
{
    private const string Turns =
        "\"conversations\": [{\"from\": \"human\", \"value\": \"<image>\\nQ?\"}, {\"from\": \"gpt\", \"value\": \"A.\"}]";

    [Fact]
    public void GeneratedFolder_ReadsBothTrainingFilesInOrder_WithImagesInsideIt()
    {
        using var temp = new TempDir();
        var run = CliRunner.Run("generate", "--out", temp.Path, "--count", "1", "--seed", "3", "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        var source = DatasetSource.Open(temp.Path);
        Assert.Equal("stablellava", source.Recipe);
        Assert.True(source.IsFolder);
        Assert.Equal(temp.Path, source.ImageRoot);
        Assert.NotNull(source.ManifestPath);
        Assert.NotNull(source.CardPath);
        var samples = source.Read().ToList();
        int single = JsonDocumentLength(temp.File("llava.json"));
        Assert.Equal(single + JsonDocumentLength(temp.File("llava_multi.json")), samples.Count);
        Assert.All(samples.Take(single), s => Assert.EndsWith("llava.json", s.File, StringComparison.Ordinal));
        Assert.All(samples.Skip(single), s => Assert.Equal(DialogueKind.MultiImage, s.Kind));
        Assert.All(samples, s => Assert.All(s.ImagePaths, p => Assert.True(File.Exists(source.ResolveImage(p)))));
        Assert.All(samples, s => Assert.Equal(s.Id[..s.Id.LastIndexOf('_')], s.Group));
    }

    private static int JsonDocumentLength(string path) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.GetArrayLength();

    [Fact]
    public void SvitFolderWithoutImageFolder_KnowsNoImageRoot_UntilGivenOne()
    {
        using var temp = new TempDir();
        temp.Write("svit/manifest.json", "{\"recipe\": \"svit\"}");
        temp.Write("svit/llava.json", "[{\"id\": \"7_referring_qa_0\", \"image\": \"vg/7.jpg\", " + Turns + "}]");
        var source = DatasetSource.Open(temp.File("svit"));
        Assert.Null(source.ImageRoot);
        Assert.Null(source.ResolveImage("vg/7.jpg"));
        Assert.Equal("referring_qa", Assert.Single(source.Read()).Group);
        var withRoot = DatasetSource.Open(temp.File("svit"), Directory.CreateDirectory(temp.File("data")).FullName);
        Assert.Equal(Path.Combine(temp.File("data"), "vg", "7.jpg"), withRoot.ResolveImage("vg/7.jpg"));
        Assert.Null(withRoot.ResolveImage("../outside.jpg"));
    }

    [Fact]
    public void JsonlFile_ResolvesBesideItself_AndStreamsEveryLine()
    {
        using var temp = new TempDir();
        string file = temp.Write("mix.jsonl", "{\"id\": \"a\", \"image\": \"coco/a.jpg\", " + Turns + "}\n"
            + "{\"id\": \"b\", \"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"}, {\"from\": \"gpt\", \"value\": \"Yo\"}]}\n");
        var source = DatasetSource.Open(file);
        Assert.False(source.IsFolder);
        Assert.Null(source.Recipe);
        var samples = source.Read().ToList();
        Assert.Equal(["a", "b"], samples.Select(s => s.Id));
        Assert.Equal([0L, 1L], samples.Select(s => s.Index));
        Assert.Equal(["coco", SampleGroups.TextOnly], samples.Select(s => s.Group));
        Assert.Equal(Path.Combine(temp.Path, "coco", "a.jpg"), source.ResolveImage("coco/a.jpg"));
    }

    [Theory]
    [InlineData("{\"image\": \"a.jpg\", " + Turns + "}", null, "missing field \"id\"")]
    [InlineData("{\"id\": \"x\"}", null, "missing field \"conversations\"")]
    [InlineData("{\"id\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": \"Q\"}, {\"from\": \"gpt\"}]}", "conversations[1]",
        "missing field \"value\"")]
    public void BadRecord_NamesFileLineAndField(string bad, string? field, string message)
    {
        using var temp = new TempDir();
        string file = temp.Write("t.jsonl", "{\"id\": \"ok\", \"image\": \"a.jpg\", " + Turns + "}\n\n" + bad + "\n");
        var source = DatasetSource.Open(file);
        var error = Assert.Throws<InputFormatException>(() => source.Read().ToList());
        Assert.Equal(file, error.File);
        Assert.Equal(3, error.Position?.Line);
        // A missing field cannot be pointed at inside the record: the message names it.
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NotADataset_IsBadInputNamingThePath()
    {
        using var temp = new TempDir();
        var error = Assert.Throws<InputFormatException>(() => DatasetSource.Open(temp.Path));
        Assert.Equal(temp.Path, error.File);
        Assert.Throws<InputFormatException>(() => DatasetSource.Open(temp.File("none.json")));
        Assert.Throws<InputFormatException>(() => DatasetSource.Open(temp.Write("a.json", "[]"), temp.File("no-such-folder")));
    }
}
