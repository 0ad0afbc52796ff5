using System.Globalization;
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

    public static CaptionsResult ReadCaptions(string path, bool withImages, Func<long, bool> wanted, CancellationToken cancellationToken)
    {
        var result = new CaptionsResult();
        using var stream = new JsonObjectStream(path);
        result.Bytes = stream.Length;
        JsonElementHandler images = (ref Utf8JsonReader reader, long index) =>
        {
            if (!ReadImage(stream, ref reader, index, out var image))
            {
                return false;
            }

            result.Images.Add(image);
            return true;
        };
        JsonElementHandler annotations = (ref Utf8JsonReader reader, long index) =>
        {
            long start = reader.TokenStartIndex;
            ExpectObject(stream, ref reader, "annotations", index);
            long? imageId = null;
            string? caption = null;
            while (true)
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                int field = reader.ValueTextEquals("image_id"u8) ? 1 : reader.ValueTextEquals("caption"u8) ? 2 : 0;
                if (!reader.Read())
                {
                    return false;
                }

                if (field == 1)
                {
                    imageId = Int64(stream, ref reader, "annotations", index, "image_id");
                }
                else if (field == 2)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw stream.At(reader.TokenStartIndex, JsonValues.Path("annotations", index, "caption"),
                            $"expected a string, found {JsonValues.Describe(ref reader)}", index);
                    }

                    caption = reader.GetString();
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }

            if (imageId is null || caption is null)
            {
                throw stream.At(start, JsonValues.Path("annotations", index), $"missing field \"{(imageId is null ? "image_id" : "caption")}\"", index);
            }

            result.Annotations++;
            if (wanted(imageId.Value))
            {
                if (!result.Captions.TryGetValue(imageId.Value, out var list))
                {
                    list = new List<string>(5);
                    result.Captions.Add(imageId.Value, list);
                }

                list.Add(caption);
            }

            return true;
        };
        stream.Run(name => name switch
        {
            "annotations" => annotations,
            "images" when withImages => images,
            _ => null,
        }, cancellationToken);
        return result;
    }

    public static InstancesResult ReadInstances(string path, Func<long, bool> wanted, CancellationToken cancellationToken)
    {
        var result = new InstancesResult();
        var categories = new Dictionary<long, string>();
        var pending = new List<(long ImageId, long Id, long Category, PixelRect Box, long Index, bool Crowd)>();
        using var stream = new JsonObjectStream(path);
        result.Bytes = stream.Length;
        JsonElementHandler categoryHandler = (ref Utf8JsonReader reader, long index) =>
        {
            long start = reader.TokenStartIndex;
            ExpectObject(stream, ref reader, "categories", index);
            long? id = null;
            string? name = null;
            while (true)
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                int field = reader.ValueTextEquals("id"u8) ? 1 : reader.ValueTextEquals("name"u8) ? 2 : 0;
                if (!reader.Read())
                {
                    return false;
                }

                if (field == 1)
                {
                    id = Int64(stream, ref reader, "categories", index, "id");
                }
                else if (field == 2)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw stream.At(reader.TokenStartIndex, JsonValues.Path("categories", index, "name"), $"expected a string, found {JsonValues.Describe(ref reader)}", index);
                    }

                    name = reader.GetString();
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }

            if (id is null || name is null)
            {
                throw stream.At(start, JsonValues.Path("categories", index), $"missing field \"{(id is null ? "id" : "name")}\"", index);
            }

            categories[id.Value] = name;
            return true;
        };
        JsonElementHandler annotationHandler = (ref Utf8JsonReader reader, long index) =>
        {
            long start = reader.TokenStartIndex;
            ExpectObject(stream, ref reader, "annotations", index);
            long? imageId = null;
            long? category = null;
            long id = 0;
            bool crowd = false;
            PixelRect? box = null;
            while (true)
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                int field = reader.ValueTextEquals("image_id"u8) ? 1
                    : reader.ValueTextEquals("bbox"u8) ? 2
                    : reader.ValueTextEquals("category_id"u8) ? 3
                    : reader.ValueTextEquals("id"u8) ? 4
                    : reader.ValueTextEquals("iscrowd"u8) ? 5 : 0;
                if (!reader.Read())
                {
                    return false;
                }

                switch (field)
                {
                    case 1:
                        imageId = Int64(stream, ref reader, "annotations", index, "image_id");
                        break;
                    case 2:
                        if (!ReadBox(stream, ref reader, index, out var b))
                        {
                            return false;
                        }

                        box = b;
                        break;
                    case 3:
                        category = Int64(stream, ref reader, "annotations", index, "category_id");
                        break;
                    case 4:
                        id = Int64(stream, ref reader, "annotations", index, "id");
                        break;
                    case 5:
                        crowd = Int64(stream, ref reader, "annotations", index, "iscrowd") != 0;
                        break;
                    default:
                        if (!reader.TrySkip())
                        {
                            return false;
                        }

                        break;
                }
            }

            if (imageId is null || box is null || category is null)
            {
                string missing = imageId is null ? "image_id" : box is null ? "bbox" : "category_id";
                throw stream.At(start, JsonValues.Path("annotations", index), $"missing field \"{missing}\"", index);
            }

            result.Annotations++;
            if (wanted(imageId.Value))
            {
                pending.Add((imageId.Value, id, category.Value, box.Value, index, crowd));
            }

            return true;
        };
        stream.Run(name => name switch
        {
            "annotations" => annotationHandler,
            "categories" => categoryHandler,
            _ => null,
        }, cancellationToken);

        foreach (var (imageId, id, category, box, index, crowd) in pending)
        {
            if (!categories.TryGetValue(category, out string? name))
            {
                throw new InputFormatException(path, string.Create(CultureInfo.InvariantCulture, $"category {category} is not in \"categories\""),
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

    private static bool ReadImage(JsonObjectStream stream, ref Utf8JsonReader reader, long index, out CocoImage image)
    {
        image = default;
        long start = reader.TokenStartIndex;
        ExpectObject(stream, ref reader, "images", index);
        long? id = null;
        string? fileName = null;
        int width = 0, height = 0;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            int field = reader.ValueTextEquals("id"u8) ? 1
                : reader.ValueTextEquals("file_name"u8) ? 2
                : reader.ValueTextEquals("width"u8) ? 3
                : reader.ValueTextEquals("height"u8) ? 4 : 0;
            if (!reader.Read())
            {
                return false;
            }

            switch (field)
            {
                case 1:
                    id = Int64(stream, ref reader, "images", index, "id");
                    break;
                case 2:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw stream.At(reader.TokenStartIndex, JsonValues.Path("images", index, "file_name"), $"expected a string, found {JsonValues.Describe(ref reader)}", index);
                    }

                    fileName = reader.GetString();
                    break;
                case 3:
                    width = Size(stream, ref reader, index, "width");
                    break;
                case 4:
                    height = Size(stream, ref reader, index, "height");
                    break;
                default:
                    if (!reader.TrySkip())
                    {
                        return false;
                    }

                    break;
            }
        }

        if (id is null || fileName is null || width == 0 || height == 0)
        {
            string missing = id is null ? "id" : fileName is null ? "file_name" : width == 0 ? "width" : "height";
            throw stream.At(start, JsonValues.Path("images", index), $"missing field \"{missing}\"", index);
        }

        image = new CocoImage(id.Value, fileName, width, height);
        return true;
    }

    private static bool ReadBox(JsonObjectStream stream, ref Utf8JsonReader reader, long index, out PixelRect box)
    {
        box = default;
        string field = JsonValues.Path("annotations", index, "bbox");
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw stream.At(reader.TokenStartIndex, field, $"expected an array [x, y, width, height], found {JsonValues.Describe(ref reader)}", index);
        }

        Span<double> values = stackalloc double[4];
        int count = 0;
        long start = reader.TokenStartIndex;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (count >= 4 || !JsonValues.TryNumber(ref reader, out values[count]))
            {
                throw stream.At(reader.TokenStartIndex, JsonValues.Path(field, count),
                    count >= 4 ? "expected 4 numbers [x, y, width, height], found more" : $"expected a number, found {JsonValues.Describe(ref reader)}", index);
            }

            count++;
        }

        if (count != 4)
        {
            throw stream.At(start, field, string.Create(CultureInfo.InvariantCulture, $"expected 4 numbers [x, y, width, height], found {count}"), index);
        }

        box = new PixelRect(values[0], values[1], values[2], values[3]);
        return true;
    }

    private static void ExpectObject(JsonObjectStream stream, ref Utf8JsonReader reader, string array, long index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw stream.At(reader.TokenStartIndex, JsonValues.Path(array, index), $"expected an object, found {JsonValues.Describe(ref reader)}", index);
        }
    }

    private static long Int64(JsonObjectStream stream, ref Utf8JsonReader reader, string array, long index, string name)
    {
        if (!JsonValues.TryInt64(ref reader, out long value))
        {
            throw stream.At(reader.TokenStartIndex, JsonValues.Path(array, index, name), $"expected an integer, found {JsonValues.Describe(ref reader)}", index);
        }

        return value;
    }

    private static int Size(JsonObjectStream stream, ref Utf8JsonReader reader, long index, string name)
    {
        if (!JsonValues.TryInt32(ref reader, out int value) || value <= 0)
        {
            throw stream.At(reader.TokenStartIndex, JsonValues.Path("images", index, name), $"expected a positive integer, found {JsonValues.Describe(ref reader)}", index);
        }

        return value;
    }
}
