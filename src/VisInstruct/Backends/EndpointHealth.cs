namespace VisInstruct.Backends;

/// <summary>What the health check found at one endpoint.</summary>
public sealed record EndpointHealth(Uri Endpoint, bool Ok, string Message, IReadOnlyList<string> Models);
