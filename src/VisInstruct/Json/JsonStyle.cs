namespace VisInstruct.Json;

/// <summary>
/// How a JSON file is laid out, in the terms of Python's <c>json.dumps</c>: which is how the reference scripts and
/// most training code write these files.
/// </summary>
public sealed record JsonStyle
{
    /// <summary>Python's <c>json.dumps(obj)</c>: one line, <c>", "</c> and <c>": "</c> separators, UTF-8 text kept readable.</summary>
    public static JsonStyle Compact { get; } = new();

    /// <summary>Spaces per level, as Python's <c>indent=</c>; null for one line.</summary>
    public int? Indent { get; init; }

    /// <summary>Python's <c>ensure_ascii=True</c>: every non-ASCII character written as a <c>\uXXXX</c> escape.</summary>
    public bool EnsureAscii { get; init; }

    /// <summary>Python's <c>indent=N</c> layout.</summary>
    public static JsonStyle Indented(int spaces) => new() { Indent = spaces };

    /// <summary>This style with Python's <c>ensure_ascii</c> set as given.</summary>
    public JsonStyle WithAscii(bool ensureAscii) => this with { EnsureAscii = ensureAscii };
}
