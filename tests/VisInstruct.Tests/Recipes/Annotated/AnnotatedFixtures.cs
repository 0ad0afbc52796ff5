using System.Text.Json;
using VisInstruct.Annotations;
using VisInstruct.Recipes.Annotated;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes.Annotated;

/// <summary>
/// A small test-local reader of the Visual Genome and COCO fixture files into <see cref="ImageAnnotations"/> (the
/// real reader lives elsewhere): objects joined with their attributes by object id, with their first synset; regions,
/// sizes, COCO categories.
/// </summary>
internal static class AnnotatedFixtures
{
    public static ImageAnnotations Vg(long imageId)
    {
        using var images = Load("vg", "image_data.first2.json");
        using var objects = Load("vg", "objects.first2.json");
        using var attributes = Load("vg", "attributes.first2.json");
        using var regions = Load("vg", "region_descriptions.first2.json");
        var info = images.RootElement.EnumerateArray().Single(e => e.GetProperty("image_id").GetInt64() == imageId);
        var attributesById = new Dictionary<long, List<string>>();
        foreach (var a in attributes.RootElement.EnumerateArray().Single(e => e.GetProperty("image_id").GetInt64() == imageId)
            .GetProperty("attributes").EnumerateArray())
        {
            if (a.TryGetProperty("attributes", out var list))
            {
                attributesById[a.GetProperty("object_id").GetInt64()] = list.EnumerateArray().Select(x => x.GetString()!).ToList();
            }
        }

        var objs = objects.RootElement.EnumerateArray().Single(e => e.GetProperty("image_id").GetInt64() == imageId).GetProperty("objects")
            .EnumerateArray()
            .Select(o =>
            {
                long id = o.GetProperty("object_id").GetInt64();
                return new AnnotatedObject(id, o.GetProperty("names")[0].GetString()!,
                    new PixelRect(o.GetProperty("x").GetDouble(), o.GetProperty("y").GetDouble(), o.GetProperty("w").GetDouble(),
                        o.GetProperty("h").GetDouble()),
                    attributesById.GetValueOrDefault(id) ?? [])
                {
                    Synset = o.TryGetProperty("synsets", out var synsets) && synsets.GetArrayLength() > 0 ? synsets[0].GetString() : null,
                };
            })
            .ToList();
        var regs = regions.RootElement.EnumerateArray().Single(e => e.GetProperty("id").GetInt64() == imageId).GetProperty("regions")
            .EnumerateArray()
            .Select(r => new AnnotatedRegion(r.GetProperty("region_id").GetInt64(), r.GetProperty("phrase").GetString()!,
                new PixelRect(r.GetProperty("x").GetDouble(), r.GetProperty("y").GetDouble(), r.GetProperty("width").GetDouble(),
                    r.GetProperty("height").GetDouble())))
            .ToList();
        return new ImageAnnotations
        {
            ImageId = imageId,
            Width = info.GetProperty("width").GetInt32(),
            Height = info.GetProperty("height").GetInt32(),
            ImagePath = $"vg/VG_100K/{imageId}.jpg",
            Objects = objs,
            Regions = regs,
        };
    }

    /// <summary>The COCO fixture's images in file order, each with its captions and category boxes (crowd boxes left out).</summary>
    public static IReadOnlyList<ImageAnnotations> Coco()
    {
        using var instances = Load("coco", "instances_train2017.first5.json");
        using var captions = Load("coco", "captions_train2017.first5.json");
        var categories = instances.RootElement.GetProperty("categories").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetInt32(), c => c.GetProperty("name").GetString()!);
        var result = new List<ImageAnnotations>();
        foreach (var image in instances.RootElement.GetProperty("images").EnumerateArray())
        {
            long id = image.GetProperty("id").GetInt64();
            var objs = instances.RootElement.GetProperty("annotations").EnumerateArray()
                .Where(a => a.GetProperty("image_id").GetInt64() == id && a.GetProperty("iscrowd").GetInt32() == 0)
                .Select(a =>
                {
                    var b = a.GetProperty("bbox");
                    return new AnnotatedObject(a.GetProperty("id").GetInt64(), categories[a.GetProperty("category_id").GetInt32()],
                        new PixelRect(b[0].GetDouble(), b[1].GetDouble(), b[2].GetDouble(), b[3].GetDouble()), []);
                })
                .ToList();
            var caps = captions.RootElement.GetProperty("annotations").EnumerateArray()
                .Where(a => a.GetProperty("image_id").GetInt64() == id)
                .Select(a => a.GetProperty("caption").GetString()!)
                .ToList();
            result.Add(new ImageAnnotations
            {
                ImageId = id,
                CocoId = id,
                Width = image.GetProperty("width").GetInt32(),
                Height = image.GetProperty("height").GetInt32(),
                ImagePath = "coco/train2017/" + image.GetProperty("file_name").GetString(),
                Objects = objs,
                Captions = caps,
            });
        }

        return result;
    }

    /// <summary>Detail-description instructions for tests that need some: VisInstruct's own built-in list (SVIT's questions.txt is prose
    /// kept outside the repository).</summary>
    public static IReadOnlyList<string> DetailInstructions() => DetailQuestions.Default;

    private static JsonDocument Load(string folder, string file) => JsonDocument.Parse(File.ReadAllBytes(Paths.Fixture(folder, file)));
}
