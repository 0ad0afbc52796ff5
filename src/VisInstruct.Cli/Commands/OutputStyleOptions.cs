using System.CommandLine;
using VisInstruct.Json;

namespace VisInstruct.Cli.Commands;

/// <summary>The <c>--indent</c> and <c>--ascii</c> options every command that writes JSON takes.</summary>
internal sealed class OutputStyleOptions
{
    private readonly int? _defaultIndent;

    public OutputStyleOptions(int? defaultIndent)
    {
        _defaultIndent = defaultIndent;
        Indent = new Option<int?>("--indent")
        {
            Description = defaultIndent is null
                ? "Indent the JSON by this many spaces per level (Python's indent=); by default one line, as json.dump writes"
                : $"Indent the JSON by this many spaces per level (Python's indent=); default {defaultIndent}; -1 for one line",
        };
        Ascii = new Option<bool>("--ascii")
        {
            Description = "Escape every non-ASCII character as \\uXXXX, as Python's json.dump does by default (output is otherwise " +
                "readable UTF-8)",
        };
    }

    public Option<int?> Indent { get; }

    public Option<bool> Ascii { get; }

    public void AddTo(Command command)
    {
        command.Add(Indent);
        command.Add(Ascii);
    }

    public JsonStyle Read(ParseResult result)
    {
        int? indent = result.GetValue(Indent) ?? _defaultIndent;
        if (indent is < -1 or > 32)
        {
            throw new UsageException("--indent must be between -1 and 32");
        }

        return new JsonStyle { Indent = indent is null or -1 ? null : indent, EnsureAscii = result.GetValue(Ascii) };
    }
}
