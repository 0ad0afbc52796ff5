using System.Formats.Tar;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Imaging;
using VisInstruct.IO;

namespace VisInstruct.Export;

/// <summary>
/// WebDataset tar shards <c>OUT/NAME-000000.tar</c>, each at most <see cref="ExportOptions.ShardSize"/> bytes (a
/// sample larger than that gets a shard of its own). A sample is <c>{key}.jpg</c> (or <c>.png</c>, <c>.webp</c>...,
/// by the image's real format) and <c>{key}.json</c> (<c>id</c>, <c>conversations</c>, the original image paths,
/// <c>group</c>); a multi-image sample numbers its images <c>{key}.0.jpg</c>, <c>{key}.1.jpg</c>. Members are ustar
/// entries (mode 0644, a fixed time, so the same export gives the same bytes) that Python's tarfile reads.
/// </summary>
internal sealed partial class WebDatasetSink : ExportSink
{
    private const int Block = 512;
    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ShardSet _shards;
    private FileStream? _stream;
    private TarWriter? _tar;
    private long _shardBytes;

    public WebDatasetSink(ExportOptions options, StagedOutput staged)
        : base(options, staged)
    {
        string name = options.ResolvedName;
        _shards = new ShardSet(Path.GetFullPath(options.Out),
            (index, _) => string.Create(CultureInfo.InvariantCulture, $"{name}-{index:D6}.tar"),
            file => ShardName().Match(file) is { Success: true } m && m.Groups[1].Value == name);
    }

    public override int Shards => _shards.Count;

    /// <summary>The member extension for an image format: <c>jpg</c>, <c>png</c>, <c>gif</c>, <c>bmp</c>, <c>webp</c>.</summary>
    public static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpg",
        ImageFormat.Png => "png",
        ImageFormat.Gif => "gif",
        ImageFormat.Bmp => "bmp",
        ImageFormat.WebP => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public override void Write(ExportItem item)
    {
        string key = WebDatasetKey.Of(item.Ordinal, item.Sample.Id);
        var members = new List<(string Name, byte[] Bytes)>();
        for (int i = 0; i < item.ImageFiles.Count; i++)
        {
            string file = item.ImageFiles[i];
            var header = ImageHeader.TryRead(file)!.Value;
            string number = item.ImageFiles.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $".{i}") : "";
            members.Add(($"{key}{number}.{Extension(header.Format)}", File.ReadAllBytes(file)));
        }

        members.Add((key + ".json", Json(item)));
        long size = members.Sum(m => Block + Padded(m.Bytes.Length));
        if (_tar is null || (_shardBytes > 0 && _shardBytes + size + 2 * Block > Options.ShardSize))
        {
            CloseShard();
            _stream = _shards.Next();
            _tar = new TarWriter(_stream, TarEntryFormat.Ustar, leaveOpen: true);
        }

        foreach (var (name, bytes) in members)
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(bytes, writable: false),
                ModificationTime = FixedTime,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            _tar!.WriteEntry(entry);
        }

        _shardBytes += size;
    }

    public override void Complete()
    {
        if (_tar is null)
        {
            // No sample at all: one empty (but valid) shard, so that a loader finds the dataset and no rows.
            _stream = _shards.Next();
            _tar = new TarWriter(_stream, TarEntryFormat.Ustar, leaveOpen: true);
        }

        CloseShard();
    }

    public override IReadOnlyList<string> Commit() => _shards.Commit();

    protected override void Release()
    {
        _tar?.Dispose();
        _stream?.Dispose();
        _shards.Dispose();
    }

    private static long Padded(long length) => (length + Block - 1) / Block * Block;

    private static byte[] Json(ExportItem item)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", item.Sample.Id);
            writer.WriteStartArray("conversations");
            foreach (var turn in item.Sample.Sample.Conversations)
            {
                writer.WriteStartObject();
                writer.WriteString("from", turn.From);
                writer.WriteString("value", turn.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("images");
            foreach (string path in item.Sample.ImagePaths)
            {
                writer.WriteStringValue(path);
            }

            writer.WriteEndArray();
            writer.WriteString("group", item.Sample.Group);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private void CloseShard()
    {
        _tar?.Dispose();
        _tar = null;
        _stream?.Flush();
        _stream?.Dispose();
        _stream = null;
        _shardBytes = 0;
    }

    [GeneratedRegex(@"^(.+)-[0-9]{6}\.tar$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardName();
}
