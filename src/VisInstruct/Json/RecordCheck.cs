namespace VisInstruct.Json;

/// <summary>A check run on each record while its position is known; it throws through <see cref="RecordContext.Error"/>.</summary>
public delegate void RecordCheck<in T>(T record, in RecordContext context);
