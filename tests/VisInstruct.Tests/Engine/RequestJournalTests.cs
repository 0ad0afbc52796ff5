using System.Text;
using VisInstruct.Backends;
using VisInstruct.Engine;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Engine;

/// <summary>The run state's request journal: what is counted when a process dies between sending and recording.</summary>
public class RequestJournalTests
{
    private static BackendRequest Request(string text) =>
        new("openai", "writer", Encoding.UTF8.GetBytes(text)) { Estimate = new Usage(InputTokens: 120, OutputTokens: 512) };

    [Fact]
    public async Task ARequestSentButNeverAnswered_IsCountedAsSentWithItsEstimate_ByTheNextOpen()
    {
        using var temp = new TempDir();
        string path = temp.File("state.db");
        using (var state = RunState.OpenForWriting(path))
        {
            state.Journal.Sending("item/1", Request("a"));
            await state.Journal.CommitAsync();
            long answered = state.Journal.Sending("item/2", Request("b"));
            await state.Journal.CommitAsync();
            state.Journal.Answered(answered, "item/2", Request("b").CacheKey(), Request("b"),
                new BackendResponse([1, 2, 3], new Usage(InputTokens: 100, OutputTokens: 40)));
            await state.Journal.CommitAsync();
            // Disposed here as a killed process would leave it: item/1's answer never came.
        }

        using (var reopened = RunState.OpenForWriting(path))
        {
            var lost = Assert.Single(reopened.Journal.LostOnOpen);
            Assert.Equal(1, lost.Lost);
            var usage = Assert.Single(reopened.Usage.Read());
            Assert.Equal(("openai", "writer"), (usage.Backend, usage.Model));
            Assert.Equal(2, usage.Requests);
            Assert.Equal(1, usage.Lost);
            Assert.Equal(220, usage.InputTokens);
            Assert.Equal(552, usage.OutputTokens);
            Assert.Equal(632, usage.EstimatedTokens);
            Assert.Equal([1, 2, 3], reopened.Cache.TryGet("item/2", Request("b").CacheKey()));
            Assert.Null(reopened.Cache.TryGet("item/1", Request("a").CacheKey()));
        }

        using (var again = RunState.OpenForWriting(path))
        {
            // Counted once: the journal row is settled by the open that counted it.
            Assert.Empty(again.Journal.LostOnOpen);
            Assert.Equal(2, Assert.Single(again.Usage.Read()).Requests);
        }
    }

    [Fact]
    public async Task AFailedRequest_IsARequestAndAnError_NotALostAnswer()
    {
        using var temp = new TempDir();
        string path = temp.File("state.db");
        using (var state = RunState.OpenForWriting(path))
        {
            long id = state.Journal.Sending("item/1", Request("a"));
            await state.Journal.CommitAsync();
            state.Journal.Failed(id, Request("a"));
            await state.Journal.CommitAsync();
        }

        using var reopened = RunState.OpenForWriting(path);
        Assert.Empty(reopened.Journal.LostOnOpen);
        var usage = Assert.Single(reopened.Usage.Read());
        Assert.Equal((1, 1, 0), (usage.Requests, usage.Errors, usage.Lost));
    }

    [Fact]
    public async Task ManyCallersAtOnce_EachGetTheirOwnAnswerBack_AndEveryRequestIsCounted()
    {
        using var temp = new TempDir();
        string path = temp.File("state.db");
        var ledger = new UsageLedger(PriceTable.Empty);
        long sent = 0;
        using (var state = RunState.OpenForWriting(path))
        {
            var gateway = new BackendGateway(state.Cache, state.Journal, ledger, new RunControl());
            var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
                await gateway.CallAsync($"item/{i % 50:D3}", Request("q" + i), async _ =>
                {
                    Interlocked.Increment(ref sent);
                    await Task.Yield();
                    return new BackendResponse(Encoding.UTF8.GetBytes("answer " + i), new Usage(InputTokens: 3, OutputTokens: 2));
                }, CancellationToken.None))));
            Assert.Equal(Enumerable.Range(0, 400).Select(i => "answer " + i), answers.Select(a => Encoding.UTF8.GetString(a)));
        }

        Assert.Equal(400, sent);
        using var reopened = RunState.OpenForWriting(path);
        Assert.Empty(reopened.Journal.LostOnOpen);
        var usage = Assert.Single(reopened.Usage.Read());
        Assert.Equal((400L, 1200L, 800L), (usage.Requests, usage.InputTokens, usage.OutputTokens));
        Assert.Equal(400, reopened.Cache.Count());
    }
}
