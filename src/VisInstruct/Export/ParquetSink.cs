using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parquet;
using Parquet.Serialization;
using VisInstruct.IO;

namespace VisInstruct.Export;

/// <summary>
/// The Hugging Face datasets Parquet layout: <c>id</c>, <c>images</c> (a list of <c>{bytes, path}</c>, the
/// <c>Image</c> feature's storage) and <c>conversations</c> of <c>{from, value}</c> or <c>messages</c> of
/// <c>{role, content}</c>, with the <c>huggingface</c> key-value metadata naming those features so that
/// <c>load_dataset("parquet", ...)</c> decodes the images. Rows are buffered up to a row group's byte budget, so memory
/// stays bounded; past <see cref="ExportOptions.ShardSize"/> the output is split into
/// <c>NAME-00000-of-0000N.parquet</c> beside the named file.
/// </summary>
internal sealed partial class ParquetSink : ExportSink
{
    /// <summary>The most bytes of rows held before they are written as a row group.</summary>
    public const long MaxRowGroupBytes = 64L << 20;

    private readonly ShardSet _shards;
    private readonly long _rowGroupBytes;
    private readonly Dictionary<string, string> _metadata;
    private readonly List<ParquetConversationRow> _conversationRows = [];
    private readonly List<ParquetMessagesRow> _messageRows = [];
    private FileStream? _shard;
    private long _buffered;
    private bool _shardHasRows;

    public ParquetSink(ExportOptions options, StagedOutput staged)
        : base(options, staged)
    {
        string full = Path.GetFullPath(options.Out);
        string directory = Path.GetDirectoryName(full)!;
        string name = options.ResolvedName;
        string single = Path.GetFileName(full);
        _shards = new ShardSet(directory,
            (index, count) => count == 1 ? single
                : string.Create(CultureInfo.InvariantCulture, $"{name}-{index:D5}-of-{count:D5}.parquet"),
            file => file == single || ShardName().Match(file) is { Success: true } m && m.Groups[1].Value == name);
        _rowGroupBytes = Math.Clamp(options.ShardSize / 4, 64L << 10, MaxRowGroupBytes);
        _metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["huggingface"] = HuggingFaceMetadata(options.OpenAiRoles),
        };
    }

    public override int Shards => _shards.Count;

    /// <summary>The <c>huggingface</c> metadata: <c>{"info": {"features": ...}}</c> as <c>datasets</c> writes it.</summary>
    public static string HuggingFaceMetadata(bool openAiRoles)
    {
        static JsonObject Text() => new() { ["dtype"] = "string", ["_type"] = "Value" };
        var turn = openAiRoles
            ? new JsonObject { ["role"] = Text(), ["content"] = Text() }
            : new JsonObject { ["from"] = Text(), ["value"] = Text() };
        var features = new JsonObject
        {
            ["id"] = Text(),
            ["images"] = new JsonObject { ["feature"] = new JsonObject { ["_type"] = "Image" }, ["_type"] = "Sequence" },
            [openAiRoles ? "messages" : "conversations"] = new JsonArray(turn),
        };
        return new JsonObject { ["info"] = new JsonObject { ["features"] = features } }.ToJsonString();
    }

    public override void Write(ExportItem item)
    {
        var images = new List<ParquetImage>(item.ImageFiles.Count);
        long size = 0;
        for (int i = 0; i < item.ImageFiles.Count; i++)
        {
            byte[] bytes = File.ReadAllBytes(item.ImageFiles[i]);
            size += bytes.Length;
            images.Add(new ParquetImage { Bytes = bytes, Path = item.Sample.ImagePaths[i] });
        }

        var turns = item.Sample.Sample.Conversations;
        size += item.Sample.Id.Length + turns.Sum(t => t.Value.Length + 16L);
        _shard ??= _shards.Next();
        if ((_shardHasRows || _buffered > 0) && _shard.Length + _buffered + size > Options.ShardSize)
        {
            Flush();
            CloseShard();
            _shard = _shards.Next();
        }

        if (Options.OpenAiRoles)
        {
            _messageRows.Add(new ParquetMessagesRow
            {
                Id = item.Sample.Id, Images = images,
                Messages = [.. turns.Select(t => new ParquetMessage { Role = ShareGptSink.Role(t), Content = t.Value })],
            });
        }
        else
        {
            _conversationRows.Add(new ParquetConversationRow
            {
                Id = item.Sample.Id, Images = images,
                Conversations = [.. turns.Select(t => new ParquetTurn { From = t.From, Value = t.Value })],
            });
        }

        _buffered += size;
        if (_buffered >= _rowGroupBytes)
        {
            Flush();
        }
    }

    public override void Complete()
    {
        Flush();
        if (_shard is null || !_shardHasRows)
        {
            // No sample at all: still one valid file with the schema and no rows.
            _shard ??= _shards.Next();
            Serialize(append: false);
        }

        CloseShard();
    }

    public override IReadOnlyList<string> Commit() => _shards.Commit();

    protected override void Release()
    {
        _shard?.Dispose();
        _shards.Dispose();
    }

    private void Flush()
    {
        if (_buffered == 0 && _conversationRows.Count == 0 && _messageRows.Count == 0)
        {
            return;
        }

        _shard ??= _shards.Next();
        Serialize(append: _shardHasRows);
        _shardHasRows = true;
        _conversationRows.Clear();
        _messageRows.Clear();
        _buffered = 0;
    }

    private void Serialize(bool append)
    {
        var shard = _shard!;
        var options = new ParquetOptions { Append = append, RowGroupSize = int.MaxValue };
        var task = Options.OpenAiRoles
            ? ParquetSerializer.SerializeAsync(_messageRows, shard, options, _metadata)
            : ParquetSerializer.SerializeAsync(_conversationRows, shard, options, _metadata);
        task.GetAwaiter().GetResult();
        shard.Flush();
    }

    private void CloseShard()
    {
        _shard?.Dispose();
        _shard = null;
        _shardHasRows = false;
    }

    [GeneratedRegex(@"^(.+)-[0-9]{5}-of-[0-9]{5}\.parquet$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardName();
}
