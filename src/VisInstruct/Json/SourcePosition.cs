namespace VisInstruct.Json;

/// <summary>A place in a file: 1-based line, 1-based byte column, 0-based byte offset from the start of the file.</summary>
public readonly record struct SourcePosition(long Line, long Column, long ByteOffset);
