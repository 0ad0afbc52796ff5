using System.Globalization;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using VisInstruct.Python;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class PythonFloatTests
{
    private static readonly Lazy<JsonDocument> Vectors =
        new(() => JsonDocument.Parse(File.ReadAllBytes(Paths.Data("python_vectors.json"))));

    private static double FromBits(string bits) => BitConverter.Int64BitsToDouble(long.Parse(bits, CultureInfo.InvariantCulture));

    [Fact]
    public void Repr_MatchesCPythonOnEveryVector()
    {
        var rows = Vectors.Value.RootElement.GetProperty("repr").EnumerateArray().ToList();
        Assert.True(rows.Count > 3000);
        foreach (var row in rows)
        {
            double value = FromBits(row[0].GetString()!);
            Assert.Equal(row[1].GetString(), PythonFloat.Repr(value));
        }
    }

    [Fact]
    public void Round_MatchesCPythonOnEveryVector()
    {
        foreach (var row in Vectors.Value.RootElement.GetProperty("round").EnumerateArray())
        {
            double value = FromBits(row[0].GetString()!);
            int digits = row[1].GetInt32();
            double expected = FromBits(row[2].GetString()!);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(PythonFloat.Round(value, digits)));
        }
    }

    [Fact]
    public void Round3_MatchesPythonOnTheSharedTrapList()
    {
        using var traps = JsonDocument.Parse(File.ReadAllBytes(Paths.Fixture("python_round3_traps.json")));
        int checkedRows = 0;
        foreach (var row in traps.RootElement.EnumerateArray())
        {
            int i = row.GetProperty("i").GetInt32();
            int w = row.GetProperty("w").GetInt32();
            string ours = PythonFloat.Repr(PythonFloat.Round((double)i / w, 3));
            Assert.Equal(row.GetProperty("python").GetString(), ours);
            Assert.NotEqual(row.GetProperty("naive").GetString(), ours);
            checkedRows++;
        }

        Assert.Equal(1234, checkedRows);
    }

    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(-0.0, "-0.0")]
    public void Repr_PrintsFloatsAsPythonDoes(double value, string expected) => Assert.Equal(expected, PythonFloat.Repr(value));

    [Fact]
    public void Repr_RoundTripsEveryDouble()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NormalFloat>(), (NormalFloat f) =>
            double.Parse(PythonFloat.Repr(f.Get), CultureInfo.InvariantCulture) == f.Get).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(2.5, 2)]
    [InlineData(3.5, 4)]
    [InlineData(-2.5, -2)]
    [InlineData(0.49999999999999994, 0)]
    public void RoundToInteger_TiesToEven(double value, long expected) => Assert.Equal(expected, PythonFloat.RoundToInteger(value));

    [Theory]
    [InlineData("7", "000000000007")]
    [InlineData("12345", "000000012345")]
    [InlineData("-5", "-00000000005")]
    [InlineData("1234567890123", "1234567890123")]
    [InlineData("", "000000000000")]
    public void ZFill_PadsAsPython(string value, string expected) => Assert.Equal(expected, PythonString.ZFill(value, 12));
}
