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
