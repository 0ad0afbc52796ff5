using System.Globalization;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Evaluation;

/// <summary>
/// Reads LLaVA answer files: JSON Lines (or a JSON array) of <c>{"question_id", "prompt", "text", "answer_id",
/// "model_id", "metadata"}</c>. Only <c>question_id</c> and <c>text</c> are required; a record without them, or with
/// a value of the wrong type, is an <see cref="InputFormatException"/> naming the file, line and field.
/// </summary>
public static class AnswerFile
{
    public static IReadOnlyList<ModelAnswer> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var answers = new List<ModelAnswer>();
        using var reader = JsonRecordReader.Open(path);
        while (reader.TryRead(out var raw))
        {
            answers.Add(Parse(reader.File, raw));
        }

        return answers;
    }

    private static ModelAnswer Parse(string file, RawJsonRecord raw)
    {
        var context = new RecordContext(file, raw);
        using var document = JsonDocument.Parse(raw.Utf8, JsonRecordReader.DocumentOptions);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw context.Error("", $"expected an answer object, found {JsonRecords.Describe(root)}");
        }

        var (id, isNumber) = QuestionId(root, context);
        string text = RequiredString(root, "text", context);
        string prompt = OptionalString(root, "prompt", context) ?? "";
        string? model = OptionalString(root, "model_id", context);
        int? round = null;
        if (root.TryGetProperty("round_id", out var r) && r.ValueKind != JsonValueKind.Null)
        {
            round = r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out int n) ? n
                : throw context.Error("round_id", $"expected an integer, found {JsonRecords.Describe(r)}");
        }

        List<string>? chars = null;
        if (root.TryGetProperty("option_char", out var c) && c.ValueKind == JsonValueKind.Array)
        {
            chars = [.. c.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()!
                : throw context.Error("option_char", "expected a list of letters"))];
        }

        string? answerId = root.TryGetProperty("answer_id", out var a) && a.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? JsonInput.Id(a) : null;
        return new ModelAnswer(id, isNumber, prompt, text, model, raw.Start.Line)
        {
            RoundId = round, OptionChars = chars, AnswerId = answerId,
        };
    }

    /// <summary>The <c>question_id</c> of a record: a string or an integer.</summary>
    internal static (string Id, bool IsNumber) QuestionId(JsonElement root, RecordContext context, string field = "question_id")
    {
        if (!root.TryGetProperty(field, out var value))
        {
            throw context.Error("", $"no {field}");
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => (value.GetString()!, false),
            JsonValueKind.Number when value.TryGetInt64(out long n) => (n.ToString(CultureInfo.InvariantCulture), true),
            _ => throw context.Error(field, $"expected a string or an integer, found {JsonRecords.Describe(value)}"),
        };
    }

    internal static string RequiredString(JsonElement root, string field, RecordContext context) =>
        OptionalString(root, field, context) ?? throw context.Error("", $"no {field}");

    internal static string? OptionalString(JsonElement root, string field, RecordContext context)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw context.Error(field, $"expected a string, found {JsonRecords.Describe(value)}");
    }
}
