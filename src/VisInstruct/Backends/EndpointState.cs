namespace VisInstruct.Backends;

/// <summary>One endpoint's state: its current limit, requests in flight, health, pause, and counts.</summary>
public sealed record EndpointState(Uri Url, int Limit, int InFlight, bool Healthy, DateTimeOffset? PausedUntil, long Successes,
    long Failures);
