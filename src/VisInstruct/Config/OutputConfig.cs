namespace VisInstruct.Config;

/// <summary>How dataset files are laid out.</summary>
public sealed class OutputConfig
{
    /// <summary>Python's indent= for the dataset files, 0 to 32 (default: one line, as json.dump).</summary>
    public int? Indent { get; set; }

    /// <summary>Python's ensure_ascii= (default false: readable UTF-8).</summary>
    public bool? Ascii { get; set; }

    internal void Validate(ConfigCheck check)
    {
        if (Indent is < 0 or > 32)
        {
            check.Fail("output.indent", "output.indent must be between 0 and 32");
        }
    }
}
