using VisInstruct.Formats;
using VisInstruct.Imaging;
using VisInstruct.Json;
using VisInstruct.Recipes.StableLlava;
using VisInstruct.Rendering;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

public class CompositeMultiImageTests
{
    [Fact]
    public void Composite_PutsEveryMultiImageSampleInLlavaJson_AsOneImageWithItsPlacesNamed()
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("generate", "--out", temp.Path, "--count", "6", "--seed", "11", "--quiet",
            "--abilities", "color,difference,similarity,reasoning,multi_turn", "--multi-image", "composite");
        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(temp.File("llava_multi.json")));
        List<LlavaSample> samples;
        using (var reader = JsonRecordReader.Open(temp.File("llava.json")))
        {
            samples = [.. JsonRecords.Read(reader, FormatsJsonContext.Default.LlavaSample)];
        }

        Assert.Equal(30, samples.Count);
        Assert.Contains(samples, s => s.Conversations.Any(t => t.Value.Contains("the right image", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(samples, s => s.Conversations.Any(t => t.Value.Contains(" one one", StringComparison.Ordinal)));
        Assert.All(samples, s => Assert.False(s.Image!.IsList));
        Assert.All(samples, s => Assert.Equal(1, s.Conversations.Sum(t => t.Value.Split("<image>").Length - 1)));
        foreach (var sample in samples.Where(s => !s.Id.StartsWith("color_", StringComparison.Ordinal)))
        {
            string text = string.Join("\n", sample.Conversations.Select(t => t.Value));
            Assert.DoesNotContain("first image", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("second image", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("this image", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("two images", text, StringComparison.OrdinalIgnoreCase);
            var size = ImageHeader.TryRead(temp.File(sample.Image!.Paths[0]))!.Value;
            if (sample.Id.StartsWith("multi_turn_", StringComparison.Ordinal))
            {
                // Three images in a 2 x 2 grid; each turn names the one it is about.
                Assert.Equal((2 * 512 + ImageComposite.Gap, 2 * 512 + ImageComposite.Gap), (size.Width, size.Height));
                Assert.Contains("the top-left image", sample.Conversations[0].Value, StringComparison.Ordinal);
                Assert.Contains("the top-right image", sample.Conversations[2].Value, StringComparison.Ordinal);
                Assert.Contains("the bottom-left image", sample.Conversations[4].Value, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal((2 * 512 + ImageComposite.Gap, 512), (size.Width, size.Height));
                // "both images" says nothing about order; every "first" and "second" became "left" and "right".
                Assert.DoesNotContain("the first", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("the second", text, StringComparison.OrdinalIgnoreCase);
            }
        }

        // Every image a sample names has a provenance line; a composite's names its parts, which have lines of their own.
        var provenance = File.ReadLines(temp.File("images/provenance.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l))
            .ToDictionary(d => d.RootElement.GetProperty("image").GetProperty("file").GetString()!, d => d.RootElement);
        foreach (var sample in samples)
        {
            var line = provenance[sample.Image!.Paths[0]];
            byte[] bytes = File.ReadAllBytes(temp.File(sample.Image.Paths[0]));
            string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            Assert.Equal(sha, line.GetProperty("image").GetProperty("sha256").GetString());
            if (line.TryGetProperty("parts", out var parts))
            {
                Assert.Equal("composite", line.GetProperty("image").GetProperty("backend").GetString());
                Assert.Equal(sample.Id.StartsWith("multi_turn_", StringComparison.Ordinal) ? 3 : 2, parts.GetArrayLength());
                Assert.Equal(sample.Id.StartsWith("multi_turn_", StringComparison.Ordinal) ? "top-left" : "left",
                    parts[0].GetProperty("place").GetString());
                Assert.All(parts.EnumerateArray(), p => Assert.True(provenance.ContainsKey(p.GetProperty("file").GetString()!)));
            }
            else
            {
                Assert.StartsWith("color_", sample.Id, StringComparison.Ordinal);
            }
        }

        var lint = CliRunner.Run("lint", temp.File("llava.json"), "--image-folder", temp.Path);
        Assert.Equal(0, lint.ExitCode);
        Assert.EndsWith("30 samples, 0 errors, 0 warnings", lint.Out.Trim(), StringComparison.Ordinal);
        Assert.Contains("--multi-image composite", File.ReadAllText(temp.File("README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void MultiImage_RefusesAnUnknownMode()
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("generate", "--out", temp.Path, "--count", "1", "--quiet", "--multi-image", "grid");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--multi-image grid: expected separate or composite", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("How does the second image differ from the first?", 2, null, "How does the right image differ from the left one?")]
    [InlineData("The second image has no green square; the first has one.", 2, null,
        "The right image has no green square; the left one has one.")]
    [InlineData("What is different between these two images?", 2, null, "What is different between the left and right images?")]
    [InlineData("The second one, with five stars.", 2, null, "The right one, with five stars.")]
    [InlineData("And in this one, what colour is it?", 3, 1, "And in the top-right image, what colour is it?")]
    [InlineData("Here the rectangle is brown.", 3, 1, "In the top-right image, the rectangle is brown.")]
    [InlineData("This image has one shape, fewer than the first two together.", 3, 2,
        "The bottom-left image has one shape, fewer than the top-left and top-right images together.")]
    public void Wording_NamesThePlaceOfEachImage(string text, int images, int? image, string expected) =>
        Assert.Equal(expected, CompositeWording.Rewrite(text, images, image));

    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(3, 2, 2)]
    [InlineData(4, 2, 2)]
    [InlineData(5, 3, 2)]
    public void Layout_IsSideBySideForTwo_AndANearSquareGridForMore(int count, int columns, int rows) =>
        Assert.Equal((columns, rows), ImageComposite.Layout(count));
}
