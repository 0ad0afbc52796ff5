using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// The structured-output fallback of one endpoint: a request for JSON-schema output is sent in the endpoint's mode
/// (<see cref="StructuredModes"/>: json_schema, then json_object, then instructions); a refusal of the format steps
/// the endpoint down and asks again at once (not a retry of a failure), and an answer that shows the format was
/// ignored steps it to instructions for the next requests. Free-text requests pass through.
/// </summary>
internal sealed class StructuredOutputChatClient(IChatClient inner, Uri endpoint, StructuredModes modes, TimeSpan maxProbeWait)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (options is null || Schema(options) is not { } schema)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var list = messages as IList<ChatMessage> ?? [.. messages];
        var (mode, probe) = await modes.EnterAsync(endpoint, maxProbeWait, cancellationToken).ConfigureAwait(false);
        bool answered = false;
        try
        {
            var (sendMessages, sendOptions) = Adapt(list, options, schema, mode);
            for (int step = 0; ; step++)
            {
                try
                {
                    var response = await base.GetResponseAsync(sendMessages, sendOptions, cancellationToken).ConfigureAwait(false);
                    if (mode is StructuredMode.JsonSchema or StructuredMode.JsonObject && IgnoredFormat(response.Text))
                    {
                        // The server took response_format without complaint and answered in prose anyway: from now on
                        // the schema goes in the prompt, where such a server can at least read it.
                        modes.Step(endpoint, mode, StructuredMode.Instructions,
                            $"{StructuredModes.Name(mode)} was accepted but not followed (the answer had text around the JSON)");
                    }

                    answered = true;
                    return response;
                }
                catch (BackendException failure) when (mode != StructuredMode.Instructions && step < 3
                    && failure.Kind == FailureKind.ClientError
                    && StructuredModes.RefusesFormat(failure.Message + " " + failure.Body))
                {
                    // Refused once per endpoint: step down (json_schema -> json_object -> instructions) and ask again.
                    modes.Step(endpoint, mode, mode + 1, $"{StructuredModes.Name(mode)} refused: {failure.Message}");
                    mode = modes.Get(endpoint);
                    (sendMessages, sendOptions) = Adapt(list, options, schema, mode);
                }
            }
        }
        finally
        {
            if (probe)
            {
                modes.Exit(endpoint, answered);
            }
        }
    }

    /// <summary>The JSON schema a structured request asks for; null for free text.</summary>
    private static JsonElement? Schema(ChatOptions options) =>
        options.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } ? schema : null;

    /// <summary>
    /// The request as this endpoint takes it: for json_schema unchanged but for how <c>response_format</c> is written;
    /// for json_object the schema leaves <c>response_format</c> for the prompt; for instructions-only
    /// <c>response_format</c> goes altogether. The schema text is added to the last user message (a second user message
    /// in a row breaks chat templates that need the roles to alternate).
    /// </summary>
    private static (IList<ChatMessage> Messages, ChatOptions Options) Adapt(IList<ChatMessage> messages, ChatOptions options,
        JsonElement schema,
        StructuredMode mode)
    {
        // The response_format is written here, on the SDK's own options, with the schema exactly as given:
        // Microsoft.Extensions.AI would rewrite it for OpenAI's strict mode, moving minItems, maxItems, minLength,
        // maxLength, minimum and maximum into descriptions, which guided decoding (vLLM, SGLang, llama.cpp) then
        // never sees: an "array of turns" with no count.
        var adapted = options.Clone();
        adapted.ResponseFormat = null;
        var inner = options.RawRepresentationFactory;
        string name = (options.ResponseFormat as ChatResponseFormatJson)?.SchemaName ?? "answer";
        var schemaData = BinaryData.FromString(schema.GetRawText());
        adapted.RawRepresentationFactory = client =>
        {
            var raw = inner?.Invoke(client) as OpenAI.Chat.ChatCompletionOptions ?? new OpenAI.Chat.ChatCompletionOptions();
            raw.ResponseFormat = mode switch
            {
                StructuredMode.JsonSchema => OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat(name, schemaData),
                StructuredMode.JsonObject => OpenAI.Chat.ChatResponseFormat.CreateJsonObjectFormat(),
                _ => null,
            };
            return raw;
        };
        if (mode == StructuredMode.JsonSchema)
        {
            return (messages, adapted);
        }

        var list = messages.ToList();
        int last = list.FindLastIndex(m => m.Role == ChatRole.User);
        string instruction = StructuredModes.Instruction(schema);
        if (last < 0)
        {
            list.Add(new ChatMessage(ChatRole.User, instruction));
        }
        else if (list[last].Contents.All(c => c is TextContent))
        {
            // Text stays one string: some servers take no list of parts.
            list[last] = new ChatMessage(ChatRole.User, list[last].Text + "\n\n" + instruction);
        }
        else
        {
            var contents = list[last].Contents.ToList();
            contents.Add(new TextContent("\n\n" + instruction));
            list[last] = new ChatMessage(ChatRole.User, contents);
        }

        return (list, adapted);
    }

    /// <summary>An answer to a structured request that is not JSON from its first character (reasoning aside).</summary>
    private static bool IgnoredFormat(string? text)
    {
        string answer = ReplyText.WithoutReasoning(text ?? "");
        return answer.Length > 0 && answer[0] is not ('{' or '[');
    }
}
