using System.Text.Json;
using VisInstruct.Imaging;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

public class ImageHeaderTests
{
    [Fact]
    public void EveryFormat_GivesTheSizePilReports()
    {
        // sizes.json holds what PIL's Image.open(...).size said for each file (Data/tools/make_image_headers.py).
        var expected = JsonSerializer.Deserialize<Dictionary<string, int[]>>(File.ReadAllText(Paths.Data("image_headers", "sizes.json")))!;
        Assert.Equal(9, expected.Count);
        foreach (var (name, size) in expected)
        {
            var read = ImageHeader.TryRead(Paths.Data("image_headers", name));
            Assert.NotNull(read);
            Assert.Equal((size[0], size[1]), (read.Value.Width, read.Value.Height));
        }
    }

    [Fact]
    public void PngNamedJpg_IsReadByItsBytes() =>
        Assert.Equal(ImageFormat.Png, ImageHeader.TryRead(Paths.Data("image_headers", "png-named.jpg"))!.Value.Format);

    [Fact]
    public void NotAnImage_OrMissing_GivesNull()
    {
        using var temp = new TempDir();
        Assert.Null(ImageHeader.TryRead(temp.Write("x.jpg", "not an image")));
        Assert.Null(ImageHeader.TryRead(temp.Write("empty.jpg", "")));
        Assert.Null(ImageHeader.TryRead(temp.Write("cut.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00])));
        Assert.Null(ImageHeader.TryRead(temp.File("missing.jpg")));
    }
}
