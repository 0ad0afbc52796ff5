using System.Text;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class JsonObjectRecordReaderTests
{
    private static List<(string Property, long Index, string Json, SourcePosition Start)> ReadAll(TempDir dir, string content,
        params string[] arrays)
    {
        using var reader = JsonRecordReader.OpenObject(dir.Write("coco.json", content), arrays.Contains);
        var records = new List<(string, long, string, SourcePosition)>();
        while (reader.TryRead(out var record))
        {
            records.Add((reader.Property, record.Index, Encoding.UTF8.GetString(record.Utf8.Span), record.Start));
        }

        Assert.Equal(JsonRecordLayout.Object, reader.Layout);
        return records;
    }

    private static InputFormatException Fails(TempDir dir, byte[] content, params string[] arrays) =>
        Assert.Throws<InputFormatException>(() =>
        {
            using var reader = JsonRecordReader.OpenObject(dir.Write("bad.json", content), arrays.Contains);
            while (reader.TryRead(out _))
            {
            }
        });

    [Fact]
    public void ChosenArraysYieldTheirElementsWithIndexesWithinTheArray()
    {
        using var dir = new TempDir();
        string json = "{\"info\": {\"year\": [2017, {\"x\": 1}]}, \"images\": [{\"id\": 1}, {\"id\": 2}],\n \"skipped\": [{\"id\": 9}], "
            + "\"annotations\": [{\"a\": [1, 2]}, 3]}";
        var records = ReadAll(dir, json, "images", "annotations");
        Assert.Equal(
            [("images", 0L, "{\"id\": 1}"), ("images", 1L, "{\"id\": 2}"), ("annotations", 0L, "{\"a\": [1, 2]}"),
                ("annotations", 1L, "3")],
            records.Select(r => (r.Property, r.Index, r.Json)).ToList());
        Assert.Equal(json.IndexOf("{\"id\": 2}", StringComparison.Ordinal), records[1].Start.ByteOffset);
        Assert.Equal(2, records[2].Start.Line);
    }

    [Fact]
    public void ErrorsNameThePlace()
    {
        using var dir = new TempDir();
        var notObject = Fails(dir, "[1, 2]"u8.ToArray(), "images");
        Assert.Contains("expected a JSON object", notObject.Message, StringComparison.Ordinal);

        var notArray = Fails(dir, "{\"images\": 5}"u8.ToArray(), "images");
        Assert.Equal("images", notArray.Field);
        Assert.Equal(11, notArray.Position!.Value.ByteOffset);

        var truncated = Fails(dir, "{\"images\": [{\"id\": 1}, {\"id\""u8.ToArray(), "images");
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        Assert.Equal(1, truncated.RecordIndex);

        // Invalid UTF-8 inside a record is named with the record's field, not only the place.
        byte[] bad = [.. "{\"images\": [{\"id\": 1}, {\"file_name\": \"a"u8, 0xFF, .. "\"}]}"u8];
        var utf8 = Fails(dir, bad, "images");
        Assert.Equal("file_name", utf8.Field);
        Assert.Equal(1, utf8.RecordIndex);
        Assert.Equal(Array.IndexOf(bad, (byte)0xFF), utf8.Position!.Value.ByteOffset);
    }
}
