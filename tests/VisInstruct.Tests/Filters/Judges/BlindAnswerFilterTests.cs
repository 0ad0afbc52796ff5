using VisInstruct.Backends;
using VisInstruct.Filters;
using VisInstruct.Filters.Judges;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Filters.Judges;

/// <summary>The blind-answer filter against a loopback chat server that answers as a text-only model would.</summary>
public class BlindAnswerFilterTests
{
    private const string Model = "text-only-7b";

    private const string Description =
        "The picture shows a red ball resting on short green grass, with a wooden fence and two trees behind it.";

    /// <summary>A server that answers the blind questions by their text, and the judge with <paramref name="judge"/>.</summary>
    private static Task<LoopbackServer> Server(string judge = "{\"same\": false}") =>
        FakeChatServer.StartAsync(Model, request =>
        {
            var seen = SeenRequest.Read(request);
            if (seen.User.Contains("Reference answer:", StringComparison.Ordinal))
            {
                return ChatBehaviour.Reply(judge);
            }

            return ChatBehaviour.Reply(seen.User switch
            {
                var u when u.Contains("ball red", StringComparison.Ordinal) => "Yes.",
                var u when u.Contains("How many", StringComparison.Ordinal) => "2",
                var u when u.Contains("animal", StringComparison.Ordinal) => "a kitten",
                _ => "I cannot tell.",
            });
        });

    private static List<SeenRequest> Chats(LoopbackServer server) =>
        server.To("/v1/chat/completions").Select(SeenRequest.Read).ToList();

    [Fact]
    public async Task AQuestionAnsweredRightBlind_IsAHit_AWrongOneIsNot_AndTheDescriptionIsNeverAsked()
    {
        using var temp = new TempDir();
        await using var server = await Server();
        var (client, llm) = JudgeTestKit.Service(server, Model);
        using var owned = client;
        var filter = new BlindAnswerFilter(llm, new BlindOptions { MaxTokens = 20 });
        var subject = JudgeTestKit.Subject([JudgeTestKit.Image(temp)],
            ("Is the ball red?", "Yes, the ball is red."), ("Describe the picture.", Description),
            ("How many trees are there?", "Two trees."),
            ("How many dogs are there?", "There are three dogs."));

        var verdict = await filter.JudgeAsync(subject, JudgeTestKit.Context(), TestContext.Current.CancellationToken);

        Assert.Equal(FilterNames.Blind, verdict.Filter);
        Assert.Equal("sample-1", verdict.SampleId);
        Assert.Equal(3, verdict.Checked);
        // "2" is right for the trees, wrong for the dogs; "Yes." is right for the ball.
        Assert.Equal(2, verdict.Hits);
        Assert.True(verdict.Flagged);
        Assert.Equal(BlindAnswerFilter.BlindAnswerable, verdict.Reason);
        Assert.Equal(2.0 / 3, verdict.Score!.Value, 9);
        Assert.Equal("q1 \"Is the ball red?\" blind \"Yes.\" = \"Yes, the ball is red.\"; "
            + "q3 \"How many trees are there?\" blind \"2\" = \"Two trees.\"", verdict.Detail);
        var chats = Chats(server);
        Assert.Equal(3, chats.Count);
        Assert.DoesNotContain(chats, c => c.User.Contains("Describe", StringComparison.Ordinal));
        Assert.All(chats, c =>
        {
            Assert.Equal(0, c.Images);
            Assert.DoesNotContain("<image>", c.User, StringComparison.Ordinal);
            Assert.Contains("no image", c.System, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(0, c.Temperature);
            Assert.Equal(20, c.MaxTokens);
        });
        Assert.Equal(3, chats.Select(c => c.Seed).Distinct().Count());
    }

    [Fact]
    public async Task OnlyWrongBlindAnswers_PassTheSample()
    {
        await using var server = await Server();
        var (client, llm) = JudgeTestKit.Service(server, Model);
        using var owned = client;
        var filter = new BlindAnswerFilter(llm, new BlindOptions());
        var subject = JudgeTestKit.Subject([], ("How many dogs are there?", "Three."), ("What colour is the car?", "Blue."));

        var verdict = await filter.JudgeAsync(subject, JudgeTestKit.Context(), TestContext.Current.CancellationToken);

        Assert.False(verdict.Flagged);
        Assert.Null(verdict.Reason);
        Assert.Equal(2, verdict.Checked);
        Assert.Equal(0, verdict.Hits);
        Assert.Equal(0, verdict.Score);
        Assert.Equal(2, Chats(server).Count);
    }

    [Theory]
    [InlineData("{\"same\": true}", true)]
    [InlineData("{\"same\": false}", false)]
    [InlineData("<think>A kitten is a young cat, so they agree.</think>\n```json\n{\"same\": true}\n```", true)]
    public async Task AShortOpenAnswer_IsComparedByTheJudge(string judgeReply, bool same)
    {
        await using var server = await Server(judgeReply);
        var (client, llm) = JudgeTestKit.Service(server, Model);
        using var owned = client;
        var filter = new BlindAnswerFilter(llm, new BlindOptions());
        var subject = JudgeTestKit.Subject([], ("What animal is on the sofa?", "A cat."));

        var verdict = await filter.JudgeAsync(subject, JudgeTestKit.Context(), TestContext.Current.CancellationToken);

        Assert.Equal(same, verdict.Flagged);
        Assert.Equal(1, verdict.Checked);
        Assert.Equal(same ? 1 : 0, verdict.Hits);
        var chats = Chats(server);
        Assert.Equal(2, chats.Count);
        var judge = chats.Single(c => c.User.Contains("Reference answer: A cat.", StringComparison.Ordinal));
        Assert.Contains("Candidate answer: a kitten", judge.User, StringComparison.Ordinal);
        Assert.Contains("What animal is on the sofa?", judge.User, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheJudge_ShortOpenAnswersAreNotAsked()
    {
        await using var server = await Server("{\"same\": true}");
        var (client, llm) = JudgeTestKit.Service(server, Model);
        using var owned = client;
        var filter = new BlindAnswerFilter(llm, new BlindOptions { UseJudge = false });
        var subject = JudgeTestKit.Subject([], ("What animal is on the sofa?", "A cat."), ("Describe the picture.", Description));

        var verdict = await filter.JudgeAsync(subject, JudgeTestKit.Context(), TestContext.Current.CancellationToken);

        Assert.False(verdict.Flagged);
        Assert.Equal(0, verdict.Checked);
        Assert.Null(verdict.Score);
        Assert.Empty(server.To("/v1/chat/completions"));
        Assert.Contains("use_judge=false", filter.Settings, StringComparison.Ordinal);
        Assert.Contains(Model, filter.Settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJudgeThatNeverAnswersJson_FailsTheItem_AfterTheRepairTurn()
    {
        await using var server = await Server("They look about the same to me.");
        var (client, llm) = JudgeTestKit.Service(server, Model);
        using var owned = client;
        var filter = new BlindAnswerFilter(llm, new BlindOptions());
        var subject = JudgeTestKit.Subject([], ("What animal is on the sofa?", "A cat."));

        var error = await Assert.ThrowsAsync<BackendException>(async () =>
            await filter.JudgeAsync(subject, JudgeTestKit.Context(), TestContext.Current.CancellationToken));

        Assert.Equal(FailureKind.Unparsable, error.Kind);
        // The blind question, the judge's first answer, the repair turn.
        Assert.Equal(3, server.To("/v1/chat/completions").Count);
    }

    [Fact]
    public async Task ARerun_IsAnsweredFromTheCache_AndTheNameAndLaneAreTheFilters()
    {
        await using var server = await Server();
        var (client, llm) = JudgeTestKit.Service(server, Model);
        using var owned = client;
        var filter = new BlindAnswerFilter(llm, new BlindOptions());
        var subject = JudgeTestKit.Subject([], ("Is the ball red?", "Yes."), ("Is the ball big?", "Yes."));
        var context = JudgeTestKit.Context();

        var first = await filter.JudgeAsync(subject, context, TestContext.Current.CancellationToken);
        var second = await filter.JudgeAsync(subject, context, TestContext.Current.CancellationToken);

        Assert.Equal(first, second);
        // The two questions are different requests (the cache keys on the request); the rerun sends nothing.
        Assert.Equal(2, server.To("/v1/chat/completions").Count);
        Assert.Equal(FilterNames.Blind, filter.Name);
        Assert.Equal("llm", filter.Backend);
    }
}
