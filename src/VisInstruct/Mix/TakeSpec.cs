using System.Globalization;

namespace VisInstruct.Mix;

/// <summary>
/// How much of a source (or of a group inside one) a mix takes: everything, a count of samples (<c>50000</c>), a ratio
/// of its usable samples (<c>0.5</c>, <c>1.5</c>, <c>2.0</c>) or a weight (<c>2x</c>, <c>0.5x</c>, the same as a
/// ratio). More than all of it repeats samples: whole copies first, then a seeded share for the rest.
/// </summary>
public sealed record TakeSpec
{
    private TakeSpec(long? count, double? ratio, string text)
    {
        Count = count;
        Ratio = ratio;
        Text = text;
    }

    /// <summary>Everything (ratio 1).</summary>
    public static TakeSpec All { get; } = new(null, null, "all");

    /// <summary>The number of samples to take, or null for a ratio.</summary>
    public long? Count { get; }

    /// <summary>The share of the usable samples to take, or null for a count.</summary>
    public double? Ratio { get; }

    /// <summary>The spec as the user wrote it (<c>all</c> when none was given).</summary>
    public string Text { get; }

    /// <summary>
    /// Reads a spec: digits are a count, a decimal number a ratio, a number followed by <c>x</c> a weight. Null when
    /// <paramref name="text"/> is not shaped as a spec at all; <paramref name="error"/> is set when it is shaped as one
    /// but is out of range (a count or ratio of 0).
    /// </summary>
    public static TakeSpec? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        if (text.Length == 0)
        {
            return null;
        }

        if (text.All(char.IsAsciiDigit))
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count < 1)
            {
                error = $"the count {text} must be a whole number of at least 1";
                return null;
            }

            return new TakeSpec(count, null, text);
        }

        string number = text.EndsWith('x') || text.EndsWith('X') ? text[..^1] : text;
        bool weight = number.Length != text.Length;
        if (number.Length == 0 || !number.All(c => char.IsAsciiDigit(c) || c == '.') || number.Count(c => c == '.') > 1
            || (!weight && !number.Contains('.', StringComparison.Ordinal)) || number == ".")
        {
            return null;
        }

        double ratio = double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (ratio <= 0 || double.IsInfinity(ratio) || ratio > 1_000_000)
        {
            error = $"the ratio {text} must be above 0 (and at most 1000000)";
            return null;
        }

        return new TakeSpec(null, ratio, text);
    }

    /// <summary>How many samples this spec takes of <paramref name="usable"/> (a ratio rounds half away from zero).</summary>
    public long Target(long usable)
    {
        if (Count is { } count)
        {
            return count;
        }

        double ratio = Ratio ?? 1.0;
        return (long)Math.Round(ratio * usable, MidpointRounding.AwayFromZero);
    }
}
