namespace VisInstruct.Python;

/// <summary>Python string behaviours the reference scripts rely on.</summary>
public static class PythonString
{
    /// <summary>Python's <c>str.zfill(width)</c>: pads with zeros on the left, after a leading sign.</summary>
    public static string ZFill(string value, int width)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length >= width)
        {
            return value;
        }

        int fill = width - value.Length;
        if (value.Length > 0 && (value[0] == '+' || value[0] == '-'))
        {
            return string.Concat(value.AsSpan(0, 1), new string('0', fill), value.AsSpan(1));
        }

        return string.Concat(new string('0', fill), value);
    }
}
