using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

/// <summary>A line of a model_vqa question file: <c>{question_id, image, text, category}</c>.</summary>
public sealed record VqaQuestion
{
    public required VqaId QuestionId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Image { get; init; }

    public required string Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Category { get; init; }
}

/// <summary>
/// A line of a model_vqa answer file: <c>{question_id, prompt, text, answer_id, model_id, metadata}</c>. Reference
/// answer files carry only some of these (and sometimes <c>category</c>).
/// </summary>
public sealed record VqaAnswer
{
    public required VqaId QuestionId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Prompt { get; init; }

    public required string Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AnswerId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ModelId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Category { get; init; }

    /// <summary>The <c>metadata</c> object, kept as JSON text (LLaVA writes <c>{}</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonBlob? Metadata { get; init; }
}

/// <summary>A question id as written: an integer (<c>0</c>) or a string (<c>"code_reasoning/0020.png"</c>).</summary>
[JsonConverter(typeof(VqaIdJsonConverter))]
public readonly record struct VqaId(string Value, bool IsNumber)
{
    public static VqaId Number(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), true);

    public static VqaId Text(string value) => new(value, false);

    public override string ToString() => Value;
}
