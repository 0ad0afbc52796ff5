using System.Globalization;
using System.Text;
using System.Text.Json;
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

    // Walks every token of a record (TrySkip over "skip" values), so that what it returns depends on all of them.
    private static string Walk(ref Utf8JsonReader reader, in RawJsonRecord record)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{record.Index}:");
        int depth = reader.CurrentDepth;
        bool container = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray;
        while (true)
        {
            text.Append(reader.TokenType switch
            {
                JsonTokenType.PropertyName or JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => reader.GetInt64().ToString(CultureInfo.InvariantCulture),
                var other => other.ToString(),
            }).Append(' ');
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("skip"u8))
            {
                reader.Read();
                _ = reader.TrySkip();
            }

            if (!container || (reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                || !reader.Read())
            {
                break;
            }
        }

        return text.ToString();
    }

    [Fact]
    public void InPlaceParsingGivesWhatParsingTheRecordsGivesAcrossRefills()
    {
        using var dir = new TempDir();
        var json = new StringBuilder("{\"images\": [");
        var rng = new Random(5);
        for (int i = 0; i < 40_000; i++)
        {
            json.Append(i > 0 ? ",\n " : "")
                .Append(CultureInfo.InvariantCulture, $"{{\"id\": {i}, \"caption\": \"{new string('x', rng.Next(0, 60))}é\"");
            if (i % 7 == 0)
            {
                json.Append(CultureInfo.InvariantCulture,
                    $", \"skip\": {{\"a\": [1, 2, {{\"b\": \"{new string('y', rng.Next(0, 300))}\"}}]}}");
            }

            json.Append(i % 11 == 0 ? ", \"n\": [3, [4]]}" : "}");
            if (i % 5000 == 0)
            {
                json.Append(", 12345, \"s\"");
            }
        }

        string path = dir.Write("big.json", json.Append("], \"other\": [1]}").ToString());
        var expected = new List<(string, long, SourcePosition)>();
        using (var reader = JsonRecordReader.OpenObject(path, "images".Equals))
        {
            while (reader.TryRead(out var record))
            {
                var parse = new Utf8JsonReader(record.Utf8.Span, isFinalBlock: true, new JsonReaderState(JsonRecordReader.ReaderOptions));
                parse.Read();
                expected.Add((Walk(ref parse, record), record.Index, record.Start));
            }
        }

        var actual = new List<(string, long, SourcePosition)>();
        using (var reader = JsonRecordReader.OpenObject(path, "images".Equals))
        {
            while (reader.TryRead(Walk, out var record, out string value))
            {
                actual.Add((value, record.Index, record.Start));
            }

            Assert.Equal(expected.Count, reader.RecordsRead);
        }

        Assert.True(new FileInfo(path).Length > 3 << 20);
        Assert.Equal(40_000 + 16, expected.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void InPlaceParsingReportsTheRecordErrorsBeforeTheParsersOwn()
    {
        using var dir = new TempDir();
        static int Parse(ref Utf8JsonReader reader, in RawJsonRecord record)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw new InputFormatException("p", "not a number", record.PositionOf((int)reader.TokenStartIndex), "field",
                        record.Index);
                }
            }

            return 0;
        }

        InputFormatException Fails(byte[] content) => Assert.Throws<InputFormatException>(() =>
        {
            using var reader = JsonRecordReader.OpenObject(dir.Write("bad.json", content), "a".Equals);
            while (reader.TryRead(Parse, out _, out _))
            {
            }
        });

        // The parser's own error, placed from its reader's token.
        byte[] own = "{\"a\": [{\"x\": 1}, {\"x\": 2, \"y\": \"s\"}]}"u8.ToArray();
        var error = Fails(own);
        Assert.Equal("not a number", error.Reason);
        Assert.Equal(Array.IndexOf(own, (byte)'s') - 1, error.Position!.Value.ByteOffset);
        Assert.Equal(1, error.RecordIndex);

        // Invalid UTF-8 later in the record comes first, with its field.
        byte[] utf8 = [.. "{\"a\": [{\"x\": \"s\", \"z\": \"b"u8, 0xFF, .. "\"}]}"u8];
        error = Fails(utf8);
        Assert.Equal("z", error.Field);
        Assert.Equal(Array.IndexOf(utf8, (byte)0xFF), error.Position!.Value.ByteOffset);

        // So does a syntax error.
        error = Fails("{\"a\": [{\"x\": \"s\", \"z\": tru}]}"u8.ToArray());
        Assert.StartsWith("invalid JSON", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, error.RecordIndex);
    }
}
