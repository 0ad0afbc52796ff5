using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VisInstruct.Backends;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;

namespace VisInstruct.Bench;

/// <summary>
/// Requests per second through the LLM client (pool, retries, cache and accounting included) against loopback
/// OpenAI-compatible servers that answer after a fixed latency, as a fraction of the ideal <c>in flight / latency</c>.
/// </summary>
internal static class LlmThroughputBench
{
    private const string Model = "bench-model";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        int inFlight = (int)options.GetLong("in-flight");
        int endpoints = (int)options.GetLong("endpoints");
        var latency = TimeSpan.FromMilliseconds(options.GetLong("latency-ms", 200));
        var duration = TimeSpan.FromSeconds(options.GetLong("seconds", 6));

        var servers = new List<WebApplication>();
        var urls = new List<Uri>();
        for (int i = 0; i < endpoints; i++)
        {
            var (app, url) = await StartServerAsync(latency).ConfigureAwait(false);
            servers.Add(app);
            urls.Add(url);
        }

        using var client = ChatBackend.Build(new ChatEndpointsOptions { Endpoints = urls, Model = Model,
            MaxConcurrencyPerEndpoint = inFlight, Retries = 2 });
        var service = new LlmService(client, new LlmServiceOptions { Model = Model, MaxTokens = 32 });
        var ledger = new UsageLedger(PriceTable.Empty);
        var gateway = new BackendGateway(new NoCache(), null, ledger, new RunControl());

        // Warm up connections and the JIT, then measure a fixed window.
        await Drive(service, gateway, inFlight, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        long before = ledger.RequestsThisRun;
        var watch = Stopwatch.StartNew();
        long failures = await Drive(service, gateway, inFlight, duration).ConfigureAwait(false);
        double seconds = watch.Elapsed.TotalSeconds;
        long requests = ledger.RequestsThisRun - before;
        double rate = requests / seconds;
        double ideal = inFlight / latency.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"llm: {inFlight} in flight over {endpoints} endpoint(s), {latency.TotalMilliseconds:F0} ms latency: {rate:F0} requests/s "
                + $"of ideal {ideal:F0} = {rate / ideal:F3} ({requests} requests in {seconds:F1} s, {failures} failed)"));
        foreach (var app in servers)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<long> Drive(LlmService service, BackendGateway gateway, int inFlight, TimeSpan duration)
    {
        long failures = 0;
        long counter = 0;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, inFlight).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                long n = Interlocked.Increment(ref counter);
                try
                {
                    await service.CompleteAsync("bench/" + n, gateway, new LlmRequest
                    {
                        Messages = [LlmMessage.User("Write a caption.")],
                        Seed = (ulong)n,
                    }).ConfigureAwait(false);
                }
                catch (BackendException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        return failures;
    }

    private static async Task<(WebApplication App, Uri Url)> StartServerAsync(TimeSpan latency)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        byte[] answer =
        [
            .. """{"id":"c","object":"chat.completion","created":1,"model":"bench-model","choices":[{"index":"""u8,
            .. """0,"message":{"role":"assistant","content":"A caption."},"finish_reason":"stop"}],"usage":{"prompt_tokens":"""u8,
            .. """9,"completion_tokens":3,"total_tokens":12}}"""u8,
        ];
        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null).ConfigureAwait(false);
            await Task.Delay(latency).ConfigureAwait(false);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(answer).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address + "/v1/"));
    }

    /// <summary>No caching: every request reaches the server (each has its own seed anyway).</summary>
    private sealed class NoCache : IResponseCache
    {
        public byte[]? TryGet(string scope, byte[] key) => null;

        public void Put(string scope, byte[] key, string backend, string model, byte[] value)
        {
        }
    }
}
