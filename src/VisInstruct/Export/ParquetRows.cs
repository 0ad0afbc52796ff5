using System.Text.Json.Serialization;

namespace VisInstruct.Export;

/// <summary>One image of a Parquet row: Hugging Face's <c>Image</c> feature is stored as <c>{bytes, path}</c>.</summary>
public sealed class ParquetImage
{
    [JsonPropertyName("bytes")]
    public byte[]? Bytes { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }
}

/// <summary>A LLaVA turn as a Parquet struct.</summary>
public sealed class ParquetTurn
{
    [JsonPropertyName("from")]
    public string? From { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

/// <summary>A chat message as a Parquet struct (user/assistant).</summary>
public sealed class ParquetMessage
{
    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("content")]
    public string? Content { get; set; }
}

/// <summary>A row with the conversation as LLaVA's <c>conversations</c>.</summary>
public sealed class ParquetConversationRow
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("images")]
    public List<ParquetImage> Images { get; set; } = [];

    [JsonPropertyName("conversations")]
    public List<ParquetTurn> Conversations { get; set; } = [];
}

/// <summary>A row with the conversation as chat <c>messages</c> (<c>--roles openai</c>).</summary>
public sealed class ParquetMessagesRow
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("images")]
    public List<ParquetImage> Images { get; set; } = [];

    [JsonPropertyName("messages")]
    public List<ParquetMessage> Messages { get; set; } = [];
}
