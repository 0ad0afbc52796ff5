using System.Text.Json;

namespace VisInstruct.Backends.Llm;

/// <summary>One message of a chat request: a role (<c>system</c>, <c>user</c>, <c>assistant</c>), text, and image files.</summary>
public sealed record LlmMessage(string Role, string Text, IReadOnlyList<string>? Images = null)
{
    public static LlmMessage System(string text) => new("system", text);

    public static LlmMessage User(string text, IReadOnlyList<string>? images = null) => new("user", text, images);

    public static LlmMessage Assistant(string text) => new("assistant", text);
}

/// <summary>A chat request. Unset sampling values take the configured defaults.</summary>
public sealed record LlmRequest
{
    public required IReadOnlyList<LlmMessage> Messages { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    /// <summary>The sampling seed (derived from the item's seed): servers that honour it reproduce the answer.</summary>
    public ulong? Seed { get; init; }
}

/// <summary>A chat answer and what it used; <see cref="CountedLocally"/> when the server reported no usage.</summary>
public sealed record LlmReply(string Text, long InputTokens, long OutputTokens, string? FinishReason, bool CountedLocally);

/// <summary>The JSON schema an answer must match, with a name for servers that want one.</summary>
public sealed record LlmSchema(string Name, JsonElement Schema);
