using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// Composes the chat backend of one model over its OpenAI-compatible endpoints (vLLM, SGLang, Ollama, llama.cpp
/// server, OpenAI) with <see cref="ChatClientBuilder"/>, outermost first: the service-wide schema-refusal switch,
/// retries, endpoint pooling; and on each endpoint the structured-output fallback, the request timeout with failure
/// classification, and the OpenAI SDK's chat client through Microsoft.Extensions.AI.OpenAI. Failures come out as
/// <see cref="BackendException"/> with their kind.
/// </summary>
public static class ChatBackend
{
    /// <summary>The chat client over <paramref name="options"/>' endpoints; disposing it closes their connections.</summary>
    public static IChatClient Build(ChatEndpointsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var http = BackendHttp.CreateClient(options.Handler);
        var modes = new StructuredModes();
        var endpoints = options.Endpoints.Select(url => (url, new ChatClientBuilder(OpenAiClient(url, options, http))
            .Use(inner => new StructuredOutputChatClient(inner, url, modes, options.RequestTimeout))
            .Use(inner => new EndpointChatClient(inner, url, options.RequestTimeout))
            .Build()));
        return new ChatClientBuilder(new PooledChatClient(endpoints, options, http, modes))
            .Use(inner => new SchemaRefusalChatClient(inner))
            .Use(inner => new RetryingChatClient(inner, options.RetryPolicy()))
            .Build();
    }

    private static IChatClient OpenAiClient(Uri endpoint, ChatEndpointsOptions options, HttpClient http)
    {
        var sdk = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            // Retries and timeouts are the layers': the SDK's own would retry behind the pool's back.
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = options.RequestTimeout,
            Transport = new HttpClientPipelineTransport(http),
        };
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey);
        return new OpenAI.Chat.ChatClient(options.Model, credential, sdk).AsIChatClient();
    }
}
