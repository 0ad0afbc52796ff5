namespace VisInstruct.Backends;

/// <summary>A backend's answer: the body to cache and what it used (nothing for an answer taken from the cache).</summary>
public sealed record BackendResponse(byte[] Body, Usage Usage);
