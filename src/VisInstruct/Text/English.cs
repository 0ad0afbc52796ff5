using System.Globalization;

namespace VisInstruct.Text;

/// <summary>Small pieces of English the template writers share.</summary>
public static class English
{
    private static readonly string[] Small = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    /// <summary>A count in words up to ten ("no" for zero), in digits above.</summary>
    public static string Number(int n) => n >= 0 && n < Small.Length ? Small[n] : n.ToString(CultureInfo.InvariantCulture);
}
