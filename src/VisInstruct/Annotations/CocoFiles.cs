using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Json;

namespace VisInstruct.Annotations;

/// <summary>
/// Streaming readers for COCO's <c>captions_*.json</c> and <c>instances_*.json</c> (one big JSON object each): they
/// keep only what the recipes use, for the wanted images.
/// </summary>
internal static partial class CocoFiles
{
    /// <summary>An image of a COCO file's <c>images</c>.</summary>
    public readonly record struct CocoImage(long Id, string FileName, int Width, int Height);

    /// <summary>What a captions file gave: its images (when asked for) and the captions of wanted images, in file order.</summary>
    public sealed class CaptionsResult
    {
        public List<CocoImage> Images { get; } = [];

        public Dictionary<long, List<string>> Captions { get; } = [];

        public long Annotations { get; set; }

        public long Bytes { get; set; }
    }

    /// <summary>What an instances file gave: per wanted image, its boxes with category names, in file order.</summary>
    public sealed class InstancesResult
    {
        public Dictionary<long, List<AnnotatedObject>> Objects { get; } = [];

        public long Annotations { get; set; }

        public long Bytes { get; set; }
    }

    /// <summary>The image folder a COCO file implies (<c>captions_val2014.json</c> → <c>coco/val2014</c>); train2017 by default.</summary>
    public static string ImageFolder(string path)
    {
        var match = SplitPattern().Match(Path.GetFileName(path));
        return "coco/" + (match.Success ? match.Value : "train2017");
    }

    [GeneratedRegex(@"(train|val|test)20\d\d")]
    private static partial Regex SplitPattern();

    /// <summary>An element of a captions file: an image (no caption) or a caption of an image.</summary>
    private readonly record struct CaptionsEntry(CocoImage Image, long ImageId, string? Caption);

    /// <summary>An annotation of an instances file (box with its category id) before the categories are joined.</summary>
    private readonly record struct Instance(long ImageId, long Id, long Category, PixelRect Box, long Index, bool Crowd);

    /// <summary>An element of an instances file: a category (with its name) or an instance.</summary>
    private readonly record struct InstancesEntry((long Id, string? Name) Category, Instance Instance);

    public static CaptionsResult ReadCaptions(string path, bool withImages, Func<long, bool> wanted, CancellationToken cancellationToken)
    {
        var result = new CaptionsResult { Bytes = new FileInfo(path).Length };
        using var records = JsonRecordReader.OpenObject(path, name => name == "annotations" || (withImages && name == "images"));
        CaptionsEntry Parse(ref Utf8JsonReader reader, in RawJsonRecord record) => records.Property == "images"
            ? new CaptionsEntry(ReadImage(path, ref reader, record), 0, null)
            : ReadCaption(path, ref reader, record);
        JsonRecordParser<CaptionsEntry> parse = Parse;
        while (records.TryRead(parse, out var record, out var entry))
        {
            Pace(record, cancellationToken);
            if (entry.Caption is null)
            {
                result.Images.Add(entry.Image);
                continue;
            }

            result.Annotations++;
            if (wanted(entry.ImageId))
            {
                if (!result.Captions.TryGetValue(entry.ImageId, out var list))
                {
                    list = new List<string>(5);
                    result.Captions.Add(entry.ImageId, list);
                }

                list.Add(entry.Caption);
            }
        }

        return result;
    }

    public static InstancesResult ReadInstances(string path, Func<long, bool> wanted, CancellationToken cancellationToken)
    {
        var result = new InstancesResult { Bytes = new FileInfo(path).Length };
        var categories = new Dictionary<long, string>();
        var pending = new List<Instance>();
        using (var records = JsonRecordReader.OpenObject(path, name => name is "annotations" or "categories"))
        {
            InstancesEntry Parse(ref Utf8JsonReader reader, in RawJsonRecord record) => records.Property == "categories"
                ? new InstancesEntry(ReadCategory(path, ref reader, record), default)
                : new InstancesEntry(default, ReadInstance(path, ref reader, record));
            JsonRecordParser<InstancesEntry> parse = Parse;
            while (records.TryRead(parse, out var record, out var entry))
            {
                Pace(record, cancellationToken);
                if (entry.Category.Name is not null)
                {
                    categories[entry.Category.Id] = entry.Category.Name;
                }
                else
                {
                    result.Annotations++;
                    if (wanted(entry.Instance.ImageId))
                    {
                        pending.Add(entry.Instance);
                    }
                }
            }
        }

        foreach (var (imageId, id, category, box, index, crowd) in pending)
        {
            if (!categories.TryGetValue(category, out string? name))
            {
                throw new InputFormatException(path,
                    string.Create(CultureInfo.InvariantCulture, $"category {category} is not in \"categories\""),
                    field: JsonValues.Path("annotations", index, "category_id"), recordIndex: index);
            }

            if (!result.Objects.TryGetValue(imageId, out var list))
            {
                list = [];
                result.Objects.Add(imageId, list);
            }

            list.Add(new AnnotatedObject(id, name, box, crowd ? [AnnotatedObject.CrowdAttribute] : []));
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CaptionsEntry ReadCaption(string path, ref Utf8JsonReader reader, in RawJsonRecord record)
    {
        var (imageId, caption) = ReadNumberAndText(path, ref reader, record, "annotations", "image_id"u8, "image_id",
            "caption"u8, "caption");
        return new CaptionsEntry(default, imageId, caption);
    }

    private static (long Id, string? Name) ReadCategory(string path, ref Utf8JsonReader reader, in RawJsonRecord record) =>
        ReadNumberAndText(path, ref reader, record, "categories", "id"u8, "id", "name"u8, "name");

    /// <summary>
    /// A record of <paramref name="section"/> with a required whole number and a required string (a caption's
    /// <c>image_id</c> and <c>caption</c>, a category's <c>id</c> and <c>name</c>); other fields are skipped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long Number, string Text) ReadNumberAndText(string path, ref Utf8JsonReader reader, in RawJsonRecord record,
        string section, ReadOnlySpan<byte> numberField, string numberName, ReadOnlySpan<byte> textField, string textName)
    {
        long start = Start(path, ref reader, record, section);
        long? number = null;
        string? text = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            int field = reader.ValueTextEquals(numberField) ? 1 : reader.ValueTextEquals(textField) ? 2 : 0;
            reader.Read();
            if (field == 1)
            {
                number = Int64(path, record, ref reader, section, numberName);
            }
            else if (field == 2)
            {
                text = String(path, record, ref reader, section, textName);
            }
            else
            {
                Skip(ref reader);
            }
        }

        return number is null || text is null
            ? throw Missing(path, record, start, section, number is null ? numberName : textName)
            : (number.Value, text);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Instance ReadInstance(string path, ref Utf8JsonReader reader, in RawJsonRecord record)
    {
        long start = Start(path, ref reader, record, "annotations");
        long? imageId = null;
        long? category = null;
        long id = 0;
        bool crowd = false;
        PixelRect? box = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            int field = reader.ValueTextEquals("image_id"u8) ? 1
                : reader.ValueTextEquals("bbox"u8) ? 2
                : reader.ValueTextEquals("category_id"u8) ? 3
                : reader.ValueTextEquals("id"u8) ? 4
                : reader.ValueTextEquals("iscrowd"u8) ? 5 : 0;
            reader.Read();
            switch (field)
            {
                case 1:
                    imageId = Int64(path, record, ref reader, "annotations", "image_id");
                    break;
                case 2:
                    box = ReadBox(path, record, ref reader);
                    break;
                case 3:
                    category = Int64(path, record, ref reader, "annotations", "category_id");
                    break;
                case 4:
                    id = Int64(path, record, ref reader, "annotations", "id");
                    break;
                case 5:
                    crowd = Int64(path, record, ref reader, "annotations", "iscrowd") != 0;
                    break;
                default:
                    Skip(ref reader);
                    break;
            }
        }

        if (imageId is null || box is null || category is null)
        {
            throw Missing(path, record, start, "annotations", imageId is null ? "image_id" : box is null ? "bbox" : "category_id");
        }

        return new Instance(imageId.Value, id, category.Value, box.Value, record.Index, crowd);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CocoImage ReadImage(string path, ref Utf8JsonReader reader, in RawJsonRecord record)
    {
        long start = Start(path, ref reader, record, "images");
        long? id = null;
        string? fileName = null;
        int width = 0, height = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            int field = reader.ValueTextEquals("id"u8) ? 1
                : reader.ValueTextEquals("file_name"u8) ? 2
                : reader.ValueTextEquals("width"u8) ? 3
                : reader.ValueTextEquals("height"u8) ? 4 : 0;
            reader.Read();
            switch (field)
            {
                case 1:
                    id = Int64(path, record, ref reader, "images", "id");
                    break;
                case 2:
                    fileName = String(path, record, ref reader, "images", "file_name");
                    break;
                case 3:
                    width = Size(path, record, ref reader, "width");
                    break;
                case 4:
                    height = Size(path, record, ref reader, "height");
                    break;
                default:
                    Skip(ref reader);
                    break;
            }
        }

        if (id is null || fileName is null || width == 0 || height == 0)
        {
            throw Missing(path, record, start, "images",
                id is null ? "id" : fileName is null ? "file_name" : width == 0 ? "width" : "height");
        }

        return new CocoImage(id.Value, fileName, width, height);
    }

    private static PixelRect ReadBox(string path, in RawJsonRecord record, ref Utf8JsonReader reader)
    {
        string field = JsonValues.Path("annotations", record.Index, "bbox");
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(path, record, reader.TokenStartIndex, field,
                $"expected an array [x, y, width, height], found {JsonValues.Describe(ref reader)}");
        }

        Span<double> values = stackalloc double[4];
        int count = 0;
        long start = reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count >= 4 || !JsonValues.TryNumber(ref reader, out values[count]))
            {
                throw Error(path, record, reader.TokenStartIndex, JsonLocator.Index(field, count),
                    count >= 4 ? "expected 4 numbers [x, y, width, height], found more"
                        : $"expected a number, found {JsonValues.Describe(ref reader)}");
            }

            count++;
        }

        if (count != 4)
        {
            throw Error(path, record, start, field,
                string.Create(CultureInfo.InvariantCulture, $"expected 4 numbers [x, y, width, height], found {count}"));
        }

        return new PixelRect(values[0], values[1], values[2], values[3]);
    }

    // The reader is on the record's first token, which must open an object; returns where the record starts. The
    // record parsers run in place (see JsonRecordParser): a read may come back short, and what is parsed then is dropped.
    private static long Start(string path, ref Utf8JsonReader reader, in RawJsonRecord record, string array)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(path, record, reader.TokenStartIndex, JsonLocator.Index(array, record.Index),
                $"expected an object, found {JsonValues.Describe(ref reader)}");
        }

        return reader.TokenStartIndex;
    }

    // Skips the value the reader is on. A false TrySkip (the window ends inside the value) leaves the reader short: the
    // record is then read again whole (Skip would throw on a partial window even when the value is all there).
    private static void Skip(ref Utf8JsonReader reader) => _ = reader.TrySkip();

    private static void Pace(in RawJsonRecord record, CancellationToken cancellationToken)
    {
        if ((record.Index & 0xFFF) == 0xFFF)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static long Int64(string path, in RawJsonRecord record, ref Utf8JsonReader reader, string array, string name)
    {
        if (!JsonValues.TryInt64(ref reader, out long value))
        {
            throw Error(path, record, reader.TokenStartIndex, JsonValues.Path(array, record.Index, name),
                $"expected an integer, found {JsonValues.Describe(ref reader)}");
        }

        return value;
    }

    private static string String(string path, in RawJsonRecord record, ref Utf8JsonReader reader, string array, string name)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error(path, record, reader.TokenStartIndex, JsonValues.Path(array, record.Index, name),
                $"expected a string, found {JsonValues.Describe(ref reader)}");
        }

        return reader.GetString()!;
    }

    private static int Size(string path, in RawJsonRecord record, ref Utf8JsonReader reader, string name)
    {
        if (!JsonValues.TryInt32(ref reader, out int value) || value <= 0)
        {
            throw Error(path, record, reader.TokenStartIndex, JsonValues.Path("images", record.Index, name),
                $"expected a positive integer, found {JsonValues.Describe(ref reader)}");
        }

        return value;
    }

    private static InputFormatException Missing(string path, in RawJsonRecord record, long start, string array, string name) =>
        Error(path, record, start, JsonLocator.Index(array, record.Index), $"missing field \"{name}\"");

    private static InputFormatException Error(string path, in RawJsonRecord record, long offset, string field, string message) =>
        new(path, message, record.PositionOf((int)offset), field, record.Index);
}
