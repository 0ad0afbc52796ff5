using System.Globalization;

namespace VisInstruct.Export;

/// <summary>Sizes as the command line writes them: <c>500MB</c>, <c>1GB</c>, <c>64KiB</c>, <c>1048576</c>.</summary>
public static class ByteSize
{
    private static readonly (string Unit, long Factor)[] Units =
    [
        ("KIB", 1L << 10), ("MIB", 1L << 20), ("GIB", 1L << 30), ("TIB", 1L << 40),
        ("KB", 1_000L), ("MB", 1_000_000L), ("GB", 1_000_000_000L), ("TB", 1_000_000_000_000L),
        ("K", 1_000L), ("M", 1_000_000L), ("G", 1_000_000_000L), ("B", 1L),
    ];

    /// <summary>
    /// The bytes <paramref name="text"/> names: a number and an optional unit (KB, MB, GB, TB are powers of 1000, as
    /// Hugging Face's <c>max_shard_size</c>; KiB, MiB, GiB, TiB powers of 1024). Null when it is not such a size.
    /// </summary>
    public static long? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToUpperInvariant();
        long factor = 1;
        foreach (var (unit, f) in Units)
        {
            if (t.EndsWith(unit, StringComparison.Ordinal))
            {
                factor = f;
                t = t[..^unit.Length].TrimEnd();
                break;
            }
        }

        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number)
            || number <= 0 || number * factor > long.MaxValue)
        {
            return null;
        }

        return (long)Math.Round(number * factor);
    }

    /// <summary><c>1.5 GB</c>, <c>12.3 MB</c>, <c>900 B</c>.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1_000_000_000 => (bytes / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
        >= 1_000_000 => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1_000 => (bytes / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
