using Microsoft.Extensions.AI;
using VisInstruct.Backends.Images;
using VisInstruct.Backends.Llm;

namespace VisInstruct.Backends.Composition;

/// <summary>The backends a run uses, built from its configuration.</summary>
public sealed class RunBackends : IDisposable
{
    public LlmService? Llm { get; init; }

    public LlmService? Vision { get; init; }

    /// <summary>The consistency filter's judges: <c>filters.consistency.judges</c>, else the vision model, else none.</summary>
    public IReadOnlyList<LlmService> Judges { get; init; } = [];

    public required ImageService Images { get; init; }

    /// <summary>The HTTP handler the clients were given (tests), for the pre-flight checks; null for the default.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Takes an endpoint found down before the run out of its backend's rotation (it is probed again later).</summary>
    public void MarkDown(Uri endpoint)
    {
        foreach (var owned in Owned)
        {
            switch (owned)
            {
                case IChatClient chat when chat.GetService<PooledChatClient>() is { } pooled:
                    pooled.Pool.MarkDown(endpoint);
                    break;
                case IImageProducer images when images.GetService(typeof(PooledImageProducer)) is PooledImageProducer pooled:
                    pooled.Pool.MarkDown(endpoint);
                    break;
            }
        }
    }

    /// <summary>The clients behind the services (disposed with this).</summary>
    internal List<IDisposable> Owned { get; } = [];

    /// <summary>The LLM and vision endpoints to check before the run.</summary>
    public IReadOnlyList<(string Section, IReadOnlyList<Uri> Endpoints, string Model, string? ApiKey)> Checks { get; init; } = [];

    /// <summary>The structured-output mode each LLM and vision endpoint used this run.</summary>
    public IReadOnlyList<EndpointOutputMode> OutputModes() =>
        [.. Llm?.OutputModes() ?? [], .. Vision?.OutputModes() ?? [],
            .. Judges.Where(j => !ReferenceEquals(j, Vision)).SelectMany(j => j.OutputModes())];

    public void Dispose()
    {
        foreach (var owned in Owned)
        {
            owned.Dispose();
        }
    }
}
