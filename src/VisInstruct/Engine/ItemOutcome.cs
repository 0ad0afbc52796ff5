namespace VisInstruct.Engine;

/// <summary>How a work item ended in this run (done, failed or dropped), on its way from the stages to the run state.</summary>
internal sealed record ItemOutcome(string Key, ItemStatus Status, int Attempts, ItemResult? Result, FailureRecord? Failure)
{
    /// <summary>A finished item and what it contributes to the dataset.</summary>
    public static ItemOutcome Done(Envelope envelope, ItemResult result) =>
        new(envelope.Key, ItemStatus.Done, envelope.Attempt, result, null);

    /// <summary>An item that failed, or that a stage left out on purpose (<see cref="FailureRecord.Dropped"/>).</summary>
    public static ItemOutcome Failed(Envelope envelope, FailureRecord failure) =>
        new(envelope.Key, failure.Dropped ? ItemStatus.Dropped : ItemStatus.Failed, envelope.Attempt, null, failure);
}
