using System.Text;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

/// <summary>SVIT's own prompt files as text: long, multi-paragraph, quotes, box placeholders and markers.</summary>
public class SvitPromptTextTests
{
    // SVIT's four prompt files; they are another project's text, so each test reads them from VISINSTRUCT_REFERENCE.
    public static TheoryData<string> Prompts => ["complex_reasoning.txt", "conversation.txt", "detail_description.txt", "referring_qa.txt"];

    [Theory]
    [MemberData(nameof(Prompts))]
    public void PromptText_RoundTripsThroughEveryWriterStyle(string name)
    {
        string text = File.ReadAllText(Paths.External("svit", "prompts", name));
        var sample = new SvitSample { ImageId = 1,
            Conversations = [new SvitConversation { Content = [new SvitTurn("user", text), new SvitTurn("gpt", text)] }] };
        foreach (var style in new[] { JsonStyle.Compact, JsonStyle.Compact.WithAscii(true), JsonStyle.Indented(4) })
        {
            using var buffer = new MemoryStream();
            using (var writer =
                new RecordFileWriter<SvitSample>(buffer, JsonRecordLayout.Array, style, FormatWriter.Write, leaveOpen: true))
            {
                writer.Write(sample);
                writer.Complete();
            }

            using var reader = JsonRecordReader.Open(new MemoryStream(buffer.ToArray()), "prompt.json");
            Assert.Equal(sample, Assert.Single(JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample).ToList()));
        }
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public void ExpandToSquare_LeavesPromptTextAlone(string name)
    {
        // The prompts write boxes as "[x1, y1, x2, y2]": letters, which the box pattern does not match.
        using var temp = new TempDir();
        string text = File.ReadAllText(Paths.External("svit", "prompts", name));
        var sample = new SvitSample { ImageId = 101, Conversations = [new SvitConversation { Content = [new SvitTurn("user", text)] }] };
        using (var stream = File.Create(temp.File("in.json")))
        using (var writer = new RecordFileWriter<SvitSample>(stream, JsonRecordLayout.Array, JsonStyle.Compact, FormatWriter.Write))
        {
            writer.Write(sample);
            writer.Complete();
        }

        var result = CliRunner.Run("expand-to-square", "--input-file", temp.File("in.json"), "--image-dir",
            Paths.Data("expand_to_square", "images"), "--output-file", temp.File("out.json"));
        Assert.Equal(0, result.ExitCode);
        using var reader = JsonRecordReader.Open(temp.File("out.json"));
        Assert.Equal(sample, Assert.Single(JsonRecords.Read(reader, FormatsJsonContext.Default.SvitSample).ToList()));
        Assert.Contains("[x1, y1, x2, y2]", Encoding.UTF8.GetString(File.ReadAllBytes(temp.File("out.json"))), StringComparison.Ordinal);
    }
}
