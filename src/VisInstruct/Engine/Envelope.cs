namespace VisInstruct.Engine;

/// <summary>
/// A work item on its way through the stages: its key, its seed, which attempt this is (1 on the first run of the
/// item, more under <c>--retry-failed</c>), and what the last stage made of it.
/// </summary>
internal sealed record Envelope(string Key, ulong Seed, int Attempt, object Payload);
