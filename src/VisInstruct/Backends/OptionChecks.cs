using System.Globalization;

namespace VisInstruct.Backends;

/// <summary>The checks the options types' <c>Validate()</c> make, with messages that name the setting.</summary>
internal static class OptionChecks
{
    public static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1");
        }
    }

    public static void NotNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative");
        }
    }

    /// <summary>A time span, when set, must be more than zero.</summary>
    public static void Positive(TimeSpan? value, string name)
    {
        if (value is { } v && v <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, v, $"{name} must be more than zero");
        }
    }

    public static void NotNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative");
        }
    }

    public static void AtLeast(TimeSpan value, TimeSpan floor, string name, string floorName)
    {
        if (value < floor)
        {
            throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture,
                $"{name} must be at least {floorName} ({floor})"));
        }
    }

    public static void Range(int? value, int min, int max, string name)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw new ArgumentOutOfRangeException(name, v, string.Create(CultureInfo.InvariantCulture,
                $"{name} must be from {min} to {max}"));
        }
    }

    public static void Range(double? value, double min, double max, string name)
    {
        if (value is { } v && (double.IsNaN(v) || v < min || v > max))
        {
            throw new ArgumentOutOfRangeException(name, v, string.Create(CultureInfo.InvariantCulture,
                $"{name} must be from {min} to {max}"));
        }
    }

    public static void Endpoints(IReadOnlyList<Uri>? endpoints, string name)
    {
        if (endpoints is not { Count: > 0 })
        {
            throw new ArgumentException($"{name} needs at least one endpoint", name);
        }

        if (endpoints.Any(e => e is null || !e.IsAbsoluteUri))
        {
            throw new ArgumentException($"{name} must hold absolute URLs", name);
        }
    }
}
