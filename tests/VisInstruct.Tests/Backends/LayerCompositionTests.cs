using System.Text;
using Microsoft.Extensions.AI;
using VisInstruct.Backends;
using VisInstruct.Backends.Images;
using VisInstruct.Backends.Llm;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Backends;

public class LayerCompositionTests
{
    private static BackendCall Call(List<string> trace) =>
        new("item/1", new BackendRequest("remote", "m", Encoding.UTF8.GetBytes("{}")), _ =>
        {
            trace.Add("send");
            return ValueTask.FromResult(new BackendResponse("answer"u8.ToArray(), new Usage(1, 1)));
        });

    private sealed class Tracing(IBackendGateway inner, string name, List<string> trace) : DelegatingBackendGateway(inner)
    {
        public override async ValueTask<BackendResponse> SendAsync(BackendCall call, CancellationToken cancellationToken = default)
        {
            trace.Add(name + " in");
            var response = await base.SendAsync(call, cancellationToken);
            trace.Add(name + " out");
            return response;
        }
    }

    [Fact]
    public async Task GatewayBuilder_TheFirstLayerAddedIsTheOutermost()
    {
        var trace = new List<string>();
        var gateway = new BackendGatewayBuilder()
            .Use(inner => new Tracing(inner, "first", trace))
            .Use(inner => new Tracing(inner, "second", trace))
            .Build();

        var response = await gateway.SendAsync(Call(trace));

        Assert.Equal("answer", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(["first in", "second in", "send", "second out", "first out"], trace);
    }

    private sealed class RecordingMeter : IUsageMeter
    {
        public List<string> Events { get; } = [];

        public void RecordRequest(string backend, string model, Usage usage) => Events.Add("request");

        public void RecordError(string backend, string model) => Events.Add("error");

        public void RecordCacheHit(string backend, string model) => Events.Add("hit");
    }

    private sealed class RecordingBudget(List<string> trace) : IBackendBudget
    {
        public IDisposable Admit(BackendRequest request, Usage worstCase)
        {
            trace.Add($"admit {worstCase.OutputTokens}");
            return new Settled(trace);
        }

        private sealed class Settled(List<string> trace) : IDisposable
        {
            public void Dispose() => trace.Add("settle");
        }
    }

    [Fact]
    public async Task RunStateLayers_ACachedAnswerPassesNoBudgetAndIsCountedAsAHit_ASentOneIsAdmittedCountedThenSettled()
    {
        var trace = new List<string>();
        var meter = new RecordingMeter();
        var cache = new MemoryCache();
        var gateway = new BackendGatewayBuilder().UseCache(cache, meter).UseBudget(new RecordingBudget(trace)).UseAccounting(meter).Build();

        await gateway.SendAsync(Call(trace));
        var again = await gateway.SendAsync(Call(trace));

        // The request has no estimate: the budget reserves a token per four canonical bytes in, nothing out.
        Assert.Equal(["admit 0", "send", "settle"], trace);
        Assert.Equal(["request", "hit"], meter.Events);
        Assert.Equal(1, cache.Count);
        Assert.Equal(default, again.Usage);
    }

    [Fact]
    public async Task RunStateLayers_AFailedSendIsCountedAsAnErrorAndNothingIsCached()
    {
        var meter = new RecordingMeter();
        var cache = new MemoryCache();
        var gateway = new BackendGatewayBuilder().UseCache(cache, meter).UseAccounting(meter).Build();
        var failing = new BackendCall("k", new BackendRequest("remote", "m", [1]),
            _ => throw new BackendException(FailureKind.ServerError, "down"));

        await Assert.ThrowsAsync<BackendException>(() => gateway.SendAsync(failing).AsTask());

        Assert.Equal(["error"], meter.Events);
        Assert.Equal(0, cache.Count);
    }

    private sealed class TracingProducer(IImageProducer inner, string name, List<string> trace) : DelegatingImageProducer(inner)
    {
        public override async Task<ProducedImage> ProduceAsync(ImageRequest request, CancellationToken cancellationToken = default)
        {
            trace.Add(name + " in");
            var image = await base.ProduceAsync(request, cancellationToken);
            trace.Add(name + " out");
            return image;
        }
    }

    [Fact]
    public async Task ImageProducerBuilder_TheFirstLayerAddedIsTheOutermost_AndServicesAreFoundThroughTheLayers()
    {
        var trace = new List<string>();
        using var producer = new ImageProducerBuilder(new ProceduralProducer())
            .Use(inner => new TracingProducer(inner, "first", trace))
            .Use(inner => new TracingProducer(inner, "second", trace))
            .Build();

        await producer.ProduceAsync(new ImageRequest { Prompt = "a red circle", Seed = 1, Width = 64, Height = 64 });

        Assert.Equal(["first in", "second in", "second out", "first out"], trace);
        Assert.Equal("procedural", producer.Kind);
        Assert.IsType<ProceduralProducer>(producer.GetService(typeof(ProceduralProducer)));
        Assert.IsType<TracingProducer>(producer);
    }

    [Fact]
    public void HttpImageBackends_AreRetryOverPool()
    {
        using var producer = ImageBackends.A1111(new ImageEndpointsOptions { Endpoints = [new Uri("http://127.0.0.1:1")] });

        Assert.IsType<RetryingImageProducer>(producer);
        Assert.NotNull(producer.GetService(typeof(PooledImageProducer)));
        Assert.Equal("a1111", producer.Kind);
    }

    [Fact]
    public void ChatBackend_IsRefusalSwitchOverRetryOverPool()
    {
        using var client = ChatBackend.Build(new ChatEndpointsOptions { Endpoints = [new Uri("http://127.0.0.1:1/v1/")], Model = "m" });

        Assert.IsType<SchemaRefusalChatClient>(client);
        Assert.NotNull(client.GetService<RetryingChatClient>());
        Assert.Single(client.GetService<PooledChatClient>()!.Pool.Endpoints);
        Assert.NotNull(client.GetService<StructuredModes>());
    }
}
