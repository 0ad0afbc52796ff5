using VisInstruct.Json;

namespace VisInstruct.Formats;

/// <summary>
/// Writes each format's records with its fields in the order the reference scripts write them, so that files compare
/// equal to theirs.
/// </summary>
public static class FormatWriter
{
    /// <summary><c>{"id", "image", "prompt", "question", "answer"}</c>, as in the released ability files.</summary>
    public static void Write(PythonJsonWriter writer, StableLlavaEntry entry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        writer.WriteStartObject();
        writer.WriteString("id", entry.Id);
        writer.WriteString("image", entry.Image);
        writer.WriteString("prompt", entry.Prompt);
        writer.WriteString("question", entry.Question);
        writer.WriteString("answer", entry.Answer);
        writer.WriteEndObject();
    }

    /// <summary><c>{"id", "image"?, "conversations": [{"from", "value"}]}</c>, as LLaVA's data files.</summary>
    public static void Write(PythonJsonWriter writer, LlavaSample sample)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(sample);
        writer.WriteStartObject();
        writer.WriteString("id", sample.Id);
        if (sample.Image is { } image)
        {
            writer.WritePropertyName("image");
            if (image.IsList)
            {
                writer.WriteStartArray();
                foreach (string path in image.Paths)
                {
                    writer.WriteStringValue(path);
                }

                writer.WriteEndArray();
            }
            else
            {
                writer.WriteStringValue(image.Paths[0]);
            }
        }

        writer.WritePropertyName("conversations");
        writer.WriteStartArray();
        foreach (var turn in sample.Conversations)
        {
            writer.WriteStartObject();
            writer.WriteString("from", turn.From);
            writer.WriteString("value", turn.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary><c>{"image_id", "conversations": [{"content": [{"from", "value"}]}]}</c>, as raw SVIT.</summary>
    public static void Write(PythonJsonWriter writer, SvitSample sample)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(sample);
        writer.WriteStartObject();
        writer.WriteNumber("image_id", sample.ImageId);
        writer.WritePropertyName("conversations");
        writer.WriteStartArray();
        foreach (var conversation in sample.Conversations)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("content");
            writer.WriteStartArray();
            foreach (var turn in conversation.Content)
            {
                writer.WriteStartObject();
                writer.WriteString("from", turn.From);
                writer.WriteString("value", turn.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary><c>{"question_id", "image", "text", "category"}</c>, as model_vqa question files.</summary>
    public static void Write(PythonJsonWriter writer, VqaQuestion question)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(question);
        writer.WriteStartObject();
        WriteId(writer, question.QuestionId);
        if (question.Image is not null)
        {
            writer.WriteString("image", question.Image);
        }

        writer.WriteString("text", question.Text);
        if (question.Category is not null)
        {
            writer.WriteString("category", question.Category);
        }

        writer.WriteEndObject();
    }

    /// <summary><c>{"question_id", "prompt", "text", "answer_id", "model_id", "metadata"}</c>, as model_vqa answer files.</summary>
    public static void Write(PythonJsonWriter writer, VqaAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(answer);
        writer.WriteStartObject();
        WriteId(writer, answer.QuestionId);
        WriteOptional(writer, "prompt", answer.Prompt);
        writer.WriteString("text", answer.Text);
        WriteOptional(writer, "category", answer.Category);
        WriteOptional(writer, "answer_id", answer.AnswerId);
        WriteOptional(writer, "model_id", answer.ModelId);
        if (answer.Metadata is { } metadata)
        {
            writer.WritePropertyName("metadata");
            metadata.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static void WriteId(PythonJsonWriter writer, VqaId id)
    {
        writer.WritePropertyName("question_id");
        if (id.IsNumber)
        {
            writer.WriteNumberValue(long.Parse(id.Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteStringValue(id.Value);
        }
    }

    private static void WriteOptional(PythonJsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
