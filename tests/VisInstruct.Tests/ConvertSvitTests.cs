using VisInstruct.Conversion;
using VisInstruct.Formats;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class ConvertSvitTests
{
    // Images 1 (VG_100K_2) and 2 (VG_100K) of the real image_data.json, both 800x600.
    private static readonly string ImageData = Paths.Fixture("vg", "image_data.first2.json");

    private const string Raw = """
        [
          {"image_id": 1, "conversations": [
            {"content": [
              {"from": "user", "value": "How many bikes are parked?"},
              {"from": "gpt", "value": "Two bikes are parked by the building."},
              {"from": "user", "value": "What colour is the clock?"},
              {"from": "gpt", "value": "Green."}
            ]},
            {"content": [
              {"from": "user", "value": "What is the <st>man<ed> [0.298, 0.415, 0.372, 0.852] wearing?"},
              {"from": "gpt", "value": "The <st>man<ed> [0.298, 0.415, 0.372, 0.852] wears <st>sneakers<ed> [0.304, 0.815, 0.369, 0.858],
        """
        + """
         [0.3, 0.8, 0.37, 0.86]."}
            ]}
          ]},
          {"image_id": 2, "conversations": [
            {"content": [{"from": "user", "value": "Describe the image."}, {"from": "gpt", "value": "A street."}]}
          ]},
          {"image_id": 1, "conversations": [
            {"content": [{"from": "user", "value": "Is it day?"}, {"from": "gpt", "value": "Yes."}]}
          ]}
        ]
        """;

    private static List<LlavaSample> Convert(TempDir temp, params string[] extra)
    {
        string input = temp.Write("svit.json", Raw);
        var result = CliRunner.Run(["convert", "svit", "--input-file", input, "--image-data", ImageData, "--output-file",
            temp.File("llava.json"), .. extra]);
        Assert.Equal(0, result.ExitCode);
        using var reader = JsonRecordReader.Open(temp.File("llava.json"));
        return JsonRecords.Read(reader, FormatsJsonContext.Default.LlavaSample).ToList();
    }

    [Fact]
    public void EachConversation_BecomesOneSampleWithHumanRolesAndTheImageFirst()
    {
        using var temp = new TempDir();
        var samples = Convert(temp);
        Assert.Equal(["1_0", "1_1", "2_0", "1_2"], samples.Select(s => s.Id));
        Assert.Equal("vg/VG_100K_2/1.jpg", samples[0].Image!.Paths[0]);
        Assert.Equal("vg/VG_100K/2.jpg", samples[2].Image!.Paths[0]);
        Assert.Equal(["human", "gpt", "human", "gpt"], samples[0].Conversations.Select(t => t.From));
        Assert.Equal("<image>\nHow many bikes are parked?", samples[0].Conversations[0].Value);
        Assert.Equal("What colour is the clock?", samples[0].Conversations[2].Value);
    }

    [Fact]
    public void ReferringQa_LosesMarkersGetsSquareBoxesAndAFormatInstruction()
    {
        using var temp = new TempDir();
        var referring = Convert(temp, "--seed", "3")[1];
        string question = referring.Conversations[0].Value;
        string answer = referring.Conversations[1].Value;
        string manBox = SquareBoxes.ConvertBox("[0.298, 0.415, 0.372, 0.852]", 800, 600)!;
        Assert.StartsWith("<image>\nWhat is the man " + manBox + " wearing?\n", question, StringComparison.Ordinal);
        Assert.Contains(question.Split('\n')[^1], SvitConversion.DefaultReferringInstructions);
        Assert.DoesNotContain("<st>", answer, StringComparison.Ordinal);
        Assert.Equal("The man " + manBox + " wears sneakers " + SquareBoxes.ConvertBox("[0.304, 0.815, 0.369, 0.858]", 800, 600) + ", "
            + SquareBoxes.ConvertBox("[0.3, 0.8, 0.37, 0.86]", 800, 600) + ".", answer);
    }

    [Fact]
    public void InstructionChoice_DependsOnlyOnTheSeed()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        Assert.Equal(Convert(a, "--seed", "11"), Convert(b, "--seed", "11"));
        var chosen = Enumerable.Range(0, 12).Select(seed =>
        {
            using var t = new TempDir();
            return Convert(t, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture))[1].Conversations[0]
                .Value.Split('\n')[^1];
        }).Distinct().Count();
        Assert.True(chosen > 1);
    }

    [Fact]
    public void Output_PassesLint()
    {
        using var temp = new TempDir();
        Convert(temp);
        var lint = CliRunner.Run("lint", temp.File("llava.json"));
        Assert.Equal(0, lint.ExitCode);
    }

    [Fact]
    public void SizesFromTheImageFolder_WhenNoImageData()
    {
        using var temp = new TempDir();
        string input = temp.Write("svit.json", "[{\"image_id\": 102, \"conversations\": [{\"content\": [{\"from\": \"user\", \"value\": "
            + "\"Where is the <st>cup<ed> [0.1, 0.2, 0.3, 0.4]?\"}, {\"from\": \"gpt\", \"value\": \"There.\"}]}]}]");
        var result = CliRunner.Run("convert", "svit", "--input-file", input, "--image-dir", Paths.Data("expand_to_square", "images"),
            "--output-file", temp.File("o.json"));
        Assert.Equal(0, result.ExitCode);
        string text = File.ReadAllText(temp.File("o.json"));
        Assert.Contains("\"image\": \"102.jpg\"", text, StringComparison.Ordinal);
        Assert.Contains("cup [0.2, 0.2, 0.35, 0.4]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownRole_ExitsWith2NamingTheField()
    {
        using var temp = new TempDir();
        string input = temp.Write("svit.json",
            "[{\"image_id\": 1, \"conversations\": [{\"content\": [{\"from\": \"assistant\", \"value\": \"x\"}]}]}]");
        var result =
            CliRunner.Run("convert", "svit", "--input-file", input, "--image-data", ImageData, "--output-file", temp.File("o.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("field conversations[0].content[0].from", result.Error, StringComparison.Ordinal);
        Assert.Contains("\"assistant\"", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("o.json")));
    }

    [Fact]
    public void ImageIdAsString_IsBadInput()
    {
        using var temp = new TempDir();
        string input = temp.Write("svit.json", "[{\"image_id\": \"1\", \"conversations\": []}]");
        var result =
            CliRunner.Run("convert", "svit", "--input-file", input, "--image-data", ImageData, "--output-file", temp.File("o.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("field image_id: expected an integer", result.Error, StringComparison.Ordinal);
    }
}
