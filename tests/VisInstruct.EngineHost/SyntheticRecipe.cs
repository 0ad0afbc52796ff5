using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VisInstruct.Backends;
using VisInstruct.Engine;

namespace VisInstruct.EngineHost;

/// <summary>
/// A workload for testing and measuring the engine: N items through three stages — two that call in-process
/// "backends" through the gateway (so caching, accounting and budgets apply), one CPU stage that assembles the result —
/// with latency and faults injected deterministically from each item's seed.
/// </summary>
public sealed class SyntheticRecipe
{
    private long _backendCalls;

    public int Items { get; init; } = 100;

    /// <summary>Mean backend latency; each call waits between 0 and twice this, chosen by the item's seed.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Items whose index is a multiple of this fail at the "write" stage (0: none).</summary>
    public int FailEvery { get; init; }

    /// <summary>When set, injected failures happen on the first attempt only (so --retry-failed fixes them).</summary>
    public bool FailOnce { get; init; }

    /// <summary>Items whose index is a multiple of this are dropped at the "assemble" stage (0: none).</summary>
    public int DropEvery { get; init; }

    /// <summary>Only the "write" stage (then assemble): for measuring one backend's concurrency.</summary>
    public bool SingleStage { get; init; }

    /// <summary>Every call waits exactly <see cref="Latency"/> (not a seeded spread around it).</summary>
    public bool FixedLatency { get; init; }

    /// <summary>A configuration value that goes into the fingerprint (changing it changes the items).</summary>
    public string Style { get; init; } = "plain";

    /// <summary>Backend calls actually sent (not answered by the cache).</summary>
    public long BackendCalls => Interlocked.Read(ref _backendCalls);

    public GenerationPlan Plan() => new()
    {
        Recipe = "synthetic",
        Fingerprint = $"{{\"style\": \"{Style}\"}}",
        ResolvedConfig = string.Create(CultureInfo.InvariantCulture, $"{{\"items\": {Items}, \"style\": \"{Style}\"}}"),
        Items = () => Enumerable.Range(0, Items).Select(i => new WorkItem(Key(i), i)),
        Pipeline = SingleStage
            ? Pipeline.Start<int>()
                .Then("write", "llm", WriteAsync)
                .Then("assemble", null, (input, context, ct) => Assemble((input.Index, input.Text, ""), context, ct))
                .Build()
            : Pipeline.Start<int>()
                .Then("write", "llm", WriteAsync)
                .Then("render", "images", RenderAsync)
                .Then("assemble", null, Assemble)
                .Build(),
        ReproduceCommand = "synthetic",
    };

    public static string Key(int i) => i.ToString("D8", CultureInfo.InvariantCulture);

    private async ValueTask<(int Index, string Text)> WriteAsync(int index, SampleContext context, CancellationToken cancellationToken)
    {
        if (FailEvery > 0 && index % FailEvery == 0 && (!FailOnce || context.Attempt == 1))
        {
            throw new SampleFailedException("injected", $"injected failure of item {index}");
        }

        byte[] body = await CallAsync("llm-test", "writer-1", $"write {index} {Style} {context.Seed}", context, cancellationToken)
            .ConfigureAwait(false);
        return (index, Encoding.UTF8.GetString(body));
    }

    private async ValueTask<(int Index, string Text, string Image)> RenderAsync((int Index, string Text) input, SampleContext context,
        CancellationToken cancellationToken)
    {
        byte[] body = await CallAsync("images-test", "painter-1", $"render {input.Text}", context, cancellationToken).ConfigureAwait(false);
        return (input.Index, input.Text, Encoding.UTF8.GetString(body));
    }

    private ValueTask<ItemResult> Assemble((int Index, string Text, string Image) input, SampleContext context,
        CancellationToken cancellationToken)
    {
        if (DropEvery > 0 && input.Index % DropEvery == 0)
        {
            throw new SampleDroppedException("check", $"item {input.Index} did not pass the check");
        }

        var result = new ItemResult()
            .Add("data.json", input, static (w, r) =>
            {
                w.WriteStartObject();
                w.WritePropertyName("index");
                w.WriteNumberValue(r.Index);
                w.WriteString("text", r.Text);
                w.WriteString("image", r.Image);
                w.WriteEndObject();
            })
            .Tag("parity", input.Index % 2 == 0 ? "even" : "odd")
            .Count("chars", input.Text.Length);
        if (input.Index % 3 == 0)
        {
            result.Add("threes/data.jsonl", input.Index, static (w, i) => w.WriteNumberValue(i));
        }

        return ValueTask.FromResult(result);
    }

    private async ValueTask<byte[]> CallAsync(string backend, string model, string request, SampleContext context,
        CancellationToken cancellationToken)
    {
        var canonical = Encoding.UTF8.GetBytes(request);
        // Its worst case, as a real backend states it: the prompt's tokens and the answer at its limit (16 here).
        var estimate = new Usage(InputTokens: request.Length, OutputTokens: 16,
            Images: backend.StartsWith("images", StringComparison.Ordinal) ? 1 : 0);
        return await context.CallAsync(new BackendRequest(backend, model, canonical) { Estimate = estimate }, async ct =>
        {
            Interlocked.Increment(ref _backendCalls);
            if (Latency > TimeSpan.Zero)
            {
                double factor = FixedLatency ? 1 : (context.SeedFor(backend) % 2001) / 1000.0;
                await Task.Delay(Latency * factor, ct).ConfigureAwait(false);
            }

            string answer = Convert.ToHexStringLower(SHA256.HashData(canonical))[..16];
            return new BackendResponse(Encoding.UTF8.GetBytes(answer),
                new Usage(InputTokens: request.Length, OutputTokens: answer.Length,
                Images: backend.StartsWith("images", StringComparison.Ordinal) ? 1 : 0));
        }, cancellationToken).ConfigureAwait(false);
    }
}
