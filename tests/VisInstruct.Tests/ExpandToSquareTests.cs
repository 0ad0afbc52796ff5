using VisInstruct.Conversion;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class ExpandToSquareTests
{
    [Fact]
    public void Output_IsByteIdenticalToTheReferenceScript()
    {
        // expected.json was written by SVIT's tools/expand_to_square.py on input.json and these images
        // (Data/tools/make_expand_fixture.py): every kind of box, the rounding traps, a PNG named .jpg, a progressive
        // JPEG, a large EXIF segment, the chained str.replace case, and non-ASCII text.
        using var temp = new TempDir();
        string output = temp.File("out.json");
        var result = CliRunner.Run("expand-to-square", "--input-file", Paths.Data("expand_to_square", "input.json"),
            "--image-dir", Paths.Data("expand_to_square", "images"), "--output-file", output, "--ascii");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllBytes(Paths.Data("expand_to_square", "expected.json")), File.ReadAllBytes(output));
    }

    [Fact]
    public void DefaultOutput_IsReadableUtf8WithTheSameStructure()
    {
        using var temp = new TempDir();
        string output = temp.File("out.json");
        Assert.Equal(0, CliRunner.Run("expand-to-square", "--input-file", Paths.Data("expand_to_square", "input.json"),
            "--image-dir", Paths.Data("expand_to_square", "images"), "--output-file", output).ExitCode);
        string text = File.ReadAllText(output);
        Assert.Contains("Café ☕ 😀", text, StringComparison.Ordinal);
        using var ours = System.Text.Json.JsonDocument.Parse(text);
        using var reference = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Paths.Data("expand_to_square", "expected.json")));
        Assert.True(System.Text.Json.JsonElement.DeepEquals(ours.RootElement, reference.RootElement));
    }

    [Fact]
    public void MissingImage_LeavesItsBoxesAndIsReported()
    {
        using var temp = new TempDir();
        string input = temp.Write("in.json",
            "[{\"image_id\": 101, \"conversations\": [{\"content\": [{\"from\": \"user\", \"value\": \"a [0.1, 0.2, 0.3, 0.4]\"}]}]}, " +
            "{\"image_id\": 999, \"conversations\": [{\"content\": [{\"from\": \"user\", \"value\": \"b [0.1, 0.2, 0.3, 0.4] [0.5, 0.5, "
                + "0.6, 0.6]\"}]}]}]");
        var result = CliRunner.Run("expand-to-square", "--input-file", input, "--image-dir", Paths.Data("expand_to_square", "images"),
            "--output-file", temp.File("out.json"), "--allow-missing-images");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 images not found", result.Error, StringComparison.Ordinal);
        Assert.Contains("999", result.Error, StringComparison.Ordinal);
        Assert.Contains("3 found, 1 re-normalised", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 left as they were because the image is missing", result.Out, StringComparison.Ordinal);
        string text = File.ReadAllText(temp.File("out.json"));
        Assert.Contains("b [0.1, 0.2, 0.3, 0.4] [0.5, 0.5, 0.6, 0.6]", text, StringComparison.Ordinal);
        Assert.Contains("a [0.1, 0.275, 0.3, 0.425]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageData_GivesSizesWithoutTheImages()
    {
        // image_data.first2.json: images 1 and 2, both 800x600.
        using var temp = new TempDir();
        string input = temp.Write("in.json",
            "[{\"image_id\": 1, \"conversations\": [{\"content\": [{\"from\": \"user\", \"value\": \"[0.1, 0.2, 0.3, 0.4]\"}]}]}]");
        var result = CliRunner.Run("expand-to-square", "--input-file", input, "--image-data", Paths.Fixture("vg", "image_data.first2.json"),
            "--output-file", temp.File("out.json"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[0.1, 0.275, 0.3, 0.425]", File.ReadAllText(temp.File("out.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonLinesInput_GivesJsonLinesOutput()
    {
        using var temp = new TempDir();
        string input = temp.Write("in.jsonl",
            "{\"image_id\": 103, \"conversations\": [{\"content\": [{\"from\": \"user\", \"value\": \"[0.1, 0.2, 0.3, 0.4]\"}]}]}\n" +
            "{\"image_id\": 101, \"conversations\": []}\n");
        Assert.Equal(0,
            CliRunner.Run("expand-to-square", "--input-file", input, "--image-dir", Paths.Data("expand_to_square", "images"),
            "--output-file", temp.File("out.jsonl")).ExitCode);
        string[] lines = File.ReadAllLines(temp.File("out.jsonl"));
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"image_id\": 103, \"conversations\": [{\"content\": [{", lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{\"conversations\": []}]", "missing field \"image_id\"")]
    [
        InlineData("[{\"image_id\": 101, \"conversations\": [{\"content\": [{\"from\": \"user\", \"value\": 5}]}]}]",
        "field conversations[0].content[0].value")]
    [InlineData("[{\"image_id\": 101, \"conversations\": {}}]", "field conversations: expected an array")]
    [InlineData("[{\"image_id\": [1], \"conversations\": []}]", "field image_id")]
    public void BadItem_ExitsWith2AndLeavesNoFile(string content, string expected)
    {
        using var temp = new TempDir();
        string input = temp.Write("in.json", content);
        var result = CliRunner.Run("expand-to-square", "--input-file", input, "--image-dir", Paths.Data("expand_to_square", "images"),
            "--output-file", temp.File("out.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(["in.json"], temp.Files());
    }

    [Fact]
    public void WithoutImageSource_IsAUsageError()
    {
        var result = CliRunner.Run("expand-to-square", "--input-file", "x.json", "--output-file", "y.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--image-dir", result.Error, StringComparison.Ordinal);
    }

    // Expected values printed by the script's own arithmetic in CPython.
    [Theory]
    [InlineData("[0.1, 0.2, 0.3, 0.4]", 800, 600, "[0.1, 0.275, 0.3, 0.425]")]
    [InlineData("[0.1, 0.2, 0.3, 0.4]", 600, 800, "[0.2, 0.2, 0.35, 0.4]")]
    [InlineData("[0.5, 0.0, 1.0, 1]", 500, 500, "[0.5, 0.0, 1.0, 1.0]")]
    [InlineData("[1.2.3, 0.1, 0.2, 0.3]", 500, 500, null)]
    public void ConvertBox_FollowsTheScriptsArithmetic(string box, int width, int height, string? expected) =>
        Assert.Equal(expected, SquareBoxes.ConvertBox(box, width, height));
}
