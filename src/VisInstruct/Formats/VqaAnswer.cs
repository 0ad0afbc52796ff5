using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

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
