using Microsoft.Extensions.AI;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// Retries a request that failed transiently (<see cref="BackendRetry"/>), each attempt through the layers under it
/// (so on whichever endpoint is best then). Streaming is passed through: a stream cannot be replayed once it started.
/// </summary>
internal sealed class RetryingChatClient(IChatClient inner, BackendRetry retry) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        return retry.ExecuteAsync(token => base.GetResponseAsync(list, options, token), cancellationToken);
    }
}
