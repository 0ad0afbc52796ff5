using System.Globalization;
using System.Text.RegularExpressions;
using VisInstruct.Annotations;
using VisInstruct.Randomness;
using VisInstruct.Recipes.Annotated;

namespace VisInstruct.Tests.Recipes.Annotated;

/// <summary>
/// Every count phrase of a detail description ("a clock", "nine people") agrees with the number of annotated objects of
/// that kind, counted here from the raw annotations (crowd boxes left out, boxes of one kind with an IoU of 0.7 or more
/// counted once); and one object's attributes are the same in every task.
/// </summary>
public partial class CountPhraseTests
{
    private static readonly string[] Leads =
    [
        "The image shows ", "In the image one can see ", "This picture shows ", "The scene includes ",
        "Visible in the image are ", "Among the things in view are ",
    ];

    private static readonly string[] NumberWords = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    public static TheoryData<string> Images() => ["vg1", "vg2", "coco0", "coco1", "coco2", "coco3", "coco4", "people9", "dupes"];

    internal static ImageAnnotations Image(string name) => name switch
    {
        "vg1" => AnnotatedFixtures.Vg(1),
        "vg2" => AnnotatedFixtures.Vg(2),
        "people9" => NinePeople(),
        "dupes" => DuplicateShoes(),
        _ => AnnotatedFixtures.Coco()[int.Parse(name[4..], CultureInfo.InvariantCulture)],
    };

    /// <summary>Nine people side by side and a car: no fixture has a group of more than six singular boxes of people.</summary>
    internal static ImageAnnotations NinePeople() => new()
    {
        ImageId = 9,
        Width = 200,
        Height = 100,
        ImagePath = "vg/VG_100K/9.jpg",
        Captions = ["Four people wait at a bus stop."],
        Objects = Enumerable.Range(0, 9)
            .Select(i => new AnnotatedObject(i + 1, "person", new PixelRect(5 + (i * 21), 20, 15, 60), []))
            .Append(new AnnotatedObject(10, "car", new PixelRect(10, 85, 30, 10), ["red"]))
            .ToList(),
        Regions = [],
    };

    /// <summary>One shoe boxed twice (IoU 0.81) with different colours, and a second shoe apart: two shoes.</summary>
    internal static ImageAnnotations DuplicateShoes() => new()
    {
        ImageId = 11,
        Width = 100,
        Height = 100,
        ImagePath = "vg/VG_100K/11.jpg",
        Captions = ["A pair of shoes on a floor."],
        Objects =
        [
            new AnnotatedObject(1, "shoe", new PixelRect(10, 10, 20, 20), ["grey"]),
            new AnnotatedObject(2, "shoe", new PixelRect(11, 11, 20, 20), ["brown"]),
            new AnnotatedObject(3, "shoe", new PixelRect(60, 60, 20, 20), ["black"]),
            new AnnotatedObject(4, "dog", new PixelRect(40, 5, 30, 30), ["brown", "sleeping"]),
            new AnnotatedObject(5, "dog", new PixelRect(41, 6, 29, 29), ["small"]),
        ],
        Regions = [],
    };

    /// <summary>The number of objects of a kind, from the raw annotations with duplicate boxes counted once.</summary>
    internal static int AnnotatedCount(ImageAnnotations image, string key)
    {
        var boxes = new List<PixelRect>();
        foreach (var o in image.Objects)
        {
            if (o.IsCrowd || !(o.Box.W > 0) || !(o.Box.H > 0) || Words.Key(Words.Normalize(o.Name ?? "")) != key)
            {
                continue;
            }

            if (!boxes.Any(b => IoU(b, o.Box) >= 0.7))
            {
                boxes.Add(o.Box);
            }
        }

        return boxes.Count;
    }

    private static double IoU(PixelRect a, PixelRect b)
    {
        double w = Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X);
        double h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
        return w <= 0 || h <= 0 ? 0 : w * h / ((a.W * a.H) + (b.W * b.H) - (w * h));
    }

    /// <summary>The phrases of the object-list sentence of a detail paragraph ("a red car", "nine people").</summary>
    internal static List<string> ListedPhrases(string paragraph)
    {
        foreach (string lead in Leads)
        {
            int at = paragraph.IndexOf(lead, StringComparison.Ordinal);
            if (at >= 0)
            {
                int end = paragraph.IndexOf('.', at);
                string list = paragraph[(at + lead.Length)..end];
                return list.Split(", ").SelectMany(p => p.Split(" and ")).ToList();
            }
        }

        return [];
    }

    /// <summary>
    /// Checks the count phrases of one paragraph; returns how many it checked and how many were wrong. A phrase is
    /// "a/an [attributes] NAME" (one object) or "NUMBER NAMES"; a bare plural states no number and is not checked.
    /// </summary>
    internal static (int Checked, int Wrong, List<string> Errors) CheckParagraph(ImageAnnotations image, string paragraph)
    {
        var keys = image.Objects.Select(o => Words.Key(Words.Normalize(o.Name ?? ""))).Distinct(StringComparer.Ordinal)
            .OrderByDescending(k => k.Length).ToList();
        int checkedCount = 0, wrong = 0;
        var errors = new List<string>();
        foreach (string phrase in ListedPhrases(paragraph))
        {
            string[] words = phrase.Split(' ');
            int stated = words[0] is "a" or "an" ? 1 : Array.IndexOf(NumberWords, words[0]) + 1;
            if (stated == 0 && !int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out stated))
            {
                continue;
            }

            string rest = string.Join(" ", words.Skip(1));
            string? key = keys.FirstOrDefault(k => rest == k || rest.EndsWith(" " + k, StringComparison.Ordinal)
                || Words.Key(rest) == k || Words.Key(rest).EndsWith(" " + k, StringComparison.Ordinal));
            if (key is null)
            {
                continue;
            }

            checkedCount++;
            int annotated = AnnotatedCount(image, key);
            if (annotated != stated)
            {
                wrong++;
                errors.Add($"image {image.ImageId}: \"{phrase}\" but {annotated} annotated");
            }
        }

        return (checkedCount, wrong, errors);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void DetailCountPhrases_AgreeWithTheAnnotatedCounts(string name)
    {
        var image = Image(name);
        int total = 0;
        var errors = new List<string>();
        for (ulong seed = 0; seed < 20; seed++)
        {
            var conversation = ProceduralQuestions.DetailDescription(image, new DeterministicRandom(seed),
                AnnotatedFixtures.DetailInstructions());
            Assert.NotNull(conversation);
            var (checkedCount, _, wrong) = CheckParagraph(image, conversation.Content[1].Value);
            total += checkedCount;
            errors.AddRange(wrong);
        }

        Assert.True(total > 0, "no count phrase checked");
        Assert.Empty(errors);
    }

    [Fact]
    public void NinePeople_AreNinePeople()
    {
        var paragraph = ProceduralQuestions.DetailDescription(NinePeople(), new DeterministicRandom(3),
            AnnotatedFixtures.DetailInstructions())!.Content[1].Value;
        Assert.Contains("nine people", paragraph, StringComparison.Ordinal);
        Assert.DoesNotContain("a person", paragraph, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateBoxes_AreOneObject()
    {
        var scene = new Scene(DuplicateShoes());
        Assert.Equal(2, scene.Group("shoe").Count);
        Assert.Single(scene.Group("dog"));
        Assert.Equal(["brown", "sleeping", "small"], scene.Group("dog")[0].Attributes);
        Assert.Equal(2, scene.CountOf("shoe"));
        // One colour, chosen once for the image (a one-one tie between the boxes, broken by the image's seed): the same
        // on every build of the scene.
        var shoe = scene.Group("shoe")[0];
        Assert.Single(shoe.Attributes);
        Assert.Contains(shoe.Attributes[0], new[] { "grey", "brown" });
        Assert.Equal(shoe.Colour, shoe.Attributes[0]);
        Assert.Equal(shoe.Attributes, new Scene(DuplicateShoes()).Group("shoe")[0].Attributes);
    }

    [GeneratedRegex(@"^The <st>(?<name>.+?)<ed> \[(?<box>[0-9., ]+)\] (?:is|are) (?<colours>.+)\.$")]
    private static partial Regex RefColour();

    [GeneratedRegex(@"^The (?<name>[a-z' -]+) (?:is|are) (?<colours>.+)\.$")]
    private static partial Regex PlainColour();

    private static string ColourSet(string list) =>
        string.Join(",", list.Split(", ").SelectMany(p => p.Split(" and ")).Order(StringComparer.Ordinal));

    /// <summary>
    /// One object has one colour in every task and with every seed: colour answers about boxes of one name that overlap
    /// with an IoU of 0.7 or more (one object) agree, and "The clock is green" agrees with "The &lt;st&gt;clock&lt;ed&gt; [...] is
    /// green" when the image has one clock.
    /// </summary>
    [Theory]
    [MemberData(nameof(Images))]
    public void AnObjectsColour_IsTheSameInEveryTask(string name)
    {
        var image = Image(name);
        var byBox = new List<(string Name, double[] Box, string Colours, string Answer)>();
        var plain = new List<(string Name, string Colours, string Answer)>();
        for (ulong seed = 0; seed < 12; seed++)
        {
            var items = ProceduralQuestions.ConversationItems(image, new DeterministicRandom(seed)).SelectMany(c => c.Pairs)
                .Concat(ProceduralQuestions.ComplexItems(image, new DeterministicRandom(seed)))
                .Concat(ProceduralQuestions.ReferringItems(image, new DeterministicRandom(seed)));
            foreach (var qa in items)
            {
                if (qa.Family == QaFamily.RefColour && RefColour().Match(qa.Answer) is { Success: true } r)
                {
                    double[] box = r.Groups["box"].Value.Split(", ").Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                    byBox.Add((r.Groups["name"].Value, box, ColourSet(r.Groups["colours"].Value), qa.Answer));
                }
                else if (qa.Family == QaFamily.Colour && PlainColour().Match(qa.Answer) is { Success: true } p)
                {
                    plain.Add((p.Groups["name"].Value, ColourSet(p.Groups["colours"].Value), qa.Answer));
                }
            }
        }

        foreach (var a in byBox)
        {
            foreach (var b in byBox.Where(b => b.Name == a.Name && BoxIoU(a.Box, b.Box) >= 0.7))
            {
                Assert.True(a.Colours == b.Colours, $"\"{a.Answer}\" but \"{b.Answer}\"");
            }
        }

        foreach (var p in plain)
        {
            var sameName = byBox.Where(b => b.Name == p.Name).ToList();
            if (sameName.Select(b => string.Join(",", b.Box)).Distinct(StringComparer.Ordinal).Count() == 1)
            {
                Assert.True(sameName[0].Colours == p.Colours, $"\"{p.Answer}\" but \"{sameName[0].Answer}\"");
            }
        }
    }

    private static double BoxIoU(double[] a, double[] b)
    {
        double w = Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]);
        double h = Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]);
        return w <= 0 || h <= 0 ? 0 : w * h / (((a[2] - a[0]) * (a[3] - a[1])) + ((b[2] - b[0]) * (b[3] - b[1])) - (w * h));
    }
}
