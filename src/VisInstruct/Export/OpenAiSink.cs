using System.Globalization;
using VisInstruct.Datasets;
using VisInstruct.Formats;
using VisInstruct.Imaging;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Export;

/// <summary>
/// OpenAI chat fine-tuning JSONL: one <c>{"messages": [...]}</c> a line. A question with images becomes a list of
/// content parts, its text split at each <c>&lt;image&gt;</c> token and the image put in the token's place as an
/// <c>image_url</c> part holding a base64 data URL (the newline that LLaVA puts beside the token is dropped with
/// it); a question without images and every answer stay plain strings. Samples beyond
/// <see cref="OpenAiLimits"/> are refused by reason.
/// </summary>
internal sealed class OpenAiSink : ExportSink
{
    private readonly RecordFileWriter<ExportItem> _writer;
    private long _imageExamples;

    public OpenAiSink(ExportOptions options, StagedOutput staged)
        : base(options, staged) =>
        _writer = new(staged.Create(options.Out), JsonRecordLayout.Lines, JsonStyle.Compact, Write);

    public override SampleProblem? Check(ExportItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var files = item.ImageFiles;
        if (files.Count > OpenAiLimits.MaxImagesPerExample)
        {
            return new SampleProblem(OpenAiLimits.ImageCount, string.Create(CultureInfo.InvariantCulture,
                $"{files.Count} images; OpenAI takes at most {OpenAiLimits.MaxImagesPerExample} in one example"), "image");
        }

        for (int i = 0; i < files.Count; i++)
        {
            string field = item.Sample.Sample.Image!.IsList ? JsonLocator.Index("image", i) : "image";
            var header = ImageHeader.TryRead(files[i])!.Value;
            if (header.Format is not (ImageFormat.Jpeg or ImageFormat.Png or ImageFormat.WebP))
            {
                return new SampleProblem(OpenAiLimits.ImageFormat,
                    $"{files[i]} is {header.Format}; OpenAI takes JPEG, PNG or WEBP images", field);
            }

            long length = new FileInfo(files[i]).Length;
            if (length > OpenAiLimits.MaxImageBytes)
            {
                return new SampleProblem(OpenAiLimits.ImageSize, string.Create(CultureInfo.InvariantCulture,
                    $"{files[i]} has {length} bytes; OpenAI takes images of at most 10 MB"), field);
            }
        }

        if (files.Count > 0 && _imageExamples >= OpenAiLimits.MaxImageExamples)
        {
            return new SampleProblem(OpenAiLimits.ImageExamples, string.Create(CultureInfo.InvariantCulture,
                $"OpenAI takes at most {OpenAiLimits.MaxImageExamples} examples with images in one training file; split the export"));
        }

        return null;
    }

    public override void Write(ExportItem item)
    {
        _writer.Write(item);
        if (item.ImageFiles.Count > 0)
        {
            _imageExamples++;
        }
    }

    public override void Complete()
    {
        _writer.Complete();
        _writer.Dispose();
    }

    protected override void Release() => _writer.Dispose();

    /// <summary>The media type of a data URL for an image format OpenAI takes.</summary>
    public static string MediaType(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.WebP => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "OpenAI takes JPEG, PNG or WEBP"),
    };

    private static void Write(PythonJsonWriter writer, ExportItem item)
    {
        int image = 0;
        writer.WriteStartObject();
        writer.WritePropertyName("messages");
        writer.WriteStartArray();
        foreach (var turn in item.Sample.Sample.Conversations)
        {
            writer.WriteStartObject();
            writer.WriteString("role", ShareGptSink.Role(turn));
            writer.WritePropertyName("content");
            if (turn.From == LlavaTurn.Human && SampleCheck.Count(turn.Value) > 0)
            {
                WriteParts(writer, turn.Value, item.ImageFiles, ref image);
            }
            else
            {
                writer.WriteStringValue(turn.Value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteParts(PythonJsonWriter writer, string text, IReadOnlyList<string> files, ref int image)
    {
        writer.WriteStartArray();
        string[] pieces = text.Split(SampleCheck.ImageToken);
        for (int i = 0; i < pieces.Length; i++)
        {
            if (i > 0)
            {
                string file = files[image++];
                var format = ImageHeader.TryRead(file)!.Value.Format;
                writer.WriteStartObject();
                writer.WriteString("type", "image_url");
                writer.WritePropertyName("image_url");
                writer.WriteStartObject();
                writer.WriteString("url", $"data:{MediaType(format)};base64,{Convert.ToBase64String(File.ReadAllBytes(file))}");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            string piece = pieces[i].Trim('\n');
            if (piece.Trim().Length > 0)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "text");
                writer.WriteString("text", piece);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
    }
}
