using Microsoft.Extensions.AI;
using VisInstruct.Backends;
using VisInstruct.Backends.Llm;
using VisInstruct.Filters;
using VisInstruct.Filters.Judges;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Filters.Judges;

/// <summary>The consistency filter against loopback vision servers, one per judge, with scripted verdicts.</summary>
public sealed class ConsistencyFilterTests : IAsyncDisposable
{
    private const string AllHold = "{\"claims\": [{\"claim\": \"The ball is red.\", \"holds\": true}, "
        + "{\"claim\": \"The ball is on grass.\", \"holds\": true}]}";

    private const string OneFails = "{\"claims\": [{\"claim\": \"The ball is red.\", \"holds\": true}, "
        + "{\"claim\": \"There are two balls.\", \"holds\": false}]}";

    private readonly TempDir _temp = new();
    private readonly List<LoopbackServer> _servers = [];
    private readonly List<IChatClient> _clients = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _temp.Dispose();
    }

    /// <summary>One judge per reply, each on its own server and model (judge-a, judge-b, ...).</summary>
    private async Task<List<LlmService>> Judges(params string[][] replies)
    {
        var judges = new List<LlmService>();
        for (int i = 0; i < replies.Length; i++)
        {
            string model = "judge-" + (char)('a' + i);
            var server = await FakeChatServer.StartAsync(model, [.. replies[i].Select(r => ChatBehaviour.Reply(r))]);
            _servers.Add(server);
            var (client, service) = JudgeTestKit.Service(server, model, "judge" + (i + 1));
            _clients.Add(client);
            judges.Add(service);
        }

        return judges;
    }

    private FilterSubject Subject() => JudgeTestKit.Subject([JudgeTestKit.Image(_temp)],
        ("What is in the picture?", "A red ball lies on the grass."), ("How many balls are there?", "There are two balls."));

    private static Task<FilterVerdict> Judge(ConsistencyFilter filter, FilterSubject subject) =>
        filter.JudgeAsync(subject, JudgeTestKit.Context(), TestContext.Current.CancellationToken).AsTask();

    [Fact]
    public async Task TwoOfThreeJudgesAccepting_KeepTheSample_WithMinAgreeTwo()
    {
        var judges = await Judges([AllHold], [OneFails], [AllHold]);
        var filter = new ConsistencyFilter(judges, new ConsistencyOptions { MinAgree = 2 });

        var verdict = await Judge(filter, Subject());

        Assert.Equal(FilterNames.Consistency, verdict.Filter);
        Assert.False(verdict.Flagged);
        Assert.Null(verdict.Reason);
        Assert.Equal(3, verdict.Checked);
        Assert.Equal(2, verdict.Hits);
        Assert.Equal((1 + 0.5 + 1) / 3, verdict.Score!.Value, 9);
        Assert.Equal("judge-a: 2/2 claims hold; judge-b: 1/2 claims hold (\"There are two balls.\" does not); judge-c: 2/2 claims hold",
            verdict.Detail);
        Assert.Equal("judge1", filter.Backend);
    }

    [Fact]
    public async Task OnlyOneOfThreeAccepting_FlagsTheSample()
    {
        var judges = await Judges([OneFails], [OneFails], [AllHold]);
        var filter = new ConsistencyFilter(judges, new ConsistencyOptions());

        var verdict = await Judge(filter, Subject());

        Assert.True(verdict.Flagged);
        Assert.Equal(ConsistencyFilter.Inconsistent, verdict.Reason);
        Assert.Equal(3, verdict.Checked);
        Assert.Equal(1, verdict.Hits);
    }

    [Fact]
    public async Task EveryJudge_GetsTheImageAndTheDialogue_AsJson()
    {
        var judges = await Judges([AllHold], [AllHold]);
        var filter = new ConsistencyFilter(judges, new ConsistencyOptions { MaxTokens = 300 });

        await Judge(filter, Subject());

        foreach (var server in _servers)
        {
            var seen = SeenRequest.Read(Assert.Single(server.To("/v1/chat/completions")));
            Assert.Equal(1, seen.Images);
            Assert.Contains("User: What is in the picture?\nAssistant: A red ball lies on the grass.", seen.User, StringComparison.Ordinal);
            Assert.DoesNotContain("<image>", seen.User, StringComparison.Ordinal);
            Assert.Contains("\"claims\"", seen.User, StringComparison.Ordinal);
            Assert.Equal(0, seen.Temperature);
            Assert.Equal(300, seen.MaxTokens);
        }
    }

    [Fact]
    public async Task AJudgeListingNoClaims_Accepts()
    {
        var judges = await Judges(["{\"claims\": []}"]);
        var verdict = await Judge(new ConsistencyFilter(judges, new ConsistencyOptions()), Subject());

        Assert.False(verdict.Flagged);
        Assert.Equal(1, verdict.Hits);
        Assert.Equal(1, verdict.Score);
        Assert.Equal("judge-a: 0/0 claims hold", verdict.Detail);
    }

    [Fact]
    public async Task JsonInFencesAfterAThinkBlock_IsRead()
    {
        var judges = await Judges(["<think>The ball looks red; only one ball.</think>\nHere you go:\n```json\n" + OneFails + "\n```"]);
        var verdict = await Judge(new ConsistencyFilter(judges, new ConsistencyOptions()), Subject());

        Assert.True(verdict.Flagged);
        Assert.Equal(0, verdict.Hits);
        Assert.Equal(0.5, verdict.Score);
        Assert.Single(_servers[0].To("/v1/chat/completions"));
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(5, false)]
    public async Task ScoreMode_AcceptsAtMinScore(int score, bool flagged)
    {
        var judges = await Judges([$"{{\"score\": {score}, \"reason\": \"The ball is red but there is only one.\"}}"]);
        var filter = new ConsistencyFilter(judges, new ConsistencyOptions { Mode = ConsistencyMode.Score, MinScore = 4 });

        var verdict = await Judge(filter, Subject());

        Assert.Equal(flagged, verdict.Flagged);
        Assert.Equal(score, verdict.Score);
        Assert.Equal(flagged ? 0 : 1, verdict.Hits);
        Assert.Equal($"judge-a: {score}", verdict.Detail);
        var seen = SeenRequest.Read(Assert.Single(_servers[0].To("/v1/chat/completions")));
        Assert.Contains("\"score\"", seen.User, StringComparison.Ordinal);
        Assert.Equal(1, seen.Images);
    }

    [Fact]
    public async Task ScoreMode_TheMeanScore_OverTheJudges()
    {
        var judges = await Judges(["{\"score\": 5, \"reason\": \"right\"}"], ["{\"score\": 2, \"reason\": \"wrong count\"}"]);
        var filter = new ConsistencyFilter(judges, new ConsistencyOptions { Mode = ConsistencyMode.Score, MinAgree = 1 });

        var verdict = await Judge(filter, Subject());

        Assert.False(verdict.Flagged);
        Assert.Equal(3.5, verdict.Score);
        Assert.Equal(1, verdict.Hits);
        Assert.Equal("consistency: mode=score min_score=4 min_agree=1 of 2 max_tokens=512 judges=[judge-a, judge-b]", filter.Settings);
    }

    [Fact]
    public async Task AScoreOutOfRange_GetsTheRepairTurn()
    {
        var judges = await Judges(["{\"score\": 9, \"reason\": \"great\"}", "{\"score\": 5, \"reason\": \"all right\"}"]);
        var filter = new ConsistencyFilter(judges, new ConsistencyOptions { Mode = ConsistencyMode.Score });

        var verdict = await Judge(filter, Subject());

        Assert.Equal(5, verdict.Score);
        Assert.Equal(2, _servers[0].To("/v1/chat/completions").Count);
    }

    [Theory]
    [InlineData("The dialogue matches the picture well.")]
    [InlineData("{\"claims\": [{\"claim\": \"The ball is red.\"}]}")]
    public async Task AnUnreadableVerdictTwice_FailsTheItem(string reply)
    {
        var judges = await Judges([reply]);
        var filter = new ConsistencyFilter(judges, new ConsistencyOptions());

        var error = await Assert.ThrowsAsync<BackendException>(() => Judge(filter, Subject()));

        Assert.Equal(FailureKind.Unparsable, error.Kind);
        Assert.Equal(2, _servers[0].To("/v1/chat/completions").Count);
    }

    [Fact]
    public async Task ASampleWithoutAnImage_IsNotJudged()
    {
        var judges = await Judges([AllHold]);
        var subject = JudgeTestKit.Subject([], ("What is 2 + 2?", "Four."));

        var verdict = await Judge(new ConsistencyFilter(judges, new ConsistencyOptions()), subject);

        Assert.False(verdict.Flagged);
        Assert.Equal(0, verdict.Checked);
        Assert.Empty(_servers[0].To("/v1/chat/completions"));
    }

    [Fact]
    public async Task MinAgreeBeyondTheJudges_IsRefused()
    {
        var judges = await Judges([AllHold]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsistencyFilter(judges, new ConsistencyOptions { MinAgree = 2 }));
        Assert.Throws<ArgumentException>(() => new ConsistencyFilter([], new ConsistencyOptions()));
    }
}
