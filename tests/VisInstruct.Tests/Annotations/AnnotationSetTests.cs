using VisInstruct.Annotations;
using VisInstruct.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Annotations;

public sealed class AnnotationSetTests
{
    private static AnnotationFiles RealVg(bool attributes = false) => new()
    {
        VgImageData = Paths.Fixture("vg", "image_data.first2.json"),
        VgObjects = Paths.Fixture("vg", "objects.first2.json"),
        VgRegions = Paths.Fixture("vg", "region_descriptions.first2.json"),
        VgAttributes = attributes ? Paths.Fixture("vg", "attributes.first2.json") : null,
    };

    [Fact]
    public void RealVisualGenomeFixtures()
    {
        using var set = AnnotationSet.OpenVisualGenome(RealVg());
        Assert.Equal([1L, 2L], set.ImageIds);

        var one = set.Load(1);
        Assert.Equal(800, one.Width);
        Assert.Equal(600, one.Height);
        Assert.Equal("vg/VG_100K_2/1.jpg", one.ImagePath);
        Assert.Null(one.CocoId);
        Assert.Empty(one.Captions);
        Assert.Equal(40, one.Objects.Count);
        Assert.Equal(new AnnotatedObject(1058498, "clock", new PixelRect(421, 91, 79, 339), []) { Synset = "clock.n.01" },
            one.Objects[0] with { Attributes = [] });
        Assert.Empty(one.Objects[0].Attributes);
        // The first synset of each object ("sneakers" is a gym shoe in WordNet).
        Assert.Equal("gym_shoe.n.01", one.Objects.Single(o => o.Name == "sneakers").Synset);
        Assert.All(one.Objects.Take(10), o => Assert.NotNull(o.Synset));
        // region_descriptions keys the image by "id" after the regions array.
        Assert.Equal(262, one.Regions.Count);
        Assert.Equal(new AnnotatedRegion(1382, "the clock is green in colour", new PixelRect(421, 57, 82, 139)), one.Regions[0]);
        Assert.Equal("shade is along the street ", one.Regions[1].Phrase);

        var two = set.Load(2);
        Assert.Equal("vg/VG_100K/2.jpg", two.ImagePath);
        Assert.Equal(27, two.Objects.Count);
        Assert.Equal("walk sign", two.Objects[0].Name);
        Assert.Equal(new PixelRect(463, 141, 43, 103), two.Objects[0].Box);
        Assert.Equal(256, two.Regions.Count);
        Assert.Equal("walk sign is lit up", two.Regions[0].Phrase);

        var info = set.Info;
        Assert.Equal("visual_genome", info.Source);
        Assert.Equal(2, info.ImageCount);
        Assert.Equal(0, info.ImagesWithoutObjects);
        Assert.Equal(0, info.ImagesWithoutRegions);
        Assert.Equal(3, info.Files.Count);
        Assert.Equal(new FileInfo(Paths.Fixture("vg", "objects.first2.json")).Length,
            info.Files.Single(f => f.Key == "annotations.vg_objects").Bytes);
        Assert.Equal(2, info.Files.Single(f => f.Key == "annotations.vg_regions").Records);
    }

    [Fact]
    public void RealAttributesAreJoinedByObjectId()
    {
        using var set = AnnotationSet.OpenVisualGenome(RealVg(attributes: true));
        var one = set.Load(1);
        Assert.Equal(["green", "tall"], one.Objects[0].Attributes);
        Assert.Equal(["sidewalk"], one.Objects[1].Attributes);
        Assert.Empty(one.Objects[2].Attributes);
    }

    [Fact]
    public void LoadIsThreadSafe()
    {
        using var set = AnnotationSet.OpenVisualGenome(RealVg(attributes: true));
        var counts = new int[64];
        Parallel.For(0, counts.Length, i => counts[i] = set.Load(1 + (i % 2)).Regions.Count);
        Assert.All(counts.Select((c, i) => (c, i)), x => Assert.Equal(x.i % 2 == 0 ? 262 : 256, x.c));
    }

    /// <summary>A small Visual Genome set written by hand: records out of order, older key variants, a COCO link.</summary>
    private static AnnotationFiles HandWritten(TempDir dir, string? objectsJson = null)
    {
        string imageData = dir.Write("image_data.json", """
            [{"width": 100, "url": "https://cs.stanford.edu/people/rak248/VG_100K_2/22.jpg", "height": 50, "image_id": 22, "coco_id": 7,
            """
            + """
             "flickr_id": null},
             {"width": 200, "url": null, "height": 100, "id": 8, "coco_id": null, "flickr_id": null},
             {"width": 10, "url": "https://cs.stanford.edu/people/rak248/VG_100K/9.jpg", "height": 10, "image_id": 9, "coco_id": 5}]
            """);
        string objects = dir.Write("objects.json", objectsJson ?? """
            [
            {"objects": [{"synsets": ["dog.n.01"], "h": 10, "object_id": 91, "merged_object_ids": [], "names": ["dog", "puppy"], "w": 20,
            """
            + """
             "y": 5, "x": 1.5},
                         {"synsets": [], "h": 1, "object_id": 92, "names": [], "w": 1, "y": 0, "x": 0},
                         {"synsets": [], "h": 2, "object_id": 93, "names": ["ball"], "w": 3, "y": 4, "x": 5}],
             "image_url": "https://cs.stanford.edu/people/rak248/VG_100K_2/22.jpg", "image_id": 22},
            {"id": 8, "objects": [{"id": 81, "x": 0, "y": 0, "w": 200, "h": 100, "names": ["sky"]}]}
            ]
            """);
        string regions = dir.Write("region_descriptions.json", """
            [{"regions": [{"id": 800, "image": 8, "phrase": "blue sky ", "x": 0, "y": 0, "width": 200, "height": 40}], "id": 8},
             {"regions": [{"region_id": 220, "width": 30, "height": 20, "image_id": 22, "phrase": "a dog playing", "y": 1, "x": 2},
                          {"region_id": 221, "width": 5, "height": 5, "image_id": 22, "phrase": "red ball", "y": 4, "x": 5}], "id": 22}]
            """);
        string attributes = dir.Write("attributes.json", """
            [{"image_id": 22, "attributes": [{"object_id": 93, "names": ["ball"], "x": 5, "y": 4, "w": 3, "h": 2, "attributes": ["red",
            """
            + """
             "round"]},
                                             {"object_id": 91, "names": ["dog"], "x": 1, "y": 5, "w": 20, "h": 10}]}]
            """);
        string captions = dir.Write("captions_train2017.json", """
            {"info": {"description": "test"}, "licenses": [],
             "images": [{"license": 1, "file_name": "000000000007.jpg", "height": 50, "width": 100, "id": 7}],
             "annotations": [{"image_id": 7, "id": 1, "caption": "A dog with a ball. "},
                             {"image_id": 3, "id": 2, "caption": "Not in Visual Genome."},
                             {"image_id": 7, "id": 3, "caption": "a puppy plays"}]}
            """);
        return new AnnotationFiles
        {
            VgImageData = imageData,
            VgObjects = objects,
            VgRegions = regions,
            VgAttributes = attributes,
            CocoCaptions = [captions],
        };
    }

    [Fact]
    public void HandWrittenSetJoinsEverything()
    {
        using var dir = new TempDir();
        using var set = AnnotationSet.OpenVisualGenome(HandWritten(dir));
        Assert.Equal([8L, 9L, 22L], set.ImageIds);

        var dog = set.Load(22);
        Assert.Equal("vg/VG_100K_2/22.jpg", dog.ImagePath);
        Assert.Equal(7, dog.CocoId);
        Assert.Equal(["A dog with a ball. ", "a puppy plays"], dog.Captions);
        // The object without names is left out (and counted); names[0] is the name; attributes joined by object id.
        Assert.Equal(2, dog.Objects.Count);
        Assert.Equal("dog", dog.Objects[0].Name);
        Assert.Equal(new PixelRect(1.5, 5, 20, 10), dog.Objects[0].Box);
        Assert.Empty(dog.Objects[0].Attributes);
        Assert.Equal(["red", "round"], dog.Objects[1].Attributes);
        // "synsets": ["dog.n.01"] gives the synset; an empty list gives none.
        Assert.Equal("dog.n.01", dog.Objects[0].Synset);
        Assert.Null(dog.Objects[1].Synset);
        Assert.Equal(["a dog playing", "red ball"], dog.Regions.Select(r => r.Phrase));
        Assert.Equal(1, set.Info.ObjectsWithoutName);

        // Older keys: "id" for the image (image_data, objects) and for objects and regions.
        var sky = set.Load(8);
        Assert.Equal("vg/VG_100K/8.jpg", sky.ImagePath);
        Assert.Empty(sky.Captions);
        // No "synsets" field at all: the synset is null.
        Assert.Equal(new AnnotatedObject(81, "sky", new PixelRect(0, 0, 200, 100), []), sky.Objects.Single() with { Attributes = [] });
        Assert.Equal(new AnnotatedRegion(800, "blue sky ", new PixelRect(0, 0, 200, 40)), sky.Regions.Single());

        // Listed in image_data, with no records anywhere, and a coco_id that has no captions.
        var bare = set.Load(9);
        Assert.Equal("vg/VG_100K/9.jpg", bare.ImagePath);
        Assert.Empty(bare.Objects);
        Assert.Empty(bare.Regions);
        Assert.Empty(bare.Captions);

        var info = set.Info;
        Assert.Equal(1, info.ImagesWithoutObjects);
        Assert.Equal(1, info.ImagesWithoutRegions);
        Assert.Equal(1, info.ImagesWithCaptions);
        Assert.Equal(2, info.Captions);
        Assert.Throws<KeyNotFoundException>(() => set.Load(1234));
    }

    [Fact]
    public void FiltersFromFiles()
    {
        using var dir = new TempDir();
        var files = HandWritten(dir);
        string include = dir.Write("include.txt", "  22 \n\n8\r\n9999\n");
        string exclude = dir.Write("exclude.txt", "8\n");

        using (var set = AnnotationSet.OpenVisualGenome(files, ImageFilter.FromFiles(include, null)))
        {
            Assert.Equal([8L, 22L], set.ImageIds);
            Assert.Equal(1, set.Info.ImagesFilteredOut);
        }

        using (var set = AnnotationSet.OpenVisualGenome(files, ImageFilter.FromFiles(include, exclude)))
        {
            Assert.Equal([22L], set.ImageIds);
            Assert.Equal(2, set.Info.RecordsSkipped);
            Assert.Equal(2, set.Load(22).Objects.Count);
        }

        // The real SVIT test split lists 8 and 22 but not 9.
        var svitTest = ImageFilter.FromFiles(Paths.Fixture("svit", "data", "test_image_ids.txt"), null)!;
        Assert.Equal(10808, svitTest.IncludeCount);
        using (var set = AnnotationSet.OpenVisualGenome(files, svitTest))
        {
            Assert.Equal([8L, 22L], set.ImageIds);
        }

        using (var set =
            AnnotationSet.OpenVisualGenome(files, ImageFilter.FromFiles(null, Paths.Fixture("svit", "data", "test_image_ids.txt"))))
        {
            Assert.Equal([9L], set.ImageIds);
        }

        Assert.Null(ImageFilter.FromFiles(null, null));
    }

    [Fact]
    public void BadFilterLineNamesFileAndLine()
    {
        using var dir = new TempDir();
        string include = dir.Write("ids.txt", "1\n2\n\n 3x \n");
        var ex = Assert.Throws<InputFormatException>(() => ImageFilter.FromFiles(include, null));
        Assert.Equal(include, ex.File);
        Assert.Equal(4, ex.Position!.Value.Line);
        Assert.Equal(6, ex.Position!.Value.ByteOffset);
        Assert.Contains($"{include}:4:2:", ex.Describe(), StringComparison.Ordinal);
        Assert.Contains("\"3x\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringWhereNumberExpectedNamesFieldAndLine()
    {
        using var dir = new TempDir();
        var files = HandWritten(dir, """
            [
            {"image_id": 22, "objects": [
              {"object_id": 91, "names": ["dog"], "x": 1, "y": 5, "w": 20, "h": 10},
              {"object_id": 93, "names": ["ball"], "x": 5, "y": 4, "w": "3", "h": 2}]}
            ]
            """);
        using var set = AnnotationSet.OpenVisualGenome(files);
        var ex = Assert.Throws<InputFormatException>(() => set.Load(22));
        Assert.Equal(files.VgObjects, ex.File);
        Assert.Equal("objects[1].w", ex.Field);
        Assert.Equal(4, ex.Position!.Value.Line);
        Assert.Equal(0, ex.RecordIndex);
        Assert.Contains("expected a number, found a string (\"3\")", ex.Message, StringComparison.Ordinal);
        Assert.Contains(":4:", ex.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void IndexErrors()
    {
        using var dir = new TempDir();
        var duplicate = HandWritten(dir, """
            [{"image_id": 22, "objects": []},
             {"image_id": 8, "objects": []},
             {"objects": [], "image_id": 22}]
            """);
        var ex = Assert.Throws<InputFormatException>(() => AnnotationSet.OpenVisualGenome(duplicate));
        Assert.Equal(duplicate.VgObjects, ex.File);
        Assert.Equal(3, ex.Position!.Value.Line);
        Assert.Contains("duplicate image id 22", ex.Message, StringComparison.Ordinal);

        var badId = HandWritten(dir, """[{"objects": [], "image_id": "22"}]""");
        ex = Assert.Throws<InputFormatException>(() => AnnotationSet.OpenVisualGenome(badId));
        Assert.Equal("image_id", ex.Field);
        Assert.Equal(29, ex.Position!.Value.ByteOffset);

        var missing = HandWritten(dir) with { VgRegions = dir.File("nope.json") };
        ex = Assert.Throws<InputFormatException>(() => AnnotationSet.OpenVisualGenome(missing));
        Assert.StartsWith("annotations.vg_regions: file not found: ", ex.Message, StringComparison.Ordinal);

        var noImages = HandWritten(dir) with { VgImageData = null };
        ex = Assert.Throws<InputFormatException>(() => AnnotationSet.OpenVisualGenome(noImages));
        Assert.Contains("annotations.vg_image_data", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageIdShortcutsDoNotMisreadKeys()
    {
        using var dir = new TempDir();
        // The record ends like region_descriptions ("id": N}) but the key is x"id: the full scan finds image_id 22.
        // The second record has its id first under another name and "image_id" nowhere but inside the objects.
        var files = HandWritten(dir, """
            [{"objects": [{"object_id": 1, "names": ["a"], "x": 0, "y": 0, "w": 1, "h": 1}], "image_id": 22, "x\"id": 5},
             {"idx": 3, "objects": [{"image_id": 9, "object_id": 2, "names": ["b"], "x": 0, "y": 0, "w": 1, "h": 1}], "id": 8}]
            """);
        using var set = AnnotationSet.OpenVisualGenome(files);
        Assert.Equal("a", set.Load(22).Objects.Single().Name);
        Assert.Equal("b", set.Load(8).Objects.Single().Name);
        Assert.Empty(set.Load(9).Objects);
    }

    [Fact]
    public void CocoCaptionErrorsNameFieldAndOffset()
    {
        using var dir = new TempDir();
        var files = HandWritten(dir);
        string text =
            """{"images": [], "annotations": [{"image_id": 7, "id": 1, "caption": "ok"}, {"image_id": 7, "id": 2, "caption": 5}]}""";
        files = files with { CocoCaptions = [dir.Write("captions_val2014.json", text)] };
        var ex = Assert.Throws<InputFormatException>(() => AnnotationSet.OpenVisualGenome(files));
        Assert.Equal("annotations[1].caption", ex.Field);
        Assert.Equal(text.IndexOf("5}]", StringComparison.Ordinal), ex.Position!.Value.ByteOffset);
        Assert.Equal(1, ex.RecordIndex);

        files = files with { CocoCaptions = [dir.Write("truncated.json", text[..60])] };
        ex = Assert.Throws<InputFormatException>(() => AnnotationSet.OpenVisualGenome(files));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    private static AnnotationFiles RealCoco() => new()
    {
        CocoCaptions = [Paths.Fixture("coco", "captions_train2017.first5.json")],
        CocoInstances = [Paths.Fixture("coco", "instances_train2017.first5.json")],
    };

    [Fact]
    public void RealCocoFixtures()
    {
        using var set = AnnotationSet.OpenCoco(RealCoco());
        Assert.Equal([78499L, 159269L, 466137L, 493652L, 535506L], set.ImageIds);

        var kitchen = set.Load(535506);
        Assert.Equal(480, kitchen.Width);
        Assert.Equal(640, kitchen.Height);
        Assert.Equal("coco/train2017/000000535506.jpg", kitchen.ImagePath);
        Assert.Equal(5, kitchen.Captions.Count);
        Assert.Equal("She just finished chopping vegetables with the knife.", kitchen.Captions[0]);
        Assert.Equal("A woman in a kitchen at the sink holding a knife. ", kitchen.Captions[1]);
        // 28 instances at the start of the file and one at the very end: annotation file order.
        Assert.Equal(29, kitchen.Objects.Count);
        Assert.Equal(new AnnotatedObject(908400535506, "book", new PixelRect(1, 88, 83, 71), []),
            kitchen.Objects[^1] with { Attributes = [] });
        // That last one is a crowd box (iscrowd: 1, one box over many books); the others are single objects.
        Assert.True(kitchen.Objects[^1].IsCrowd);
        Assert.Equal(28, kitchen.Objects.Count(o => !o.IsCrowd));
        Assert.Empty(kitchen.Regions);

        var room = set.Load(493652);
        Assert.Equal(13, room.Objects.Count);
        Assert.Equal("potted plant", room.Objects[0].Name);
        Assert.Equal(new PixelRect(491.37, 231.11, 66.43, 82.65), room.Objects[0].Box);
        Assert.Equal("[0.768, 0.579, 0.872, 0.786]", room.Objects[0].Box.Normalize(room.Width, room.Height).ToString());
        Assert.Empty(room.Objects[0].Attributes);

        var info = set.Info;
        Assert.Equal("coco", info.Source);
        Assert.Equal(25, info.Captions);
        Assert.Equal(94, info.Files.Single(f => f.Key == "annotations.coco_instances").Records);
    }

    [Fact]
    public void CocoFilterAndFolder()
    {
        using var dir = new TempDir();
        string captions = dir.Write("captions_val2014.json", File.ReadAllText(Paths.Fixture("coco", "captions_train2017.first5.json")));
        var files = new AnnotationFiles { CocoCaptions = [captions] };
        using var set = AnnotationSet.OpenCoco(files, new ImageFilter([78499, 466137, 1], [466137]));
        Assert.Equal([78499L], set.ImageIds);
        var image = set.Load(78499);
        Assert.Equal("coco/val2014/000000078499.jpg", image.ImagePath);
        Assert.Equal(5, image.Captions.Count);
        Assert.Empty(image.Objects);
        Assert.Equal(4, set.Info.ImagesFilteredOut);
    }
}
