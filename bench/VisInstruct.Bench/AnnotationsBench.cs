using System.Diagnostics;
using System.Globalization;
using System.Text;
using VisInstruct.Annotations;

namespace VisInstruct.Bench;

/// <summary>
/// The SVIT annotation inputs at Visual Genome scale: a generator for image_data, objects, region_descriptions and
/// a COCO captions file in the released schemas, and a measurement that opens them as an <see cref="AnnotationSet"/>
/// and builds every image's SVIT context text.
/// </summary>
internal static class AnnotationsBench
{
    private static readonly string[] Names =
    [
        "man", "window", "person", "tree", "building", "shirt", "wall", "woman", "sign", "sky", "ground", "light", "grass",
        "cloud", "pole", "car", "table", "leaf", "hand", "head", "plate", "water", "leg", "trees", "ear", "pants", "fence",
        "people", "door", "chair", "hair", "street", "hat", "floor", "tail", "jacket", "sidewalk", "line", "snow", "road",
        "tile", "wheel", "clock", "traffic light", "tree trunk", "café table", "walk sign",
    ];

    private static readonly string[] Colours =
        ["white", "black", "blue", "green", "red", "brown", "yellow", "small", "large", "wooden", "tall"];

    private static readonly string[] Verbs = ["on", "in front of", "next to", "behind", "near", "above", "under", "holding", "wearing"];

    public static int Make(BenchOptions options)
    {
        string dir = options.Get("out");
        int images = (int)options.GetLong("images", 108_077);
        double objectsPerImage = options.GetLong("objects", 3_802_374) / (double)images;
        double regionsPerImage = options.GetLong("regions", 5_406_592) / (double)images;
        Directory.CreateDirectory(dir);
        var rng = new Random(20230707);
        var watch = Stopwatch.StartNew();

        // Ids ascending with gaps, as in the release (1..~150K, then 2.3M+); about half linked to COCO.
        var ids = new long[images];
        var sizes = new (int W, int H)[images];
        var coco = new long?[images];
        long next = 1;
        for (int i = 0; i < images; i++)
        {
            if (i == images / 2)
            {
                next = 2_315_000;
            }

            ids[i] = next;
            next += rng.Next(1, 3);
            sizes[i] = rng.Next(4) == 0 ? (rng.Next(300, 800), 800) : (800, rng.Next(300, 800));
            coco[i] = rng.Next(2) == 0 ? 100_000 + (i * 7L) : null;
        }

        using (var w = Writer(Path.Combine(dir, "image_data.json")))
        {
            w.Write('[');
            for (int i = 0; i < images; i++)
            {
                string folder = i < images / 2 ? "VG_100K_2" : "VG_100K";
                w.Write(Inv($"{(i > 0 ? ", " : "")}{{\"width\": {sizes[i].W}, \"url\": ")
                    + Inv($"\"https://cs.stanford.edu/people/rak248/{folder}/{ids[i]}.jpg\", \"height\": {sizes[i].H}, \"image_id\": ")
                    + Inv($"{ids[i]}, \"coco_id\": {(coco[i] is { } c ? c.ToString(CultureInfo.InvariantCulture) : "null")}, ")
                    + Inv($"\"flickr_id\": ")
                    + Inv($"{(coco[i] is null ? "null" : (rng.Next(1_000_000, 99_999_999)).ToString(CultureInfo.InvariantCulture))}}}"));
            }

            w.Write(']');
        }

        long objectCount = 0, regionCount = 0, objectId = 1_000_000, regionId = 1;
        using (var w = Writer(Path.Combine(dir, "objects.json")))
        {
            w.Write('[');
            for (int i = 0; i < images; i++)
            {
                w.Write(Inv($"{(i > 0 ? ", " : "")}{{\"image_id\": {ids[i]}, \"objects\": ["));
                int n = Count(rng, objectsPerImage);
                for (int k = 0; k < n; k++)
                {
                    var (x, y, bw, bh) = Box(rng, sizes[i]);
                    string name = Name(rng);
                    string merged = rng.Next(10) == 0 ? Inv($", \"merged_object_ids\": [{objectId + 5_000_000}]") : "";
                    w.Write(Inv($"{(k > 0 ? ", " : "")}{{\"synsets\": [\"{Synset(name)}\"], \"h\": {bh}, \"object_id\": ")
                        + Inv($"{objectId++}{merged}, \"names\": [\"{name}\"], \"w\": {bw}, \"y\": {y}, \"x\": {x}}}"));
                }

                objectCount += n;
                w.Write(Inv($"], \"image_url\": \"https://cs.stanford.edu/people/rak248/VG_100K/{ids[i]}.jpg\"}}"));
            }

            w.Write(']');
        }

        using (var w = Writer(Path.Combine(dir, "region_descriptions.json")))
        {
            w.Write('[');
            for (int i = 0; i < images; i++)
            {
                w.Write(i > 0 ? ", {\"regions\": [" : "{\"regions\": [");
                int n = Count(rng, regionsPerImage);
                for (int k = 0; k < n; k++)
                {
                    var (x, y, bw, bh) = Box(rng, sizes[i]);
                    w.Write(Inv($"{(k > 0 ? ", " : "")}{{\"region_id\": {regionId++}, \"width\": {bw}, \"height\": {bh}, \"image_id\": ")
                        + Inv($"{ids[i]}, \"phrase\": \"{Phrase(rng)}\", \"y\": {y}, \"x\": {x}}}"));
                }

                regionCount += n;
                w.Write(Inv($"], \"id\": {ids[i]}}}"));
            }

            w.Write(']');
        }

        long captions = 0;
        using (var w = Writer(Path.Combine(dir, "captions_train2017.json")))
        {
            w.Write("{\"info\": {\"description\": \"COCO 2017 Dataset\", \"url\": \"http://cocodataset.org\", \"version\": \"1.0\", "
                + "\"year\": 2017, \"contributor\": \"COCO Consortium\", \"date_created\": \"2017/09/01\"}, ");
            w.Write("\"licenses\": [{\"url\": \"http://creativecommons.org/licenses/by-nc-sa/2.0/\", \"id\": 1, \"name\": "
                + "\"Attribution-NonCommercial-ShareAlike License\"}], \"images\": [");
            bool first = true;
            for (int i = 0; i < images; i++)
            {
                if (coco[i] is { } c)
                {
                    w.Write(Inv($"{(first ? "" : ", ")}{{\"license\": 3, \"file_name\": \"{c:D12}.jpg\", \"coco_url\": ")
                        + Inv($"\"http://images.cocodataset.org/train2017/{c:D12}.jpg\", \"height\": {sizes[i].H}, ")
                        + Inv($"\"width\": {sizes[i].W}, \"date_captured\": \"2013-11-21 01:37:46\", \"flickr_url\": ")
                        + Inv($"\"http://farm4.staticflickr.com/3448/3176652494_ba19663418_z.jpg\", \"id\": {c}}}"));
                    first = false;
                }
            }

            w.Write("], \"annotations\": [");
            first = true;
            long captionId = 1;
            // Grouped loosely, as in the release: captions of an image are spread over the file.
            for (int round = 0; round < 5; round++)
            {
                for (int i = 0; i < images; i++)
                {
                    if (coco[i] is { } c)
                    {
                        w.Write(Inv($"{(first ? "" : ", ")}{{\"image_id\": {c}, \"id\": {captionId++}, \"caption\": \"{Caption(rng)}\"}}"));
                        first = false;
                        captions++;
                    }
                }
            }

            w.Write("]}");
        }

        long bytes = Directory.EnumerateFiles(dir, "*.json").Sum(f => new FileInfo(f).Length);
        Console.WriteLine(Inv($"wrote {images} images, {objectCount} objects, {regionCount} regions, {captions} captions ")
            + Inv($"({bytes / 1e6:F0} MB) to {dir} in {watch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    public static int Measure(BenchOptions options)
    {
        string dir = options.Get("dir");
        int threads = (int)options.GetLong("threads", Environment.ProcessorCount);
        bool context = options.GetLong("context", 1) != 0;
        var files = new AnnotationFiles
        {
            VgImageData = Path.Combine(dir, "image_data.json"),
            VgObjects = Path.Combine(dir, "objects.json"),
            VgRegions = Path.Combine(dir, "region_descriptions.json"),
            CocoCaptions = [Path.Combine(dir, "captions_train2017.json")],
        };
        var watch = Stopwatch.StartNew();
        using var set = AnnotationSet.OpenVisualGenome(files);
        var opened = watch.Elapsed;
        long chars = 0, objects = 0, regions = 0, captions = 0;
        var ids = set.ImageIds;
        Parallel.For(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, () =>
            (Chars: 0L, Objects: 0L, Regions: 0L, Captions: 0L),
            (i, _, local) =>
            {
                var image = set.Load(ids[i]);
                int length = context ? Context(image).Length : 0;
                return (local.Chars + length, local.Objects + image.Objects.Count, local.Regions + image.Regions.Count,
                    local.Captions + image.Captions.Count);
            },
            local =>
            {
                Interlocked.Add(ref chars, local.Chars);
                Interlocked.Add(ref objects, local.Objects);
                Interlocked.Add(ref regions, local.Regions);
                Interlocked.Add(ref captions, local.Captions);
            });
        var total = watch.Elapsed;
        var info = set.Info;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(Inv($"annotations ({threads} thread(s) loading): {info.ImageCount} images, {objects} objects, {regions} ")
            + Inv($"regions, {captions} captions, {chars / 1e6:F0} M context chars; {info.TotalBytes / 1e6:F0} MB of annotations"));
        Console.WriteLine(Inv($"  open (index pass + COCO captions) {opened.TotalSeconds:F2} s, load + context ")
            + Inv($"{(total - opened).TotalSeconds:F2} s, total {total.TotalSeconds:F2} s = ")
            + Inv($"{info.TotalBytes / 1e6 / total.TotalSeconds:F0} MB/s, peak RSS {self.PeakWorkingSet64 / 1e6:F0} MB"));
        return 0;
    }

    /// <summary>The SVIT context layout (FORMATS.md section 7), inline for the measurement.</summary>
    private static string Context(ImageAnnotations image)
    {
        var sb = new StringBuilder(4096);
        sb.Append("(1) captions:");
        foreach (string caption in image.Captions)
        {
            sb.Append('\n').Append(caption);
        }

        sb.Append("\n(2) objects:");
        foreach (var o in image.Objects)
        {
            sb.Append('\n').Append(o.Name).Append(": ").Append(o.Box.Normalize(image.Width, image.Height).ToString());
        }

        sb.Append("\n(3) regions:");
        foreach (var r in image.Regions)
        {
            sb.Append('\n').Append(r.Phrase).Append(": ").Append(r.Box.Normalize(image.Width, image.Height).ToString());
        }

        return sb.ToString();
    }

    private static StreamWriter Writer(string path) => new(path, false, new UTF8Encoding(false), 1 << 20);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static int Count(Random rng, double mean) => Math.Max(0, (int)Math.Round(mean * (0.25 + (1.5 * rng.NextDouble()))));

    private static (int X, int Y, int W, int H) Box(Random rng, (int W, int H) size)
    {
        int x = rng.Next(0, size.W - 2);
        int y = rng.Next(0, size.H - 2);
        return (x, y, rng.Next(1, size.W - x + 1), rng.Next(1, size.H - y + 1));
    }

    private static string Name(Random rng) => Json(Names[rng.Next(Names.Length)]);

    private static string Synset(string name) => name.Replace(' ', '_').Replace("\\u00e9", "e", StringComparison.Ordinal) + ".n.01";

    private static string Phrase(Random rng)
    {
        string phrase = $"{Colours[rng.Next(Colours.Length)]} {Name(rng)} {Verbs[rng.Next(Verbs.Length)]} the {Name(rng)}";
        return rng.Next(8) == 0 ? phrase + " " : rng.Next(20) == 0 ? "A " + phrase + "." : phrase;
    }

    private static string Caption(Random rng)
    {
        string caption = $"A {Colours[rng.Next(Colours.Length)]} {Name(rng)} {Verbs[rng.Next(Verbs.Length)]} a {Name(rng)} "
            + $"{Verbs[rng.Next(Verbs.Length)]} the {Name(rng)}";
        return rng.Next(6) == 0 ? caption + " " : rng.Next(3) == 0 ? caption.ToLowerInvariant() : caption + ".";
    }

    /// <summary>As Python's json.dump writes strings (ensure_ascii): non-ASCII as \u escapes.</summary>
    private static string Json(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c > 0x7E)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
