using Microsoft.Extensions.AI;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// The service-wide refusal switch: once a request for JSON-schema output is refused as such (an HTTP 4xx naming the
/// format) after the endpoints' own step-downs, this and every later structured request is sent without
/// <c>response_format</c>, the schema being asked for by the prompt alone.
/// </summary>
internal sealed class SchemaRefusalChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private int _rejected;

    /// <summary>True once a refusal switched structured output off for this backend.</summary>
    public bool Rejected => Volatile.Read(ref _rejected) == 1;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (options?.ResponseFormat is not ChatResponseFormatJson { Schema: not null })
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var list = messages as IList<ChatMessage> ?? [.. messages];
        if (!Rejected)
        {
            try
            {
                return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            }
            catch (BackendException ex) when (ex.Kind == FailureKind.ClientError && RefusesSchema(ex))
            {
                Interlocked.Exchange(ref _rejected, 1);
            }
        }

        var plain = options.Clone();
        plain.ResponseFormat = null;
        return await base.GetResponseAsync(list, plain, cancellationToken).ConfigureAwait(false);
    }

    private static bool RefusesSchema(BackendException ex)
    {
        string text = (ex.Message + " " + ex.Body).ToLowerInvariant();
        return text.Contains("response_format", StringComparison.Ordinal) || text.Contains("json_schema", StringComparison.Ordinal)
            || text.Contains("guided", StringComparison.Ordinal) || text.Contains("grammar", StringComparison.Ordinal)
            || text.Contains("structured", StringComparison.Ordinal);
    }
}
