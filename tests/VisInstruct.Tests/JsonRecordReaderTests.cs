using System.Text;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class JsonRecordReaderTests
{
    private static List<(long Index, string Json, SourcePosition Start)> ReadAll(string content)
    {
        using var reader = JsonRecordReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(content)), "test.json");
        return reader.ReadAll().Select(r => (r.Index, Encoding.UTF8.GetString(r.Utf8.Span), r.Start)).ToList();
    }

    private static InputFormatException Fails(byte[] content)
    {
        return Assert.Throws<InputFormatException>(() =>
        {
            using var reader = JsonRecordReader.Open(new MemoryStream(content), "bad.json");
            foreach (var _ in reader.ReadAll())
            {
            }
        });
    }

    private static InputFormatException Fails(string content) => Fails(Encoding.UTF8.GetBytes(content));

    [Fact]
    public void Array_YieldsEachElementWithItsPosition()
    {
        var records = ReadAll("[\n  {\"a\": 1},\n  {\"b\": [2, 3]}, \"x\"\n]");
        Assert.Equal(3, records.Count);
        Assert.Equal("{\"a\": 1}", records[0].Json);
        Assert.Equal(new SourcePosition(2, 3, 4), records[0].Start);
        Assert.Equal("{\"b\": [2, 3]}", records[1].Json);
        Assert.Equal(new SourcePosition(3, 3, 16), records[1].Start);
        Assert.Equal("\"x\"", records[2].Json);
        Assert.Equal(2, records[2].Index);
    }

    [Fact]
    public void JsonLines_SkipsBlankLinesAndHandlesCrLf()
    {
        var records = ReadAll("{\"a\": 1}\r\n\r\n  {\"b\": 2}  \n");
        Assert.Equal(["{\"a\": 1}", "{\"b\": 2}"], records.Select(r => r.Json));
        Assert.Equal(new SourcePosition(3, 3, 14), records[1].Start);
    }

    [Fact]
    public void ByteOrderMark_IsSkippedAndReported()
    {
        byte[] content = [0xEF, 0xBB, 0xBF, .. "[{\"a\": 1}]"u8];
        using var reader = JsonRecordReader.Open(new MemoryStream(content), "bom.json");
        Assert.True(reader.HadByteOrderMark);
        Assert.Single(reader.ReadAll());
    }

    [Fact]
    public void LargeFile_StreamsAcrossManyBufferRefills()
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < 20000; i++)
        {
            sb.Append(i == 0 ? "" : ", ").Append("{\"id\": \"").Append(i).Append("\", \"text\": \"").Append('x', i % 300).Append("\"}");
        }

        // One element far larger than the reader's initial buffer.
        sb.Append(", {\"id\": \"big\", \"text\": \"").Append('y', 3_000_000).Append("\"}]");
        var records = ReadAll(sb.ToString());
        Assert.Equal(20001, records.Count);
        Assert.Equal("{\"id\": \"big\", \"text\": \"".Length + 3_000_000 + 2, records[^1].Json.Length);
        Assert.All(records.Take(20000), r => Assert.StartsWith("{\"id\": \"" + r.Index + "\"", r.Json, StringComparison.Ordinal));
    }

    [Fact]
    public void Truncated_SaysSoAndPointsAtTheEnd()
    {
        var error = Fails("[{\"id\": \"1\"}, {\"id\": \"2\", \"image\": \"a");
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.RecordIndex);
        Assert.Equal(37, error.Position!.Value.ByteOffset);
    }

    [Fact]
    public void InvalidToken_PointsAtLineAndColumn()
    {
        var error = Fails("[\n{\"id\": \"1\"},\n{\"id\": tru}\n]");
        Assert.Equal(3, error.Position!.Value.Line);
        // Where the reader found that "tru" is not a literal.
        Assert.Equal(11, error.Position!.Value.Column);
        Assert.Equal(1, error.RecordIndex);
        Assert.Contains("bad.json:3:11", error.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void NonUtf8Byte_NamesTheByteTheOffsetAndTheField()
    {
        byte[] content = [.. "[{\"id\": \"1\", \"answer\": \"caf"u8, 0xE9, .. "\"}]"u8];
        var error = Fails(content);
        Assert.Contains("0xE9", error.Message, StringComparison.Ordinal);
        Assert.Equal("answer", error.Field);
        Assert.Equal("[{\"id\": \"1\", \"answer\": \"caf".Length, error.Position!.Value.ByteOffset);
        Assert.Equal(0, error.RecordIndex);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n ", "empty")]
    [InlineData("5", "expected a JSON array")]
    [InlineData("[1, 2] [3]", "after")]
    [InlineData("{\"a\": 1}\n{\"a\": 2} 3\n", "invalid after a single JSON value")]
    [InlineData("{\"a\": 1}\n{\"a\" 2}\n", "invalid JSON")]
    public void BadLayouts_AreRejectedWithAClearMessage(string content, string expected)
    {
        var error = Fails(content);
        Assert.Contains(expected, error.Describe(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MissingFile_IsAnInputError()
    {
        var error = Assert.Throws<InputFormatException>(() => JsonRecordReader.Open("/no/such/file.json"));
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferenceFixtures_AllStreamCompletely()
    {
        foreach (string file in Paths.AbilityFiles())
        {
            using var reader = JsonRecordReader.Open(file);
            Assert.Equal(JsonRecordLayout.Array, reader.Layout);
            long count = reader.ReadAll().LongCount();
            Assert.True(count >= 50, file);
            Assert.Equal(new FileInfo(file).Length, reader.BytesRead);
        }
    }
}
