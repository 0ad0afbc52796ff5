using System.ClientModel;
using Microsoft.Extensions.AI;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// The layer on one endpoint's client: each request gets the request timeout, and whatever it throws comes out as a
/// classified <see cref="BackendException"/> (the OpenAI SDK's error answers with their status, body and Retry-After).
/// </summary>
internal sealed class EndpointChatClient(IChatClient inner, Uri endpoint, TimeSpan timeout) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var response = await base.GetResponseAsync(messages, options, limit.Token).ConfigureAwait(false);
            return response.Messages.Count == 0
                ? throw new BackendException(FailureKind.BadResponse, "the server answered with no choices", endpoint)
                : response;
        }
        catch (Exception ex) when (Classify(ex, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    private BackendException? Classify(Exception ex, CancellationToken callerToken)
    {
        if (ex is not ClientResultException result)
        {
            return HttpFailures.Classify(ex, endpoint, callerToken);
        }

        var response = result.GetRawResponse();
        string? body = null;
        string? retryAfter = null;
        if (response is not null)
        {
            try
            {
                body = response.Content?.ToString();
            }
            catch (InvalidOperationException)
            {
                // The content was streamed and is gone.
            }

            response.Headers.TryGetValue("Retry-After", out retryAfter);
        }

        return HttpFailures.FromStatus(result.Status, body, retryAfter, endpoint, ex);
    }
}
