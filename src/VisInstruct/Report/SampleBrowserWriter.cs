using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using VisInstruct.Datasets;

namespace VisInstruct.Report;

/// <summary>
/// Writes the sample browser's data beside the page: the samples in file order as chunks of <see cref="ChunkSize"/>
/// (<c>data/all-000000.js</c>, ...) and each group's samples again as chunks of its own (<c>data/g0-000000.js</c>), so
/// the page shows a page of one ability without reading the others. A chunk is a small script that calls
/// <c>visinstructChunk(key, number, samples)</c>: browsers refuse <c>fetch()</c> of <c>file://</c> URLs but load a
/// script tag, so the page works opened from disk and served by <c>view</c> alike. Thumbnails are written per chunk,
/// in parallel; an image named by several samples gets one thumbnail.
/// </summary>
public sealed class SampleBrowserWriter
{
    public const int ChunkSize = 100;

    /// <summary>Groups beyond this many share the file-order chunks only (the page scans those for them).</summary>
    public const int MaxGroupsWithChunks = 200;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private readonly string _reportDirectory;
    private readonly DatasetSource? _source;
    private readonly ProvenanceIndex _provenance;
    private readonly bool _thumbnails;
    private readonly CancellationToken _cancellationToken;
    private readonly List<BrowserItem> _batch = [];
    private readonly Dictionary<string, GroupState> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _thumbs = new(StringComparer.Ordinal);
    private int _chunks;
    private long _total;
    private long _imagesWithoutFile;
    private int _nextThumb;

    public SampleBrowserWriter(string reportDirectory, DatasetSource? source, ProvenanceIndex provenance, bool thumbnails,
        CancellationToken cancellationToken)
    {
        _reportDirectory = reportDirectory;
        _source = source;
        _provenance = provenance;
        _thumbnails = thumbnails;
        _cancellationToken = cancellationToken;
        Directory.CreateDirectory(Path.Combine(reportDirectory, "data"));
    }

    /// <summary>The file an image path names, for thumbnails (render folders resolve against their own folder).</summary>
    public Func<string, string?>? Resolve { get; init; }

    public void Add(BrowserItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _batch.Add(item);
        if (_batch.Count == ChunkSize)
        {
            Flush();
        }
    }

    /// <summary>Writes what is left and returns the index the page embeds.</summary>
    public BrowserIndex Complete()
    {
        Flush();
        var groups = new List<BrowserGroup>();
        foreach (var (name, state) in _groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (state.Key is not null && state.Pending.Count > 0)
            {
                WriteChunk(state.Key, state.Chunks++, state.Pending);
                state.Pending.Clear();
            }

            groups.Add(new BrowserGroup(name, state.Key ?? "", state.Count, state.Key is null ? 0 : state.Chunks));
        }

        return new BrowserIndex(_total, ChunkSize, _chunks, groups, _thumbs.Values.Count(v => v >= 0), _imagesWithoutFile);
    }

    private void Flush()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        var urls = _batch.Select(item => item.Images.Select(ImageUrls).ToList()).ToList();
        MakeThumbnails();
        var records = new List<byte[]>(_batch.Count);
        for (int i = 0; i < _batch.Count; i++)
        {
            records.Add(Serialize(_batch[i], urls[i]));
        }

        WriteChunk("all", _chunks++, records);
        for (int i = 0; i < _batch.Count; i++)
        {
            var item = _batch[i];
            if (!_groups.TryGetValue(item.Group, out var state))
            {
                _groups[item.Group] = state = new GroupState(_groups.Count < MaxGroupsWithChunks
                    ? "g" + _groups.Count.ToString(CultureInfo.InvariantCulture) : null);
            }

            state.Count++;
            if (state.Key is null)
            {
                continue;
            }

            state.Pending.Add(records[i]);
            if (state.Pending.Count == ChunkSize)
            {
                WriteChunk(state.Key, state.Chunks++, state.Pending);
                state.Pending.Clear();
            }
        }

        _total += _batch.Count;
        _batch.Clear();
    }

    private (string? Relative, string? File) ImageUrls(string imagePath)
    {
        string? file = Resolve is not null ? Resolve(imagePath) : _source?.ResolveImage(imagePath);
        if (file is null || !File.Exists(file))
        {
            _imagesWithoutFile++;
            return (null, null);
        }

        string? root = _source?.ImageRoot;
        string? relative = root is null ? null : Path.GetRelativePath(root, file).Replace('\\', '/');
        return (relative is null || relative.StartsWith("../", StringComparison.Ordinal) ? null : relative, file);
    }

    private void MakeThumbnails()
    {
        if (!_thumbnails)
        {
            return;
        }

        var jobs = new List<(string Source, string Destination)>();
        var numbers = new List<(string File, int Number)>();
        foreach (string path in _batch.SelectMany(item => item.Images).Distinct(StringComparer.Ordinal))
        {
            string? file = Resolve is not null ? Resolve(path) : _source?.ResolveImage(path);
            if (file is null || _thumbs.ContainsKey(file) || !File.Exists(file))
            {
                continue;
            }

            int number = _nextThumb++;
            _thumbs[file] = number;
            jobs.Add((file, Path.Combine(_reportDirectory, ThumbPath(number))));
            numbers.Add((file, number));
        }

        bool[] written = Thumbnailer.Write(jobs, _cancellationToken);
        for (int i = 0; i < written.Length; i++)
        {
            if (!written[i])
            {
                _thumbs[numbers[i].File] = -1;
            }
        }
    }

    /// <summary>A thumbnail's path in the report folder: a thousand to a folder.</summary>
    public static string ThumbPath(int number) =>
        string.Create(CultureInfo.InvariantCulture, $"thumbs/{number / 1000:D4}/{number:D7}.jpg");

    private byte[] Serialize(BrowserItem item, List<(string? Relative, string? File)> urls)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("n", item.Index);
            writer.WriteString("id", item.Id);
            writer.WriteString("g", item.Group);
            writer.WriteString("k", item.Kind);
            writer.WriteString("f", item.File);
            writer.WriteStartArray("im");
            for (int i = 0; i < item.Images.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("p", item.Images[i]);
                if (urls[i].Relative is { } relative)
                {
                    writer.WriteString("u", relative);
                }

                if (urls[i].File is { } file && _thumbs.TryGetValue(file, out int number) && number >= 0)
                {
                    writer.WriteString("t", ThumbPath(number));
                }

                if ((item.OwnProvenance ?? _provenance.Find(item.Images[i])) is { } provenance)
                {
                    WriteProvenance(writer, provenance);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("c");
            foreach (var (from, value) in item.Turns)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(from);
                writer.WriteStringValue(value);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteProvenance(Utf8JsonWriter writer, ProvenanceEntry provenance)
    {
        writer.WriteStartObject("pv");
        Optional(writer, "prompt", provenance.Prompt);
        Optional(writer, "negative_prompt", provenance.NegativePrompt is { Length: > 0 } n ? n : null);
        Optional(writer, "backend", provenance.Backend);
        Optional(writer, "model", provenance.Model);
        Optional(writer, "seed", provenance.Seed);
        if (provenance.Width is { } w && provenance.Height is { } h)
        {
            writer.WriteString("size", string.Create(CultureInfo.InvariantCulture, $"{w}x{h}"));
        }

        writer.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private void WriteChunk(string key, int number, List<byte[]> records)
    {
        string path = Path.Combine(_reportDirectory, ChunkPath(key, number));
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        stream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"visinstructChunk(\"{key}\",{number},[")));
        for (int i = 0; i < records.Count; i++)
        {
            if (i > 0)
            {
                stream.Write(",\n"u8);
            }

            stream.Write(records[i]);
        }

        stream.Write("]);\n"u8);
    }

    /// <summary>A chunk's path in the report folder.</summary>
    public static string ChunkPath(string key, int number) => string.Create(CultureInfo.InvariantCulture, $"data/{key}-{number:D6}.js");

    private sealed class GroupState(string? key)
    {
        public string? Key { get; } = key;

        public long Count { get; set; }

        public int Chunks { get; set; }

        public List<byte[]> Pending { get; } = [];
    }
}
