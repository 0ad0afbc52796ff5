using System.Globalization;
using System.Text.Json;
using VisInstruct.Imaging;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Conversion;

/// <summary>
/// SVIT's <c>tools/expand_to_square.py</c>: every box in every turn of a raw SVIT file re-normalised to the padded
/// square, everything else kept as it was (keys, their order, extra fields). Streams: the file is never held whole.
/// As with the original, a missing image fails the run (exit 1, nothing written), but only after every missing or
/// unreadable image is listed; <c>--allow-missing-images</c> writes the file with their boxes unchanged.
/// </summary>
public static class ExpandToSquareJob
{
    public static ConversionReport Run(ExpandToSquareOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var report = new ConversionReport();
        var sizes = new ImageSizeLookup(options.ImageDirectory, options.KnownSizes);

        using var reader = JsonRecordReader.Open(options.InputFile);
        using var staged = new StagedOutput();
        using (var stream = staged.Create(options.OutputFile))
        using (var writer = new PythonJsonWriter(stream, reader.Layout == JsonRecordLayout.Lines ? options.Style with { Indent = null }
            : options.Style))
        {
            if (reader.Layout == JsonRecordLayout.Array)
            {
                writer.WriteStartArray();
            }

            while (reader.TryRead(out var raw))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var context = new RecordContext(reader.File, raw);
                using var document = JsonDocument.Parse(raw.Utf8, JsonRecordReader.DocumentOptions);
                var item = document.RootElement;
                string imageId = ImageKey(item, context);
                var size = sizes.Find(imageId)?.Size;
                if (size is null)
                {
                    report.ImageWithoutSize(imageId, sizes);
                }

                WriteItem(writer, item, size, context, report);
                if (reader.Layout == JsonRecordLayout.Lines)
                {
                    writer.WriteNewLine();
                }

                report.Records++;
            }

            if (reader.Layout == JsonRecordLayout.Array)
            {
                writer.WriteEndArray();
            }
        }

        report.OutputFile = options.OutputFile;
        if (report.RefuseForImages(options.AllowMissingImages))
        {
            return report;
        }

        staged.Commit();
        report.Written = report.Records;
        return report;
    }

    /// <summary>The image's file stem as the original builds it: <c>f"{item['image_id']}"</c>.</summary>
    private static string ImageKey(JsonElement item, in RecordContext context)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw context.Error("", $"expected an object with \"image_id\" and \"conversations\", found {JsonRecords.Describe(item)}");
        }

        if (!item.TryGetProperty("image_id", out var id))
        {
            throw context.Error("", "missing field \"image_id\"");
        }

        return id.ValueKind switch
        {
            JsonValueKind.String when !ImageSizeLookup.IsPlainName(id.GetString()!) =>
                throw context.Error("image_id",
                    $"\"{id.GetString()}\" is not a plain file name: an image id names <image_id>.jpg inside --image-dir, so it must not " +
                        $"hold '/', '\\' or '..'"),
            JsonValueKind.String => id.GetString()!,
            JsonValueKind.Number when id.TryGetInt64(out long n) => n.ToString(CultureInfo.InvariantCulture),
            _ => throw context.Error("image_id", $"expected an integer or a string, found {JsonRecords.Describe(id)}"),
        };
    }

    private static void WriteItem(PythonJsonWriter writer, JsonElement item, ImageSize? size, in RecordContext context,
        ConversionReport report)
    {
        if (!item.TryGetProperty("conversations", out _))
        {
            throw context.Error("", "missing field \"conversations\"");
        }

        writer.WriteStartObject();
        foreach (var property in PythonObjects.Properties(item))
        {
            writer.WritePropertyName(property);
            if (property.NameEquals("conversations"u8))
            {
                WriteConversations(writer, property.Value, size, context, report);
            }
            else
            {
                writer.WriteValue(property.Value);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteConversations(PythonJsonWriter writer, JsonElement conversations, ImageSize? size, in RecordContext context,
        ConversionReport report)
    {
        Expect(conversations, JsonValueKind.Array, "conversations", context);
        writer.WriteStartArray();
        int c = 0;
        foreach (var conversation in conversations.EnumerateArray())
        {
            // Paths (for messages) are built only when something is wrong: most records have none.
            int index = c++;
            if (conversation.ValueKind != JsonValueKind.Object)
            {
                Expect(conversation, JsonValueKind.Object, JsonLocator.Index("conversations", index), context);
            }

            if (!conversation.TryGetProperty("content"u8, out _))
            {
                throw context.Error(JsonLocator.Index("conversations", index), "missing field \"content\"");
            }

            writer.WriteStartObject();
            foreach (var property in PythonObjects.Properties(conversation))
            {
                writer.WritePropertyName(property);
                if (property.NameEquals("content"u8))
                {
                    WriteContent(writer, property.Value, size, index, context, report);
                }
                else
                {
                    writer.WriteValue(property.Value);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteContent(PythonJsonWriter writer, JsonElement content, ImageSize? size, int conversation,
        in RecordContext context, ConversionReport report)
    {
        string Path() => JsonLocator.Index("conversations", conversation) + ".content";
        if (content.ValueKind != JsonValueKind.Array)
        {
            Expect(content, JsonValueKind.Array, Path(), context);
        }

        writer.WriteStartArray();
        int q = 0;
        foreach (var qa in content.EnumerateArray())
        {
            int index = q++;
            if (qa.ValueKind != JsonValueKind.Object)
            {
                Expect(qa, JsonValueKind.Object, JsonLocator.Index(Path(), index), context);
            }

            if (!qa.TryGetProperty("value"u8, out _))
            {
                throw context.Error(JsonLocator.Index(Path(), index), "missing field \"value\"");
            }

            writer.WriteStartObject();
            foreach (var property in PythonObjects.Properties(qa))
            {
                writer.WritePropertyName(property);
                if (property.NameEquals("value"u8))
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        Expect(property.Value, JsonValueKind.String, JsonLocator.Index(Path(), index) + ".value", context);
                    }

                    if (size is not null
                        && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(property.Value).IndexOfAny((byte)'[', (byte)'\\') < 0)
                    {
                        // No box can match without a '[' (nor an escape that could be one): the text is written from its bytes.
                        writer.WriteValue(property.Value);
                    }
                    else
                    {
                        writer.WriteStringValue(Convert(property.Value.GetString()!, size, report));
                    }
                }
                else
                {
                    writer.WriteValue(property.Value);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static string Convert(string value, ImageSize? size, ConversionReport report)
    {
        if (size is not { } s)
        {
            int count = SquareBoxes.Count(value);
            report.Boxes.Found += count;
            report.Boxes.LeftWithoutImage += count;
            return value;
        }

        return SquareBoxes.Rewrite(value, s.Width, s.Height, report.Boxes);
    }

    private static void Expect(JsonElement element, JsonValueKind kind, string path, in RecordContext context)
    {
        if (element.ValueKind != kind)
        {
            string expected = kind switch
            {
                JsonValueKind.Array => "an array",
                JsonValueKind.Object => "an object",
                _ => "a string",
            };
            throw context.Error(path, $"expected {expected}, found {JsonRecords.Describe(element)}");
        }
    }
}
