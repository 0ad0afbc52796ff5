using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Annotations;

/// <summary>
/// Hand-written parsers for one image's record of Visual Genome's <c>objects.json</c> / <c>attributes.json</c> and
/// <c>region_descriptions.json</c>: they read only the fields the recipes use (of the synsets, the first) and skip the rest (merged ids).
/// </summary>
internal static class VgRecords
{
    /// <summary>
    /// An object as the file has it; <see cref="Name"/> is null when <c>names</c> is missing or empty, <see cref="Synset"/>
    /// when <c>synsets</c> is (the field is optional).
    /// </summary>
    public readonly record struct VgObject(long Id, string? Name, PixelRect Box, string[]? Attributes, string? Synset = null);

    /// <summary>
    /// The objects of a record of <c>objects.json</c> (<paramref name="arrayKey"/> "objects") or <c>attributes.json</c>
    /// ("attributes"), in file order.
    /// </summary>
    public static List<VgObject> ParseObjects(string file, in RawJsonRecord raw, string arrayKey, bool withAttributes) =>
        ParseArray(file, raw, arrayKey, (string f, in RawJsonRecord r, ref Utf8JsonReader reader, long index) =>
            ParseObject(f, r, ref reader, arrayKey, index, withAttributes));

    /// <summary>The regions of a record of <c>region_descriptions.json</c>, in file order.</summary>
    public static List<AnnotatedRegion> ParseRegions(string file, in RawJsonRecord raw) =>
        ParseArray(file, raw, "regions", ParseRegion);

    private delegate T ElementParser<out T>(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, long index);

    /// <summary>
    /// The elements of the record's array property <paramref name="arrayKey"/> (null or absent: none), other properties skipped.
    /// </summary>
    private static List<T> ParseArray<T>(string file, in RawJsonRecord raw, string arrayKey, ElementParser<T> parse)
    {
        var list = new List<T>();
        var reader = new Utf8JsonReader(raw.Utf8.Span, isFinalBlock: true, state: default);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isArray = reader.ValueTextEquals(arrayKey);
            reader.Read();
            if (!isArray)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            Expect(file, raw, ref reader, JsonTokenType.StartArray, arrayKey, "an array");
            long index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(parse(file, raw, ref reader, index++));
            }
        }

        return list;
    }

    private static VgObject ParseObject(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, string arrayKey, long index,
        bool withAttributes)
    {
        long start = reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(file, raw, reader.TokenStartIndex, JsonLocator.Index(arrayKey, index),
                $"expected an object, found {JsonValues.Describe(ref reader)}");
        }

        long id = 0;
        double x = double.NaN, y = double.NaN, w = double.NaN, h = double.NaN;
        string? name = null;
        string? synset = null;
        string[]? attributes = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = ObjectField(ref reader, withAttributes);
            bool shortId = field == Field.Id && reader.ValueSpan.Length == 2;
            reader.Read();
            switch (field)
            {
                case Field.X:
                    x = Number(file, raw, ref reader, arrayKey, index, "x");
                    break;
                case Field.Y:
                    y = Number(file, raw, ref reader, arrayKey, index, "y");
                    break;
                case Field.W:
                    w = Number(file, raw, ref reader, arrayKey, index, "w");
                    break;
                case Field.H:
                    h = Number(file, raw, ref reader, arrayKey, index, "h");
                    break;
                case Field.Id:
                    if (!JsonValues.TryInt64(ref reader, out id))
                    {
                        throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path(arrayKey, index, shortId ? "id" : "object_id"),
                            $"expected an integer, found {JsonValues.Describe(ref reader)}");
                    }

                    break;
                case Field.Names:
                    string[] names = Strings(file, raw, ref reader, arrayKey, index, "names", firstOnly: true);
                    name = names.Length > 0 ? names[0] : null;
                    break;
                case Field.Name:
                    // Some early releases give one "name" instead of "names".
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        name ??= reader.GetString();
                    }

                    break;
                case Field.Attributes:
                    attributes = Strings(file, raw, ref reader, arrayKey, index, "attributes", firstOnly: false);
                    break;
                case Field.Synsets:
                    string[] synsets = Strings(file, raw, ref reader, arrayKey, index, "synsets", firstOnly: true);
                    synset = synsets.Length > 0 && synsets[0].Length > 0 ? synsets[0] : null;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        CheckPresent(file, raw, start, arrayKey, index, x, "x");
        CheckPresent(file, raw, start, arrayKey, index, y, "y");
        CheckPresent(file, raw, start, arrayKey, index, w, "w");
        CheckPresent(file, raw, start, arrayKey, index, h, "h");
        return new VgObject(id, name, new PixelRect(x, y, w, h), attributes, synset);
    }

    private static AnnotatedRegion ParseRegion(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, long index)
    {
        long start = reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(file, raw, reader.TokenStartIndex, JsonLocator.Index("regions", index),
                $"expected an object, found {JsonValues.Describe(ref reader)}");
        }

        long id = 0;
        double x = double.NaN, y = double.NaN, w = double.NaN, h = double.NaN;
        string? phrase = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = RegionField(ref reader);
            bool shortId = field == Field.Id && reader.ValueSpan.Length == 2;
            reader.Read();
            switch (field)
            {
                case Field.X:
                    x = Number(file, raw, ref reader, "regions", index, "x");
                    break;
                case Field.Y:
                    y = Number(file, raw, ref reader, "regions", index, "y");
                    break;
                case Field.W:
                    w = Number(file, raw, ref reader, "regions", index, "width");
                    break;
                case Field.H:
                    h = Number(file, raw, ref reader, "regions", index, "height");
                    break;
                case Field.Id:
                    if (!JsonValues.TryInt64(ref reader, out id))
                    {
                        throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path("regions", index, shortId ? "id" : "region_id"),
                            $"expected an integer, found {JsonValues.Describe(ref reader)}");
                    }

                    break;
                case Field.Name:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path("regions", index, "phrase"),
                            $"expected a string, found {JsonValues.Describe(ref reader)}");
                    }

                    phrase = reader.GetString();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (phrase is null)
        {
            throw Error(file, raw, start, JsonLocator.Index("regions", index), "missing field \"phrase\"");
        }

        CheckPresent(file, raw, start, "regions", index, x, "x");
        CheckPresent(file, raw, start, "regions", index, y, "y");
        CheckPresent(file, raw, start, "regions", index, w, "width");
        CheckPresent(file, raw, start, "regions", index, h, "height");
        return new AnnotatedRegion(id, phrase, new PixelRect(x, y, w, h));
    }

    /// <summary>Which object field a property name is (compared as bytes; an escaped name is unescaped first).</summary>
    private static Field ObjectField(ref Utf8JsonReader reader, bool withAttributes)
    {
        ReadOnlySpan<byte> name = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        return name.Length switch
        {
            1 => name[0] switch
            {
                (byte)'x' => Field.X,
                (byte)'y' => Field.Y,
                (byte)'w' => Field.W,
                (byte)'h' => Field.H,
                _ => Field.Other,
            },
            2 when name.SequenceEqual("id"u8) => Field.Id,
            4 when name.SequenceEqual("name"u8) => Field.Name,
            5 when name.SequenceEqual("names"u8) => Field.Names,
            7 when name.SequenceEqual("synsets"u8) => Field.Synsets,
            9 when name.SequenceEqual("object_id"u8) => Field.Id,
            10 when withAttributes && name.SequenceEqual("attributes"u8) => Field.Attributes,
            _ => Field.Other,
        };
    }

    /// <summary>Which region field a property name is.</summary>
    private static Field RegionField(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> name = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        return name.Length switch
        {
            1 => name[0] switch
            {
                (byte)'x' => Field.X,
                (byte)'y' => Field.Y,
                _ => Field.Other,
            },
            2 when name.SequenceEqual("id"u8) => Field.Id,
            5 when name.SequenceEqual("width"u8) => Field.W,
            6 when name.SequenceEqual("height"u8) => Field.H,
            6 when name.SequenceEqual("phrase"u8) => Field.Name,
            9 when name.SequenceEqual("region_id"u8) => Field.Id,
            _ => Field.Other,
        };
    }

    private static double Number(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, string array, long index, string name)
    {
        if (!JsonValues.TryNumber(ref reader, out double value))
        {
            throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path(array, index, name),
                $"expected a number, found {JsonValues.Describe(ref reader)}");
        }

        return value;
    }

    private static string[] Strings(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, string array, long index, string name,
        bool firstOnly)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path(array, index, name),
                $"expected an array of strings, found {JsonValues.Describe(ref reader)}");
        }

        List<string>? values = null;
        string? first = null;
        int i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Error(file, raw, reader.TokenStartIndex, JsonLocator.Index(JsonValues.Path(array, index, name), i),
                    $"expected a string, found {JsonValues.Describe(ref reader)}");
            }

            if (i == 0)
            {
                first = reader.GetString()!;
            }
            else if (!firstOnly)
            {
                values ??= [first!];
                values.Add(reader.GetString()!);
            }

            i++;
        }

        return values is not null ? [.. values] : first is not null ? [first] : [];
    }

    private static void CheckPresent(string file, in RawJsonRecord raw, long start, string array, long index, double value, string name)
    {
        if (double.IsNaN(value))
        {
            throw Error(file, raw, start, JsonLocator.Index(array, index), $"missing field \"{name}\"");
        }
    }

    private static InputFormatException Error(string file, in RawJsonRecord raw, long offset, string field, string message) =>
        new(file, message, raw.PositionOf((int)offset), field, raw.Index, RecordIdentity.Find(raw.Utf8.Span));

    private static void Expect(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, JsonTokenType type, string field, string what)
    {
        if (reader.TokenType != type)
        {
            throw Error(file, raw, reader.TokenStartIndex, field, $"expected {what}, found {JsonValues.Describe(ref reader)}");
        }
    }

    private enum Field
    {
        Other,
        X,
        Y,
        W,
        H,
        Id,
        Names,
        Name,
        Attributes,
        Synsets,
    }
}
