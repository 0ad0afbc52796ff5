using System.Net;
using VisInstruct.Backends;
using VisInstruct.Engine;

namespace VisInstruct.Tests.Engine;

public class FailureClassifierTests
{
    public static TheoryData<FailureKind, HttpStatusCode?, string?> BackendFailures => new()
    {
        { FailureKind.RateLimited, HttpStatusCode.TooManyRequests, "slow down" },
        { FailureKind.ServerError, HttpStatusCode.BadGateway, "<html>bad gateway</html>" },
        { FailureKind.ServerError, null, null },
        { FailureKind.ClientError, HttpStatusCode.BadRequest, "{\"error\": \"no\"}" },
        { FailureKind.Timeout, null, null },
        { FailureKind.Connection, null, null },
        { FailureKind.BadResponse, null, "not json" },
        { FailureKind.JobFailed, null, "{}" },
        { FailureKind.QueueTimeout, null, null },
    };

    [Theory]
    [MemberData(nameof(BackendFailures))]
    public void ABackendException_IsRecordedAsItsWrappingInASampleFailure_Was(FailureKind kind, HttpStatusCode? status, string? body)
    {
        var raw = new BackendException(kind, "http://host:1/: it went wrong", new Uri("http://host:1/"), status, body: body)
        {
            Attempts = 3,
        };
        var wrapped = new SampleFailedException(raw.KindName, raw.Message, raw.Body, raw.Attempts, raw);

        var fromRaw = FailureClassifier.Classify(raw, "k1", "dialogue", "llm", attempt: 1);

        Assert.Equal(FailureClassifier.Classify(wrapped, "k1", "dialogue", "llm", attempt: 1), fromRaw);
        Assert.Equal(new FailureRecord("k1", "dialogue", raw.KindName, "http://host:1/: it went wrong", 3, "llm", body), fromRaw);
        Assert.NotEqual("error", fromRaw.Kind);
    }

    [Fact]
    public void TheItemsAttempt_CountsWhenTheCallWasTriedFewerTimes()
    {
        var late = new BackendException(FailureKind.Timeout, "late") { Attempts = 2 };
        var record = FailureClassifier.Classify(late, "k", "s", "images", attempt: 4);
        Assert.Equal(4, record.Attempts);
        Assert.Equal("timeout", record.Kind);
    }

    [Fact]
    public void ADroppedSample_IsADroppedRecord_AndAFailedOneIsNot()
    {
        var dropped = FailureClassifier.Classify(
            new SampleDroppedException("check", "a duplicate", "detail"), "k", "assemble", null, attempt: 2);
        Assert.Equal(new FailureRecord("k", "assemble", "check", "a duplicate", 2, null, "detail") { Dropped = true }, dropped);
        Assert.False(FailureClassifier.Classify(new SampleFailedException("check", "bad"), "k", "assemble", null, 1).Dropped);
    }

    [Fact]
    public void OtherExceptions_GetAKindByWhatTheyAre_AndAnythingElseIsAnErrorWithItsStack()
    {
        Assert.Equal("timeout", FailureClassifier.Classify(new OperationCanceledException("gone"), "k", "s", null, 1).Kind);
        var unavailable = new HttpRequestException("x", null, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("http-503", FailureClassifier.Classify(unavailable, "k", "s", null, 1).Kind);
        Assert.Equal("connection", FailureClassifier.Classify(new HttpRequestException("refused"), "k", "s", null, 1).Kind);
        Assert.Equal("unparsable", FailureClassifier.Classify(new System.Text.Json.JsonException("bad"), "k", "s", null, 1).Kind);
        var other = FailureClassifier.Classify(new InvalidOperationException("a bug"), "k", "s", null, 1);
        Assert.Equal("error", other.Kind);
        Assert.Equal("InvalidOperationException: a bug", other.Message);
        Assert.Contains("System.InvalidOperationException: a bug", other.Detail, StringComparison.Ordinal);
    }
}
