namespace VisInstruct.Backends;

/// <summary>What one backend call used.</summary>
public readonly record struct Usage(long InputTokens = 0, long OutputTokens = 0, int Images = 0, double ImageSeconds = 0);
