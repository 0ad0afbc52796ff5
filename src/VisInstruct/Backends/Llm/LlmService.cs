using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using VisInstruct.Imaging;
using VisInstruct.Json;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// What stages call to talk to an LLM or VLM: requests in canonical form, answered from the run's response cache
/// when asked before (scoped to the item), otherwise sent through the pooled client and counted (tokens from the
/// server's usage, or counted locally when it gives none). Structured answers: a JSON schema is requested where the
/// server supports it; the answer is parsed leniently; one repair turn; then a recorded failure with the raw text.
/// Failures are <see cref="BackendException"/>s.
/// </summary>
public sealed class LlmService
{
    public const string BackendKind = "openai-chat";

    private readonly IChatClient _client;
    private readonly LlmServiceOptions _options;

    public LlmService(IChatClient client, LlmServiceOptions options)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
    }

    public string Name => _options.Name;

    public string Model => _options.Model;

    /// <summary>True once a server refused JSON-schema output or ignored it, and answers are asked for another way.</summary>
    public bool StructuredOutputRejected => _client.GetService<SchemaRefusalChatClient>() is { Rejected: true }
        || OutputModes().Any(m => m.Mode != "json_schema");

    /// <summary>
    /// The structured-output mode each endpoint used (for the manifest and the card); empty when no structured request was
    /// sent.
    /// </summary>
    public IReadOnlyList<EndpointOutputMode> OutputModes() => _client.GetService<StructuredModes>()?.Describe(Name) ?? [];

    /// <summary>
    /// How many tokens one request may take in all (prompt and answer): <see cref="LlmServiceOptions.ContextTokens"/>
    /// when set, else what the servers report for the model (<see cref="ModelWindow"/>), else null (not known: no limit
    /// is applied).
    /// </summary>
    public async Task<int?> ContextWindowAsync(CancellationToken cancellationToken = default)
    {
        if (_options.ContextTokens is { } set)
        {
            return set;
        }

        return _client.GetService<PooledChatClient>() is { } pooled
            ? await pooled.ContextWindowAsync(cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>
    /// Starts asking the servers for the model's window now (it is asked once per run), so that the first items, which
    /// all wait for it, do not wait for a round trip after the run has started. Nothing when the configuration sets it.
    /// </summary>
    public void PrefetchContextWindow()
    {
        if (_options.ContextTokens is null && _client.GetService<PooledChatClient>() is { } pooled)
        {
            // Observed by the items that await it; a failure there is what they see.
            _ = pooled.ContextWindowAsync(CancellationToken.None).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    /// <summary>The window set in the configuration (<c>llm.context_tokens</c>), null when the server's is used.</summary>
    public int? ConfiguredContextTokens => _options.ContextTokens;

    /// <summary>The configured <c>max_tokens</c> of an answer (null: the server's default).</summary>
    public int? MaxTokens => _options.MaxTokens;

    /// <summary>A free-text answer.</summary>
    public Task<LlmReply> CompleteAsync(string scope, IBackendGateway gateway, LlmRequest request,
        CancellationToken cancellationToken = default) =>
        CallAsync(scope, gateway, request, schema: null, cancellationToken);

    /// <summary>
    /// An answer that parses as <typeparamref name="T"/> and passes <paramref name="validate"/> (which returns why not,
    /// or null). One repair turn when the first answer does not; then a <see cref="BackendException"/> of kind
    /// <see cref="FailureKind.Unparsable"/> with the raw answers kept as its body.
    /// </summary>
    public async Task<T> CompleteJsonAsync<T>(string scope, IBackendGateway gateway, LlmRequest request, LlmSchema schema,
        JsonTypeInfo<T> type,
        Func<T, string?>? validate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schema);
        var first = await CallStructuredAsync(scope, gateway, request, schema, cancellationToken).ConfigureAwait(false);
        if (JsonAnswer.TryRead(first.Text, type, validate, out var value, out string reason))
        {
            return value;
        }

        var repair = request with
        {
            Messages =
            [
                .. request.Messages,
                LlmMessage.Assistant(first.Text),
                LlmMessage.User($"That answer could not be used: {reason}. "
                    + $"Answer again with only a JSON value that matches this schema, and nothing else:\n{schema.Schema.GetRawText()}"),
            ],
        };
        var second = await CallStructuredAsync(scope, gateway, repair, schema, cancellationToken).ConfigureAwait(false);
        if (JsonAnswer.TryRead(second.Text, type, validate, out value, out string secondReason))
        {
            return value;
        }

        throw new BackendException(FailureKind.Unparsable,
            $"the answer did not match the expected JSON after one repair turn: {secondReason}",
            body: $"first answer:\n{first.Text}\n\nrepair answer:\n{second.Text}") { Attempts = 2 };
    }

    /// <summary>
    /// Asks <paramref name="task"/> for <paramref name="input"/>: its request with its schema, the answer parsed once
    /// into its type, and the shared repair turn quoting the first problem when the answer has any.
    /// </summary>
    public Task<TOutput> AskAsync<TInput, TOutput>(string scope, IBackendGateway gateway, LlmTask<TInput, TOutput> task, TInput input,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return CompleteJsonAsync(scope, gateway, task.Request(input), task.Schema(input), task.Type,
            answer => task.Problems(answer, input) is [var first, ..] ? first : null, cancellationToken);
    }

    /// <summary>A structured request: with its schema, unless the configuration turns structured output off.</summary>
    private Task<LlmReply> CallStructuredAsync(string scope, IBackendGateway gateway, LlmRequest request, LlmSchema schema,
        CancellationToken cancellationToken) =>
        CallAsync(scope, gateway, request, _options.StructuredOutput ? schema : null, cancellationToken);

    private async Task<LlmReply> CallAsync(string scope, IBackendGateway gateway, LlmRequest request, LlmSchema? schema,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(request);
        var resolved = request with
        {
            Temperature = request.Temperature ?? _options.Temperature,
            TopP = request.TopP ?? _options.TopP,
            MaxTokens = request.MaxTokens ?? _options.MaxTokens,
        };
        byte[] canonical = Canonical(resolved, schema);
        // If the answer is lost (the process is killed while it is on its way), the request is counted with this
        // estimate: the prompt by the local count, the answer at its limit.
        var estimate = new Usage(resolved.Messages.Sum(m => (long)LocalTokenCounter.Count(m.Text)), resolved.MaxTokens ?? 0);
        var sent = new BackendRequest(BackendKind, _options.Model, canonical) { Estimate = estimate };
        var response = await gateway.SendAsync(new BackendCall(scope, sent, async token =>
        {
            var reply = await SendAsync(resolved, schema, token).ConfigureAwait(false);
            return new BackendResponse(Serialize(reply), new Usage(reply.InputTokens, reply.OutputTokens));
        }), cancellationToken).ConfigureAwait(false);
        return Deserialize(response.Body);
    }

    private async Task<LlmReply> SendAsync(LlmRequest request, LlmSchema? schema, CancellationToken cancellationToken)
    {
        var messages = request.Messages.Select(ToChatMessage).ToList();
        var options = new ChatOptions
        {
            Temperature = (float?)request.Temperature,
            TopP = (float?)request.TopP,
            Seed = request.Seed is { } seed ? (long)(seed & long.MaxValue) : null,
            ResponseFormat = schema is null ? null : ChatResponseFormat.ForJsonSchema(schema.Schema, schema.Name),
        };
        if (request.MaxTokens is { } maxTokens)
        {
            // "max_tokens" is what every OpenAI-compatible server reads; the SDK itself only writes the newer
            // "max_completion_tokens", which several do not.
            options.RawRepresentationFactory = _ =>
            {
                var raw = new OpenAI.Chat.ChatCompletionOptions();
#pragma warning disable SCME0001 // JsonPatch is the SDK's way to set a field it has no property for.
                raw.Patch.Set("$.max_tokens"u8, maxTokens);
#pragma warning restore SCME0001
                return raw;
            };
        }

        var response = await _client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);

        // Reasoning is never part of the answer: a <think> block in the content is dropped here (before the answer is
        // cached), and a separate reasoning field (reasoning_content) is not read into the text.
        string text = ReplyText.WithoutReasoning(response.Text ?? "");
        long input = response.Usage?.InputTokenCount ?? 0;
        long output = response.Usage?.OutputTokenCount ?? 0;
        bool local = response.Usage?.InputTokenCount is null || response.Usage?.OutputTokenCount is null;
        if (local)
        {
            input = request.Messages.Sum(m => LocalTokenCounter.Count(m.Text));
            output = LocalTokenCounter.Count(text);
        }

        return new LlmReply(text, input, output, response.FinishReason?.Value, local);
    }

    private ChatMessage ToChatMessage(LlmMessage message)
    {
        var role = message.Role switch
        {
            "system" => ChatRole.System,
            "assistant" => ChatRole.Assistant,
            _ => ChatRole.User,
        };
        if (message.Images is not { Count: > 0 } images)
        {
            return new ChatMessage(role, message.Text);
        }

        var contents = new List<AIContent> { new TextContent(message.Text) };
        foreach (string path in images)
        {
            string mediaType = MediaType(path);
            contents.Add(_options.LocalMedia
                ? new UriContent(new Uri(Path.GetFullPath(path)), mediaType)
                : new DataContent(File.ReadAllBytes(path), mediaType));
        }

        return new ChatMessage(role, contents);
    }

    private static string MediaType(string path) => ImageHeader.TryRead(path)?.Format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Gif => "image/gif",
        ImageFormat.Bmp => "image/bmp",
        ImageFormat.WebP => "image/webp",
        ImageFormat.Jpeg => "image/jpeg",
        _ => throw new BackendException(FailureKind.UnreadableImage, $"{path} is not a readable image"),
    };

    /// <summary>The request as the cache sees it: messages (images by content hash), sampling values, seed, schema.</summary>
    private byte[] Canonical(LlmRequest request, LlmSchema? schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("model", _options.Model);
            writer.WritePropertyName("messages");
            writer.WriteStartArray();
            foreach (var message in request.Messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role);
                writer.WriteString("text", message.Text);
                if (message.Images is { Count: > 0 } images)
                {
                    writer.WritePropertyName("images");
                    writer.WriteStartArray();
                    foreach (string image in images)
                    {
                        writer.WriteStringValue(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(image))));
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteOptional(writer, "temperature", request.Temperature);
            WriteOptional(writer, "top_p", request.TopP);
            if (request.MaxTokens is { } max)
            {
                writer.WriteNumber("max_tokens", max);
            }

            if (request.Seed is { } seed)
            {
                writer.WriteString("seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (schema is not null)
            {
                writer.WritePropertyName("schema");
                writer.WriteValue(schema.Schema);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteOptional(PythonJsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static byte[] Serialize(LlmReply reply)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            writer.WriteString("text", reply.Text);
            if (reply.FinishReason is not null)
            {
                writer.WriteString("finish_reason", reply.FinishReason);
            }

            writer.WriteNumber("input_tokens", reply.InputTokens);
            writer.WriteNumber("output_tokens", reply.OutputTokens);
            writer.WritePropertyName("counted_locally");
            writer.WriteBooleanValue(reply.CountedLocally);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static LlmReply Deserialize(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        return new LlmReply(
            root.GetProperty("text").GetString()!,
            root.GetProperty("input_tokens").GetInt64(),
            root.GetProperty("output_tokens").GetInt64(),
            root.TryGetProperty("finish_reason", out var finish) ? finish.GetString() : null,
            root.GetProperty("counted_locally").GetBoolean());
    }
}
