using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace VisInstruct.Json;

/// <summary>Typed, streaming reading of record files, with errors that say what is wrong and where.</summary>
public static class JsonRecords
{
    /// <summary>Reads every record as <typeparamref name="T"/>, running <paramref name="check"/> on each.</summary>
    public static IEnumerable<T> Read<T>(JsonRecordReader reader, JsonTypeInfo<T> typeInfo, RecordCheck<T>? check = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(typeInfo);
        while (reader.TryRead(out var raw))
        {
            yield return Deserialize(reader.File, raw, typeInfo, check);
        }
    }

    /// <summary>Deserializes one raw record, explaining any mismatch with the schema.</summary>
    public static T Deserialize<T>(string file, in RawJsonRecord raw, JsonTypeInfo<T> typeInfo, RecordCheck<T>? check = null)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(raw.Utf8.Span, typeInfo);
        }
        catch (JsonException ex)
        {
            throw Explain(file, raw, typeInfo, ex);
        }

        var context = new RecordContext(file, raw);
        if (value is null)
        {
            throw context.Error("", "expected an object, found null");
        }

        check?.Invoke(value, context);
        return value;
    }

    /// <summary>
    /// Turns a deserialization failure into a message that names the field and says what was expected and found,
    /// by walking the type's metadata against the record.
    /// </summary>
    private static InputFormatException Explain(string file, in RawJsonRecord raw, JsonTypeInfo typeInfo, JsonException ex)
    {
        var context = new RecordContext(file, raw);
        using var document = JsonDocument.Parse(raw.Utf8, JsonRecordReader.DocumentOptions);
        if (FindMismatch(document.RootElement, typeInfo, "") is { } mismatch)
        {
            return context.Error(mismatch.Path, mismatch.Message);
        }

        string field = JsonLocator.FromJsonExceptionPath(ex.Path);
        string reason = ex.Message;
        int cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        return context.Error(field, cut >= 0 ? reason[..cut] : reason);
    }

    private readonly record struct Mismatch(string Path, string Message);

    private static Mismatch? FindMismatch(JsonElement element, JsonTypeInfo typeInfo, string path)
    {
        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (element.ValueKind != JsonValueKind.Object)
                {
                    return new Mismatch(path, $"expected an object, found {Describe(element)}");
                }

                foreach (var property in typeInfo.Properties)
                {
                    string propertyPath = JsonLocator.Property(path, property.Name);
                    if (!element.TryGetProperty(property.Name, out var value))
                    {
                        if (property.IsRequired)
                        {
                            return new Mismatch(path, $"missing field \"{property.Name}\"");
                        }

                        continue;
                    }

                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        if (!property.IsSetNullable)
                        {
                            return new Mismatch(propertyPath,
                                $"expected {Expected(typeInfo.Options.GetTypeInfo(property.PropertyType))}, found null");
                        }

                        continue;
                    }

                    if (FindMismatch(value, typeInfo.Options.GetTypeInfo(property.PropertyType), propertyPath) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;

            case JsonTypeInfoKind.Enumerable when typeInfo.ElementType is { } elementType:
                if (element.ValueKind != JsonValueKind.Array)
                {
                    return new Mismatch(path, $"expected an array, found {Describe(element)}");
                }

                var elementInfo = typeInfo.Options.GetTypeInfo(elementType);
                int index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    string itemPath = JsonLocator.Index(path, index++);
                    if (item.ValueKind == JsonValueKind.Null && elementType.IsValueType is false && elementType != typeof(string))
                    {
                        return new Mismatch(itemPath, $"expected {Expected(elementInfo)}, found null");
                    }

                    if (FindMismatch(item, elementInfo, itemPath) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;

            default:
                return CheckScalar(element, typeInfo.Type, path);
        }
    }

    private static Mismatch? CheckScalar(JsonElement element, Type type, string path)
    {
        bool ok = Type.GetTypeCode(type) switch
        {
            TypeCode.String => element.ValueKind == JsonValueKind.String,
            TypeCode.Int32 => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _),
            TypeCode.Int64 => element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out _),
            TypeCode.Double => element.ValueKind == JsonValueKind.Number,
            TypeCode.Boolean => element.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        return ok ? null : new Mismatch(path, $"expected {Expected(type)}, found {Describe(element)}");
    }

    private static string Expected(JsonTypeInfo info) => info.Kind switch
    {
        JsonTypeInfoKind.Object => "an object",
        JsonTypeInfoKind.Enumerable => "an array",
        JsonTypeInfoKind.Dictionary => "an object",
        _ => Expected(info.Type),
    };

    private static string Expected(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.String => "a string",
        TypeCode.Int32 or TypeCode.Int64 => "an integer",
        TypeCode.Double => "a number",
        TypeCode.Boolean => "true or false",
        _ => "a value of another kind",
    };

    /// <summary>Names a JSON value for a message: <c>a number (5)</c>, <c>a string ("x")</c>, <c>an object</c>.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"a string ({Abbreviate(element.GetRawText())})",
        JsonValueKind.Number => $"a number ({Abbreviate(element.GetRawText())})",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({element.GetRawText()})",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private static string Abbreviate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
}
