using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class PythonJsonWriterTests
{
    private static readonly Lazy<JsonDocument> Vectors =
        new(() => JsonDocument.Parse(File.ReadAllBytes(Paths.Data("python_vectors.json"))));

    private static string Write(JsonStyle style, Action<PythonJsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, style, leaveOpen: true))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public void Strings_AreEscapedExactlyAsPythonJsonDumps()
    {
        foreach (var row in Vectors.Value.RootElement.GetProperty("dumps").EnumerateArray())
        {
            string text = new(row.GetProperty("codes").EnumerateArray().Select(c => (char)c.GetInt32()).ToArray());
            Assert.Equal(row.GetProperty("ascii").GetString(), Write(JsonStyle.Compact.WithAscii(true), w => w.WriteStringValue(text)));
            if (row.TryGetProperty("utf8", out var utf8))
            {
                Assert.Equal(utf8.GetString(), Write(JsonStyle.Compact, w => w.WriteStringValue(text)));
            }
        }
    }

    [Fact]
    public void Documents_AreLaidOutExactlyAsPythonJsonDumps()
    {
        foreach (var row in Vectors.Value.RootElement.GetProperty("layouts").EnumerateArray())
        {
            using var document = JsonDocument.Parse(row.GetProperty("doc").GetString()!);
            var indent = row.GetProperty("indent");
            var style = new JsonStyle { Indent = indent.ValueKind == JsonValueKind.Null ? null : indent.GetInt32(), EnsureAscii = true };
            Assert.Equal(row.GetProperty("out").GetString(), Write(style, w => w.WriteValue(document.RootElement)));
        }
    }

    [Fact]
    public void ReadableUtf8_DoesNotEscapeAngleBracketsOrNonAscii()
    {
        string json = Write(JsonStyle.Compact, w => w.WriteStringValue("<image>\ncafé 中文 😀"));
        Assert.Equal("\"<image>\\ncafé 中文 😀\"", json);
    }

    [Theory]
    [InlineData("action.json")]
    [InlineData("color.json")]
    [InlineData("food.json")]
    [InlineData("animal.first50.json")]
    [InlineData("vehicle.first50.json")]
    public void AbilityFile_ReadAndWrittenInPythonStyle_IsByteIdenticalToTheRelease(string name)
    {
        string path = Paths.Fixture("stablellava", "dataset", name);
        using var reader = JsonRecordReader.Open(path);
        using var buffer = new MemoryStream();
        using (var writer = new RecordFileWriter<StableLlavaEntry>(buffer, JsonRecordLayout.Array, JsonStyle.Compact.WithAscii(true),
            FormatWriter.Write, leaveOpen: true))
        {
            foreach (var entry in JsonRecords.Read(reader, FormatsJsonContext.Default.StableLlavaEntry))
            {
                writer.Write(entry);
            }

            writer.Complete();
        }

        Assert.Equal(File.ReadAllBytes(path), buffer.ToArray());
    }

    [Fact]
    public void ScienceQaSample_ReadAndWrittenWithIndent2_IsByteIdentical()
    {
        string path = Paths.External("llava", "training_format_sample", "llava_test_CQM-A.first5.json");
        using var reader = JsonRecordReader.Open(path);
        using var buffer = new MemoryStream();
        using (var writer = new RecordFileWriter<LlavaSample>(buffer, JsonRecordLayout.Array, JsonStyle.Indented(2).WithAscii(true),
            FormatWriter.Write, leaveOpen: true))
        {
            foreach (var sample in JsonRecords.Read(reader, FormatsJsonContext.Default.LlavaSample))
            {
                writer.Write(sample);
            }

            writer.Complete();
        }

        Assert.Equal(File.ReadAllBytes(path), buffer.ToArray());
    }

    [Fact]
    public void AnyString_WrittenThenParsed_IsTheSameString()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>().Filter(s => s is not null), (string s) =>
        {
            foreach (var style in new[] { JsonStyle.Compact, JsonStyle.Compact.WithAscii(true) })
            {
                string json = Write(style, w => w.WriteStringValue(s));
                if (JsonSerializer.Deserialize<string>(json) != s && !HasLoneSurrogate(s))
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void LoneSurrogate_IsEscapedRatherThanCorrupted()
    {
        string json = Write(JsonStyle.Compact, w => w.WriteStringValue("a\ud800b"));
        Assert.Equal("\"a\\ud800b\"", json);
    }

    private static bool HasLoneSurrogate(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return true;
            }
        }

        return false;
    }
}
