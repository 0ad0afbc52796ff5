using System.Formats.Tar;
using System.Text.Json;
using VisInstruct.Datasets;
using VisInstruct.Formats;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Export;

/// <summary>Each format exported from a generated dataset and read back with a reader of its own (System.Text.Json, TarReader).</summary>
public class ExportRoundTripTests(ExportFixture data) : IClassFixture<ExportFixture>
{
    private static CliRunner.Result Export(params string[] args)
    {
        var run = CliRunner.Run(["export", .. args]);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        return run;
    }

    [Fact]
    public void Fixture_HasSingleAndMultiImageSamples()
    {
        Assert.Contains(data.Samples, s => s.Kind == DialogueKind.MultiImage);
        Assert.Contains(data.Samples, s => s.Kind != DialogueKind.MultiImage);
    }

    [Fact]
    public void ShareGpt_KeepsTurnsTokensAndAbsoluteImages()
    {
        using var temp = new TempDir();
        string output = temp.File("lf");
        Export(data.Folder, "--format", "sharegpt", "--out", output, "--name", "mine");
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "mine.json")));
        var records = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(data.Samples.Count, records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            var sample = data.Samples[i];
            var messages = records[i].GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(sample.Sample.Conversations.Count, messages.Count);
            for (int t = 0; t < messages.Count; t++)
            {
                var turn = sample.Sample.Conversations[t];
                Assert.Equal(turn.From == LlavaTurn.Human ? "user" : "assistant", messages[t].GetProperty("role").GetString());
                Assert.Equal(turn.Value, messages[t].GetProperty("content").GetString());
            }

            var images = records[i].GetProperty("images").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.All(images, p => Assert.True(Path.IsPathRooted(p)));
            Assert.Equal(data.Hashes(sample.Id), images.Select(p => ExportFixture.Sha(File.ReadAllBytes(p))));
        }

        using var info = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "dataset_info.json")));
        var entry = info.RootElement.GetProperty("mine");
        Assert.Equal("mine.json", entry.GetProperty("file_name").GetString());
        Assert.Equal("sharegpt", entry.GetProperty("formatting").GetString());
        Assert.Equal("images", entry.GetProperty("columns").GetProperty("images").GetString());
        Assert.Equal("assistant", entry.GetProperty("tags").GetProperty("assistant_tag").GetString());
        Assert.Equal("", File.ReadAllText(Path.Combine(output, "refused.jsonl")));
    }

    [Fact]
    public void ShareGpt_CopiedImagesResolveAgainstTheDatasetDir_AndOtherEntriesAreKept()
    {
        using var temp = new TempDir();
        string output = temp.File("lf");
        temp.Write("lf/dataset_info.json", "{\"alpaca_en\": {\"file_name\": \"alpaca.json\"}, \"mine\": {\"file_name\": \"old.json\"}}");
        Export(data.Folder, "--format", "sharegpt", "--out", output, "--name", "mine", "--images", "copy");
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "mine.json")));
        var records = document.RootElement.EnumerateArray().ToList();
        for (int i = 0; i < records.Count; i++)
        {
            // LLaMA-Factory: os.path.join(media_dir, path), media_dir defaulting to dataset_dir.
            var images = records[i].GetProperty("images").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.All(images, p => Assert.False(Path.IsPathRooted(p)));
            Assert.Equal(data.Hashes(data.Samples[i].Id),
                images.Select(p => ExportFixture.Sha(File.ReadAllBytes(Path.Combine(output, p)))));
        }

        using var info = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "dataset_info.json")));
        Assert.Equal("alpaca.json", info.RootElement.GetProperty("alpaca_en").GetProperty("file_name").GetString());
        Assert.Equal("mine.json", info.RootElement.GetProperty("mine").GetProperty("file_name").GetString());
        Assert.DoesNotContain(Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories),
            f => f.Contains(".tmp-", StringComparison.Ordinal));
    }

    [Fact]
    public void ShareGpt_DamagedDatasetInfo_IsBadInputNamingIt()
    {
        using var temp = new TempDir();
        string info = temp.Write("lf/dataset_info.json", "{\"a\": ");
        var run = CliRunner.Run("export", data.Folder, "--format", "sharegpt", "--out", temp.File("lf"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(info, run.Error, StringComparison.Ordinal);
        Assert.Equal("{\"a\": ", File.ReadAllText(info));
    }

    [Fact]
    public void WebDataset_MembersGroupByKey_JsonHoldsTheRealId_AndImageBytesMatch()
    {
        using var temp = new TempDir();
        string output = temp.File("wds");
        Export(data.Folder, "--format", "webdataset", "--out", output, "--name", "train");
        var members = new List<(string Name, byte[] Bytes)>();
        using (var stream = File.OpenRead(Path.Combine(output, "train-000000.tar")))
        using (var reader = new TarReader(stream))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                using var copy = new MemoryStream();
                entry.DataStream!.CopyTo(copy);
                members.Add((entry.Name, copy.ToArray()));
            }
        }

        // WebDataset's grouping: the key is the base name up to its first dot.
        var samples = members.GroupBy(m => m.Name[..m.Name.IndexOf('.', StringComparison.Ordinal)]).ToList();
        Assert.Equal(data.Samples.Count, samples.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            var source = data.Samples[i];
            var json = JsonDocument.Parse(samples[i].Single(m => m.Name.EndsWith(".json", StringComparison.Ordinal)).Bytes).RootElement;
            Assert.Equal(source.Id, json.GetProperty("id").GetString());
            Assert.Equal(source.Group, json.GetProperty("group").GetString());
            Assert.Equal(source.ImagePaths, json.GetProperty("images").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(source.Sample.Conversations.Select(t => t.Value),
                json.GetProperty("conversations").EnumerateArray().Select(e => e.GetProperty("value").GetString()));
            var images = samples[i].Where(m => m.Name.EndsWith(".jpg", StringComparison.Ordinal)).ToList();
            if (source.ImagePaths.Count > 1)
            {
                Assert.Equal(Enumerable.Range(0, images.Count).Select(n => $"{samples[i].Key}.{n}.jpg"), images.Select(m => m.Name));
            }

            Assert.Equal(data.Hashes(source.Id), images.Select(m => ExportFixture.Sha(m.Bytes)));
        }
    }

    [Fact]
    public void WebDataset_ShardsStayUnderTheSize_AndHoldEverySampleOnce()
    {
        using var temp = new TempDir();
        string output = temp.File("wds");
        Export(data.Folder, "--format", "webdataset", "--out", output, "--shard-size", "200KB");
        var shards = Directory.GetFiles(output, "*.tar").Order(StringComparer.Ordinal).ToList();
        Assert.True(shards.Count > 1);
        Assert.Equal(shards.Select((_, i) => $"wds-{i:D6}.tar"), shards.Select(Path.GetFileName));
        var ids = new List<string>();
        foreach (string shard in shards)
        {
            int samplesHere = 0;
            using var stream = File.OpenRead(shard);
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    samplesHere++;
                    ids.Add(JsonDocument.Parse(entry.DataStream!).RootElement.GetProperty("id").GetString()!);
                }
            }

            Assert.True(new FileInfo(shard).Length <= 200_000 || samplesHere == 1, shard);
        }

        Assert.Equal(data.Samples.Select(s => s.Id), ids);
    }

    [Fact]
    public void OpenAi_ImagePartsReplaceTheTokens_AsDataUrlsOfTheSameBytes()
    {
        using var temp = new TempDir();
        string output = temp.File("ft.jsonl");
        Export(data.Folder, "--format", "openai", "--out", output);
        var lines = File.ReadAllLines(output);
        Assert.Equal(data.Samples.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            var source = data.Samples[i];
            var messages = JsonDocument.Parse(lines[i]).RootElement.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(source.Sample.Conversations.Count, messages.Count);
            var urls = new List<string>();
            for (int t = 0; t < messages.Count; t++)
            {
                var content = messages[t].GetProperty("content");
                string value = source.Sample.Conversations[t].Value;
                if (content.ValueKind == JsonValueKind.String)
                {
                    Assert.Equal(value, content.GetString());
                    continue;
                }

                Assert.Equal("user", messages[t].GetProperty("role").GetString());
                var parts = content.EnumerateArray().ToList();
                Assert.Equal(SampleCheck.Count(value), parts.Count(p => p.GetProperty("type").GetString() == "image_url"));
                Assert.DoesNotContain(parts,
                    p => p.TryGetProperty("text", out var text) && text.GetString()!.Contains("<image>", StringComparison.Ordinal));
                Assert.Equal(value.Replace("<image>", "", StringComparison.Ordinal).Trim(),
                    string.Join("\n", parts.Where(p => p.GetProperty("type").GetString() == "text")
                        .Select(p => p.GetProperty("text").GetString())).Trim());
                urls.AddRange(parts.Where(p => p.GetProperty("type").GetString() == "image_url")
                    .Select(p => p.GetProperty("image_url").GetProperty("url").GetString()!));
            }

            Assert.All(urls, u => Assert.StartsWith("data:image/jpeg;base64,", u, StringComparison.Ordinal));
            Assert.Equal(data.Hashes(source.Id), urls.Select(u => ExportFixture.Sha(Convert.FromBase64String(u[(u.IndexOf(',') + 1)..]))));
        }
    }

    [Fact]
    public void Llava_RebasedPathsResolveUnderTheNewRoot_MultiImageInItsOwnFile()
    {
        using var temp = new TempDir();
        string output = temp.File("moved");
        string root = Path.Combine(data.Folder, "images");
        Export(data.Folder, "--format", "llava", "--out", output, "--image-root", root);
        var single = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "llava.json"))).RootElement.EnumerateArray().ToList();
        var multi = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "llava_multi.json"))).RootElement.EnumerateArray().ToList();
        Assert.Equal(data.Samples.Count(s => s.Kind != DialogueKind.MultiImage), single.Count);
        Assert.Equal(data.Samples.Count(s => s.Kind == DialogueKind.MultiImage), multi.Count);
        foreach (var record in single.Concat(multi))
        {
            string id = record.GetProperty("id").GetString()!;
            var image = record.GetProperty("image");
            var paths = image.ValueKind == JsonValueKind.Array
                ? image.EnumerateArray().Select(e => e.GetString()!).ToList() : [image.GetString()!];
            Assert.All(paths, p => Assert.False(Path.IsPathRooted(p) || p.StartsWith("images/", StringComparison.Ordinal)));
            Assert.Equal(data.Hashes(id), paths.Select(p => ExportFixture.Sha(File.ReadAllBytes(Path.Combine(root, p)))));
        }
    }

    [Fact]
    public void Llava_LinkedImagesKeepTheRelativeLayout()
    {
        using var temp = new TempDir();
        string output = temp.File("linked");
        Export(data.Folder, "--format", "llava", "--out", output, "--images", "link");
        var single = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "llava.json"))).RootElement.EnumerateArray().ToList();
        foreach (var record in single)
        {
            string id = record.GetProperty("id").GetString()!;
            string path = record.GetProperty("image").GetString()!;
            Assert.Equal(data.Samples.Single(s => s.Id == id).ImagePaths[0], path);
            var link = new FileInfo(Path.Combine(output, "images", path));
            Assert.NotNull(link.LinkTarget);
            Assert.Equal(data.Hashes(id)[0], ExportFixture.Sha(File.ReadAllBytes(link.FullName)));
        }
    }
}
