using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using VisInstruct.Backends.Llm;

namespace VisInstruct.Filters.Judges;

/// <summary>The LLM judge's answer on a short free-form question: does the blind answer mean what the reference means.</summary>
internal sealed record SameAnswer(bool Same);

/// <summary>One claim a consistency judge found in the dialogue, and whether the image bears it out.</summary>
internal sealed record JudgedClaim(string Claim, bool Holds);

/// <summary>A consistency judge's answer in claims mode.</summary>
internal sealed record ClaimsAnswer(List<JudgedClaim> Claims);

/// <summary>A consistency judge's answer in score mode.</summary>
internal sealed record ScoreAnswer(int Score, string Reason);

/// <summary>
/// The judges' answers, source-generated. Every property is required and none may be null, so that an answer that
/// leaves one out fails to parse (and gets the repair turn) instead of reading as <c>false</c> or <c>0</c>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(SameAnswer))]
[JsonSerializable(typeof(ClaimsAnswer))]
[JsonSerializable(typeof(ScoreAnswer))]
internal sealed partial class JudgesJsonContext : JsonSerializerContext;

/// <summary>The schemas sent with the judges' requests, derived from their answer types.</summary>
internal static class JudgeSchemas
{
    public static LlmSchema Same { get; } = Of("same_answer", JudgesJsonContext.Default.SameAnswer);

    public static LlmSchema Claims { get; } = Of("image_claims", JudgesJsonContext.Default.ClaimsAnswer);

    public static LlmSchema Score { get; } = Of("image_score", JudgesJsonContext.Default.ScoreAnswer, schema =>
    {
        var score = LlmSchemas.Property(schema, "score");
        score["minimum"] = 1;
        score["maximum"] = 5;
    });

    private static LlmSchema Of<T>(string name, JsonTypeInfo<T> type, Action<JsonObject>? narrow = null)
    {
        var schema = LlmSchemas.Of(type);
        narrow?.Invoke(schema);
        using var document = JsonDocument.Parse(schema.ToJsonString());
        return new LlmSchema(name, document.RootElement.Clone());
    }
}
