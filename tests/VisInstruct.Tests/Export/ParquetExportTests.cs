using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using VisInstruct.Export;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Export;

/// <summary>The Parquet export read back with Parquet.Net's reader: schema, rows, image bytes, Hugging Face metadata, shards.</summary>
public class ParquetExportTests(ExportFixture data) : IClassFixture<ExportFixture>
{
    private static void Export(params string[] args)
    {
        var run = CliRunner.Run(["export", .. args]);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
    }

    private static async Task<List<Dictionary<string, object>>> Rows(string path)
    {
        await using var stream = File.OpenRead(path);
        var result = await ParquetSerializer.DeserializeUntypedAsync(stream, cancellationToken: TestContext.Current.CancellationToken);
        return [.. result.Data.Select(r => r.ToDictionary(kv => kv.Key, kv => kv.Value))];
    }

    [Fact]
    public async Task Rows_HoldIdsTurnsAndTheImageBytes()
    {
        using var temp = new TempDir();
        string output = temp.File("train.parquet");
        Export(data.Folder, "--format", "parquet", "--out", output);
        var rows = (await ParquetSerializer.DeserializeAsync<ParquetConversationRow>(output,
            cancellationToken: TestContext.Current.CancellationToken)).Data;
        Assert.Equal(data.Samples.Select(s => s.Id), rows.Select(r => r.Id));
        for (int i = 0; i < rows.Count; i++)
        {
            var source = data.Samples[i];
            Assert.Equal(source.Sample.Conversations.Select(t => (t.From, t.Value)),
                rows[i].Conversations.Select(t => (t.From!, t.Value!)));
            Assert.Equal(source.ImagePaths, rows[i].Images.Select(m => m.Path));
            Assert.Equal(data.Hashes(source.Id), rows[i].Images.Select(m => ExportFixture.Sha(m.Bytes!)));
        }

        var untyped = await Rows(output);
        Assert.Equal(["conversations", "id", "images"], untyped[0].Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Schema_IsTheHuggingFaceLayout_AndTheMetadataNamesTheImageFeature()
    {
        using var temp = new TempDir();
        string output = temp.File("train.parquet");
        Export(data.Folder, "--format", "parquet", "--out", output, "--roles", "openai");
        await using var reader = await ParquetReader.CreateAsync(output, cancellationToken: TestContext.Current.CancellationToken);
        var paths = reader.Schema.GetDataFields().Select(f => f.Path.ToString()).ToList();
        Assert.Equal(["id", "images/list/element/bytes", "images/list/element/path", "messages/list/element/role",
            "messages/list/element/content"], paths);
        var images = Assert.IsType<ListField>(reader.Schema.Fields.Single(f => f.Name == "images"));
        var image = Assert.IsType<StructField>(images.Item);
        Assert.Equal(["bytes", "path"], image.Fields.Select(f => f.Name));
        // Plain binary for the bytes, UTF-8 text for the path (Parquet.Net reads them as bytes and as chars).
        Assert.Equal(typeof(ReadOnlyMemory<byte>), ((DataField)image.Fields[0]).ClrType);
        Assert.Equal(typeof(ReadOnlyMemory<char>), ((DataField)image.Fields[1]).ClrType);

        using var metadata = JsonDocument.Parse(reader.CustomMetadata["huggingface"]);
        var features = metadata.RootElement.GetProperty("info").GetProperty("features");
        Assert.Equal("Sequence", features.GetProperty("images").GetProperty("_type").GetString());
        Assert.Equal("Image", features.GetProperty("images").GetProperty("feature").GetProperty("_type").GetString());
        Assert.Equal("string", features.GetProperty("id").GetProperty("dtype").GetString());
        var turn = features.GetProperty("messages")[0];
        Assert.Equal("Value", turn.GetProperty("role").GetProperty("_type").GetString());
        Assert.Equal("Value", turn.GetProperty("content").GetProperty("_type").GetString());

        var rows = (await ParquetSerializer.DeserializeAsync<ParquetMessagesRow>(output,
            cancellationToken: TestContext.Current.CancellationToken)).Data;
        Assert.Equal(data.Samples.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(["user", "assistant"], r.Messages.Take(2).Select(m => m.Role)));
    }

    [Fact]
    public async Task Sharding_WritesNumberedShardsBesideTheFile_WithEveryRowOnce()
    {
        using var temp = new TempDir();
        // A file from an earlier, unsharded export of the same name is replaced by the shards.
        temp.Write("out/train.parquet", "old");
        temp.Write("out/keep.txt", "mine");
        Export(data.Folder, "--format", "parquet", "--out", temp.File("out", "train.parquet"), "--shard-size", "300KB");
        var files = Directory.GetFiles(temp.File("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var shards = files.Where(f => f!.EndsWith(".parquet", StringComparison.Ordinal)).ToList();
        Assert.True(shards.Count > 1);
        Assert.Equal(shards.Select((_, i) => $"train-{i:D5}-of-{shards.Count:D5}.parquet"), shards);
        Assert.Contains("keep.txt", files);
        Assert.Contains("train.refused.jsonl", files);
        Assert.Equal(shards.Count + 2, files.Count);
        var ids = new List<string>();
        foreach (string shard in shards!)
        {
            string path = temp.File("out", shard!);
            await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(reader.CustomMetadata.ContainsKey("huggingface"));
            ids.AddRange((await ParquetSerializer.DeserializeAsync<ParquetConversationRow>(path,
                cancellationToken: TestContext.Current.CancellationToken)).Data.Select(r => r.Id!));
        }

        Assert.Equal(data.Samples.Select(s => s.Id), ids);
    }

    [Fact]
    public void HuggingFaceMetadata_ParsesAsJson_WithConversationStructs()
    {
        using var metadata = JsonDocument.Parse(ParquetSink.HuggingFaceMetadata(openAiRoles: false));
        var turn = metadata.RootElement.GetProperty("info").GetProperty("features").GetProperty("conversations")[0];
        Assert.Equal(["from", "value"], turn.EnumerateObject().Select(p => p.Name));
    }
}
