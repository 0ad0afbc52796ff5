using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Annotations;

/// <summary>
/// Hand-written parsers for one image's record of Visual Genome's <c>objects.json</c> / <c>attributes.json</c> and
/// <c>region_descriptions.json</c>: they read only the fields the recipes use and skip the rest (synsets, merged ids).
/// </summary>
internal static class VgRecords
{
    /// <summary>An object as the file has it; <see cref="Name"/> is null when <c>names</c> is missing or empty.</summary>
    public readonly record struct VgObject(long Id, string? Name, PixelRect Box, string[]? Attributes);

    /// <summary>
    /// The objects of a record of <c>objects.json</c> (<paramref name="arrayKey"/> "objects") or <c>attributes.json</c>
    /// ("attributes"), in file order.
    /// </summary>
    public static List<VgObject> ParseObjects(string file, in RawJsonRecord raw, string arrayKey, bool withAttributes)
    {
        var list = new List<VgObject>();
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
                list.Add(ParseObject(file, raw, ref reader, arrayKey, index++, withAttributes));
            }
        }

        return list;
    }

    /// <summary>The regions of a record of <c>region_descriptions.json</c>, in file order.</summary>
    public static List<AnnotatedRegion> ParseRegions(string file, in RawJsonRecord raw)
    {
        var list = new List<AnnotatedRegion>();
        var reader = new Utf8JsonReader(raw.Utf8.Span, isFinalBlock: true, state: default);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isArray = reader.ValueTextEquals("regions"u8);
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

            Expect(file, raw, ref reader, JsonTokenType.StartArray, "regions", "an array");
            long index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(ParseRegion(file, raw, ref reader, index++));
            }
        }

        return list;
    }

    private static VgObject ParseObject(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, string arrayKey, long index, bool withAttributes)
    {
        long start = reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path(arrayKey, index), $"expected an object, found {JsonValues.Describe(ref reader)}");
        }

        long id = 0;
        double x = double.NaN, y = double.NaN, w = double.NaN, h = double.NaN;
        string? name = null;
        string[]? attributes = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field.Other;
            if (reader.ValueTextEquals("x"u8))
            {
                field = Field.X;
            }
            else if (reader.ValueTextEquals("y"u8))
            {
                field = Field.Y;
            }
            else if (reader.ValueTextEquals("w"u8))
            {
                field = Field.W;
            }
            else if (reader.ValueTextEquals("h"u8))
            {
                field = Field.H;
            }
            else if (reader.ValueTextEquals("names"u8))
            {
                field = Field.Names;
            }
            else if (reader.ValueTextEquals("object_id"u8) || reader.ValueTextEquals("id"u8))
            {
                field = Field.Id;
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                field = Field.Name;
            }
            else if (withAttributes && reader.ValueTextEquals("attributes"u8))
            {
                field = Field.Attributes;
            }

            string? propertyName = field == Field.Id ? reader.GetString() : null;
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
                        throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path(arrayKey, index, propertyName!), $"expected an integer, found {JsonValues.Describe(ref reader)}");
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
                default:
                    reader.Skip();
                    break;
            }
        }

        CheckPresent(file, raw, start, arrayKey, index, x, "x");
        CheckPresent(file, raw, start, arrayKey, index, y, "y");
        CheckPresent(file, raw, start, arrayKey, index, w, "w");
        CheckPresent(file, raw, start, arrayKey, index, h, "h");
        return new VgObject(id, name, new PixelRect(x, y, w, h), attributes);
    }

    private static AnnotatedRegion ParseRegion(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, long index)
    {
        long start = reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path("regions", index), $"expected an object, found {JsonValues.Describe(ref reader)}");
        }

        long id = 0;
        double x = double.NaN, y = double.NaN, w = double.NaN, h = double.NaN;
        string? phrase = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field.Other;
            if (reader.ValueTextEquals("x"u8))
            {
                field = Field.X;
            }
            else if (reader.ValueTextEquals("y"u8))
            {
                field = Field.Y;
            }
            else if (reader.ValueTextEquals("width"u8))
            {
                field = Field.W;
            }
            else if (reader.ValueTextEquals("height"u8))
            {
                field = Field.H;
            }
            else if (reader.ValueTextEquals("phrase"u8))
            {
                field = Field.Name;
            }
            else if (reader.ValueTextEquals("region_id"u8) || reader.ValueTextEquals("id"u8))
            {
                field = Field.Id;
            }

            string? propertyName = field == Field.Id ? reader.GetString() : null;
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
                        throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path("regions", index, propertyName!), $"expected an integer, found {JsonValues.Describe(ref reader)}");
                    }

                    break;
                case Field.Name:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path("regions", index, "phrase"), $"expected a string, found {JsonValues.Describe(ref reader)}");
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
            throw Error(file, raw, start, JsonValues.Path("regions", index), "missing field \"phrase\"");
        }

        CheckPresent(file, raw, start, "regions", index, x, "x");
        CheckPresent(file, raw, start, "regions", index, y, "y");
        CheckPresent(file, raw, start, "regions", index, w, "width");
        CheckPresent(file, raw, start, "regions", index, h, "height");
        return new AnnotatedRegion(id, phrase, new PixelRect(x, y, w, h));
    }

    private static double Number(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, string array, long index, string name)
    {
        if (!JsonValues.TryNumber(ref reader, out double value))
        {
            throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path(array, index, name), $"expected a number, found {JsonValues.Describe(ref reader)}");
        }

        return value;
    }

    private static string[] Strings(string file, in RawJsonRecord raw, ref Utf8JsonReader reader, string array, long index, string name, bool firstOnly)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path(array, index, name), $"expected an array of strings, found {JsonValues.Describe(ref reader)}");
        }

        List<string>? values = null;
        string? first = null;
        int i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Error(file, raw, reader.TokenStartIndex, JsonValues.Path(JsonValues.Path(array, index, name), i),
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
            throw Error(file, raw, start, JsonValues.Path(array, index), $"missing field \"{name}\"");
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
    }
}
