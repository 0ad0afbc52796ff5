using System.Globalization;

namespace VisInstruct.Python;

/// <summary>Python's float formatting and rounding, reproduced exactly (repr, round(x, n), round(x)).</summary>
public static class PythonFloat
{
    /// <summary>
    /// Python's <c>round(value, ndigits)</c>: rounds the exact binary value to <paramref name="ndigits"/> decimals,
    /// ties to even, and returns the double nearest to that decimal.
    /// </summary>
    /// <remarks>
    /// <c>Math.Round(v, 3)</c> scales by 1000 first, and the scaling itself rounds, so it disagrees with Python on
    /// values like 1/80. .NET's fixed-point formatting rounds the exact binary value correctly (ties to even), and
    /// parsing the result back gives the nearest double, which is what CPython does with its own dtoa.
    /// </remarks>
    public static double Round(double value, int ndigits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ndigits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ndigits, 15);
        if (!double.IsFinite(value))
        {
            return value;
        }

        // Fast path, exact: 10^n is exact, so a = |value| * 10^n is the exact product p rounded once, and the fused
        // multiply-add gives the rounding error e = p - a exactly. Off a tie (a is not k + 0.5) the error is smaller
        // than the distance to the tie, so rounding a to the nearest integer rounds p correctly; on a tie the sign
        // of e decides, and e = 0 is a true tie (to even). Dividing the integer by 10^n (both exact) then gives the
        // double nearest to that decimal, which is what CPython returns.
        double scale = Pow10[ndigits];
        double magnitude = Math.Abs(value);
        double scaled = magnitude * scale;
        if (scaled < 1e15)
        {
            double floor = Math.Floor(scaled);
            double tie = scaled - floor - 0.5;
            double integer;
            if (tie != 0)
            {
                integer = tie > 0 ? floor + 1 : floor;
            }
            else
            {
                double error = Math.FusedMultiplyAdd(magnitude, scale, -scaled);
                integer = error > 0 || (error == 0 && floor % 2 == 1) ? floor + 1 : floor;
            }

            double quotient = integer / scale;
            return quotient == 0 ? CopySign0(value) : double.IsNegative(value) ? -quotient : quotient;
        }

        Span<char> format = stackalloc char[3];
        format[0] = 'F';
        int formatLength = ndigits < 10 ? 2 : 3;
        if (ndigits < 10)
        {
            format[1] = (char)('0' + ndigits);
        }
        else
        {
            format[1] = '1';
            format[2] = (char)('0' + (ndigits - 10));
        }

        Span<char> buffer = stackalloc char[64];
        if (value.TryFormat(buffer, out int written, format[..formatLength], CultureInfo.InvariantCulture))
        {
            double rounded = double.Parse(buffer[..written], NumberStyles.Float, CultureInfo.InvariantCulture);
            return rounded == 0 ? CopySign0(value) : rounded;
        }

        string text = value.ToString(new string(format[..formatLength]), CultureInfo.InvariantCulture);
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Python's <c>round(value)</c> to an integer: ties to even.</summary>
    public static long RoundToInteger(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new OverflowException($"cannot convert float {Repr(value)} to integer");
        }

        return checked((long)Math.Round(value, MidpointRounding.ToEven));
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, <c>1.0</c> not <c>1</c>, exponent outside 1e-4..1e16.</summary>
    public static string Repr(double value)
    {
        Span<char> buffer = stackalloc char[32];
        int written = FormatRepr(value, buffer);
        return new string(buffer[..written]);
    }

    /// <summary>
    /// Writes Python's <c>repr(float)</c> of <paramref name="value"/> into <paramref name="destination"/> (32 chars suffice).
    /// </summary>
    public static int FormatRepr(double value, Span<char> destination)
    {
        if (double.IsNaN(value))
        {
            return Copy("nan", destination);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "inf" : "-inf", destination);
        }

        // Fast path for values with at most three decimals (boxes rounded to 3 digits): the decimal n/1000 has few
        // enough digits to be the only short decimal that maps to this double, so it is the shortest repr.
        double thousandths = Math.Round(value * 1000);
        if (Math.Abs(thousandths) < 1e12 && thousandths / 1000 == value && thousandths != 0)
        {
            return FormatThousandths((long)thousandths, destination);
        }

        // "R" gives the shortest round-trip digits (since .NET Core 3.0), in its own layout; re-lay them out
        // the way CPython's float_repr does.
        Span<char> raw = stackalloc char[32];
        value.TryFormat(raw, out int rawLength, "R", CultureInfo.InvariantCulture);
        ReadOnlySpan<char> text = raw[..rawLength];

        bool negative = text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        int exponent = 0;
        int e = text.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        // Collect the significant digits and the position of the decimal point relative to them.
        Span<char> digits = stackalloc char[24];
        int digitCount = 0;
        int pointPosition = -1;
        foreach (char c in text)
        {
            if (c == '.')
            {
                pointPosition = digitCount;
            }
            else
            {
                digits[digitCount++] = c;
            }
        }

        if (pointPosition < 0)
        {
            pointPosition = digitCount;
        }

        int leading = 0;
        while (leading < digitCount - 1 && digits[leading] == '0')
        {
            leading++;
        }

        int decimalPoint = pointPosition - leading + exponent;
        ReadOnlySpan<char> significant = digits[leading..digitCount].TrimEnd('0');
        if (significant.IsEmpty)
        {
            // Zero: "0.0" or "-0.0".
            return Copy(negative ? "-0.0" : "0.0", destination);
        }

        int pos = 0;
        if (negative)
        {
            destination[pos++] = '-';
        }

        if (decimalPoint > -4 && decimalPoint <= 16)
        {
            if (decimalPoint <= 0)
            {
                destination[pos++] = '0';
                destination[pos++] = '.';
                for (int i = 0; i < -decimalPoint; i++)
                {
                    destination[pos++] = '0';
                }

                significant.CopyTo(destination[pos..]);
                pos += significant.Length;
            }
            else if (decimalPoint >= significant.Length)
            {
                significant.CopyTo(destination[pos..]);
                pos += significant.Length;
                for (int i = significant.Length; i < decimalPoint; i++)
                {
                    destination[pos++] = '0';
                }

                destination[pos++] = '.';
                destination[pos++] = '0';
            }
            else
            {
                significant[..decimalPoint].CopyTo(destination[pos..]);
                pos += decimalPoint;
                destination[pos++] = '.';
                significant[decimalPoint..].CopyTo(destination[pos..]);
                pos += significant.Length - decimalPoint;
            }

            return pos;
        }

        destination[pos++] = significant[0];
        if (significant.Length > 1)
        {
            destination[pos++] = '.';
            significant[1..].CopyTo(destination[pos..]);
            pos += significant.Length - 1;
        }

        int exp = decimalPoint - 1;
        destination[pos++] = 'e';
        destination[pos++] = exp < 0 ? '-' : '+';
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            destination[pos++] = '0';
        }

        exp.TryFormat(destination[pos..], out int expLength, default, CultureInfo.InvariantCulture);
        return pos + expLength;
    }

    /// <summary>Python's <c>float(text)</c> for the plain decimal forms the box regex admits (digits and dots).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        // float() takes "5." and ".5" but not "." or "1.2.3"; double.TryParse agrees on all of these.
        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static double CopySign0(double value) => double.IsNegative(value) ? -0.0 : 0.0;

    private static readonly double[] Pow10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>Writes n/1000 as Python's repr does (<c>0.16</c>, <c>2.0</c>, <c>-1.005</c>) for 0 &lt; |n| &lt; 1e12.</summary>
    private static int FormatThousandths(long n, Span<char> destination)
    {
        int pos = 0;
        if (n < 0)
        {
            destination[pos++] = '-';
            n = -n;
        }

        long whole = n / 1000;
        int fraction = (int)(n % 1000);
        whole.TryFormat(destination[pos..], out int written, default, CultureInfo.InvariantCulture);
        pos += written;
        destination[pos++] = '.';
        if (fraction == 0)
        {
            destination[pos++] = '0';
            return pos;
        }

        destination[pos++] = (char)('0' + (fraction / 100));
        int rest = fraction % 100;
        if (rest != 0)
        {
            destination[pos++] = (char)('0' + (rest / 10));
            if (rest % 10 != 0)
            {
                destination[pos++] = (char)('0' + (rest % 10));
            }
        }

        return pos;
    }

    private static int Copy(string text, Span<char> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
