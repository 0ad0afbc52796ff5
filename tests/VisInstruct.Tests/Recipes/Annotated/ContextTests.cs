using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Annotations;
using VisInstruct.Backends.Llm;
using VisInstruct.Recipes.Annotated;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes.Annotated;

public partial class ContextTests
{
    private static ImageAnnotations Image(IReadOnlyList<string> captions, IReadOnlyList<AnnotatedObject> objects,
        IReadOnlyList<AnnotatedRegion> regions, int width = 1000, int height = 1000) => new()
    {
        ImageId = 2412112,
        Width = width,
        Height = height,
        ImagePath = "vg/VG_100K/2412112.jpg",
        Captions = captions,
        Objects = objects,
        Regions = regions,
    };

    private static AnnotatedObject Obj(long id, string name, double x, double y, double w, double h) =>
        new(id, name, new PixelRect(x, y, w, h), []);

    private static AnnotatedRegion Reg(long id, string phrase, double x, double y, double w, double h) =>
        new(id, phrase, new PixelRect(x, y, w, h));

    /// <summary>The annotations behind SVIT's example figure (FORMATS.md 2.3), as pixels on a 1000 x 1000 image.</summary>
    private static ImageAnnotations FigureExample() => Image(
        ["Street workers in orange jackets outside working with a traffic signal.", "The workers are trying to install a broken signal."],
        [Obj(1, "man", 588, 387, 104, 445), Obj(2, "traffic light", 160, 341, 180, 230)],
        [Reg(3, "four men installing a traffic light", 32, 197, 960, 755), Reg(4, "Dirt on the street", 130, 739, 500, 117),
            Reg(5, "A traffic light leaning on the truck", 146, 355, 838, 453)]);

    [Fact]
    public void Svit_LaysOutTheFigureExampleExactly()
    {
        var context = SvitContext.Build(FigureExample());
        Assert.Equal(
            "(1) captions:\n" +
            "Street workers in orange jackets outside working with a traffic signal.\n" +
            "The workers are trying to install a broken signal.\n" +
            "(2) objects:\n" +
            "man: [0.588, 0.387, 0.692, 0.832]\n" +
            "traffic light: [0.16, 0.341, 0.34, 0.571]\n" +
            "(3) regions:\n" +
            "four men installing a traffic light: [0.032, 0.197, 0.992, 0.952]\n" +
            "Dirt on the street: [0.13, 0.739, 0.63, 0.856]\n" +
            "A traffic light leaning on the truck: [0.146, 0.355, 0.984, 0.808]",
            context.Text);
        Assert.False(context.Cut);
        Assert.Equal(0, context.ObjectsCut + context.RegionsCut);
        Assert.False(context.TokensExact);
        Assert.Equal(SvitContext.Estimate(System.Text.Encoding.UTF8.GetByteCount(context.Text)), context.Tokens);
    }

    [Fact]
    public void Svit_KeepsHeadersOfEmptySectionsAndTextVerbatim()
    {
        var context = SvitContext.Build(Image([], [Obj(1, " tree ", 0, 0, 500, 1000)], []));
        Assert.Equal("(1) captions:\n(2) objects:\n tree : [0.0, 0.0, 0.5, 1.0]\n(3) regions:", context.Text);
        Assert.False(context.Text.EndsWith('\n'));
        Assert.Equal("(1) captions:\n(2) objects:\n(3) regions:", SvitContext.Build(Image([], [], [])).Text);
    }

    [Fact]
    public void Svit_UnderBudgetInBytesIsNotCounted_OverBytesButUnderTokensIsCountedExactly()
    {
        var image = FigureExample();
        string full = SvitContext.Build(image).Text;
        var roomy = SvitContext.Build(image, tokenBudget: 100_000);
        Assert.Equal(full, roomy.Text);
        Assert.False(roomy.TokensExact);

        int exact = LocalTokenCounter.Count(full);
        var tight = SvitContext.Build(image, tokenBudget: exact);
        Assert.Equal(full, tight.Text);
        Assert.True(tight.TokensExact);
        Assert.Equal(exact, tight.Tokens);
        Assert.False(tight.Cut);
    }

    [Fact]
    public void Svit_BudgetDropsSmallestBoxesFirstAndKeepsFileOrder()
    {
        // Areas (of 1000 x 1000): o1 0.25, o2 0.0001 (tiny), r1 0.5, r2 0.001, o3 0.04.
        var image = Image(
            ["A caption that always stays."],
            [Obj(1, "building", 0, 0, 500, 500), Obj(2, "button", 10, 10, 10, 10), Obj(3, "window", 100, 100, 200, 200)],
            [Reg(1, "the whole street in the afternoon", 0, 0, 1000, 500), Reg(2, "a small sign on the wall", 600, 600, 100, 10)]);
        string full = SvitContext.Build(image).Text;
        int fullTokens = LocalTokenCounter.Count(full);
        int withoutTwoSmallest = LocalTokenCounter.Count(SvitContext.Layout(
            image.Captions,
            ["building: [0.0, 0.0, 0.5, 0.5]", "window: [0.1, 0.1, 0.3, 0.3]"],
            ["the whole street in the afternoon: [0.0, 0.0, 1.0, 0.5]"]));
        Assert.True(withoutTwoSmallest < fullTokens);

        var context = SvitContext.Build(image, tokenBudget: withoutTwoSmallest);
        Assert.True(context.Cut);
        Assert.True(context.TokensExact);
        Assert.Equal(1, context.ObjectsCut);
        Assert.Equal(1, context.RegionsCut);
        Assert.Equal(withoutTwoSmallest, context.Tokens);
        Assert.Equal(LocalTokenCounter.Count(context.Text), context.Tokens);
        Assert.Equal(
            "(1) captions:\nA caption that always stays.\n(2) objects:\nbuilding: [0.0, 0.0, 0.5, 0.5]\nwindow: [0.1, 0.1, 0.3, "
                + "0.3]\n(3) regions:\nthe whole street in the afternoon: [0.0, 0.0, 1.0, 0.5]",
            context.Text);
        Assert.False(context.OverBudget);

        // Deterministic: the same input and budget give the same text.
        Assert.Equal(context, SvitContext.Build(image, tokenBudget: withoutTwoSmallest));
    }

    [Fact]
    public void Svit_TiesDropTheLaterLineFirst()
    {
        var image = Image(["c"], [Obj(1, "first", 0, 0, 100, 100), Obj(2, "second", 500, 500, 100, 100)], []);
        int oneLess = LocalTokenCounter.Count(SvitContext.Layout(["c"], ["first: [0.0, 0.0, 0.1, 0.1]"], []));
        var context = SvitContext.Build(image, tokenBudget: oneLess);
        Assert.Contains("first:", context.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("second:", context.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Svit_CaptionsAloneOverBudgetDropEverythingElseAndSaySo()
    {
        string longCaption = string.Join(' ', Enumerable.Repeat("A very long caption about a very busy street.", 40));
        var image = Image([longCaption], [Obj(1, "car", 0, 0, 10, 10)], [Reg(1, "a car", 0, 0, 10, 10)]);
        var context = SvitContext.Build(image, tokenBudget: 20);
        Assert.True(context.OverBudget);
        Assert.True(context.Cut);
        Assert.Equal(1, context.ObjectsCut);
        Assert.Equal(1, context.RegionsCut);
        Assert.Equal("(1) captions:\n" + longCaption + "\n(2) objects:\n(3) regions:", context.Text);
        Assert.Throws<ArgumentOutOfRangeException>(() => SvitContext.Build(image, tokenBudget: 0));
    }

    [Fact]
    public void Svit_ManyLinesFitTheBudgetExactly()
    {
        var objects = Enumerable.Range(0, 300)
            .Select(i =>
            Obj(i, "object number " + i.ToString(System.Globalization.CultureInfo.InvariantCulture), i, i, 1 + (i * 7 % 300),
            1 + (i * 13 % 300))).ToList();
        var regions = Enumerable.Range(0, 300)
            .Select(i =>
            Reg(i, "a region with some words " + i.ToString(System.Globalization.CultureInfo.InvariantCulture), 2 * i, i,
            1 + (i * 11 % 400), 1 + (i * 3 % 400))).ToList();
        var image = Image(["one", "two"], objects, regions, 1280, 960);
        foreach (int budget in new[] { 500, 1500, 4000 })
        {
            var context = SvitContext.Build(image, budget);
            Assert.True(context.Tokens <= budget);
            Assert.Equal(LocalTokenCounter.Count(context.Text), context.Tokens);
            var lines = context.Text.Split('\n');
            Assert.Equal(2 + 3 + (600 - context.ObjectsCut - context.RegionsCut), lines.Length);
            // What stays keeps its file order.
            var kept = lines.Where(l => l.StartsWith("object number ", StringComparison.Ordinal))
                .Select(l => int.Parse(l.Split(' ', ':')[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(kept.Order(), kept);
        }
    }

    [GeneratedRegex(@"""category"": ""(?:[^""\\]|\\.)*"", ""bbox"": (\[[^\]]*\])")]
    private static partial Regex RawBox();

    [Fact]
    public void Llava_ReproducesEveryRecordOfCapsBoxesVal80()
    {
        var lines = File.ReadAllLines(Paths.Fixture("llava", "eval", "caps_boxes_coco2014_val_80.jsonl"));
        Assert.Equal(80, lines.Length);
        int withoutInstances = 0;
        foreach (string line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var captions = doc.RootElement.GetProperty("captions").EnumerateArray().Select(c => c.GetString()!).ToList();
            var instances = doc.RootElement.GetProperty("instances").EnumerateArray().Select(i =>
            {
                var b = i.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                return (i.GetProperty("category").GetString()!, new NormalizedBox(b[0], b[1], b[2], b[3]));
            }).ToList();
            // Python prints the bbox list as json.dumps wrote it: the raw text is the expected repr.
            var rawBoxes = RawBox().Matches(line).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(instances.Count, rawBoxes.Count);
            string expected = string.Join('\n', captions) + "\n\n"
                + string.Join('\n', instances.Select((inst, k) => inst.Item1 + ": " + rawBoxes[k]));

            Assert.Equal(expected, LlavaInstructContext.Layout(captions, instances));
            Assert.Equal(string.Join('\n', captions), LlavaInstructContext.Layout(captions, null));
            if (instances.Count == 0)
            {
                withoutInstances++;
                Assert.EndsWith("\n\n", LlavaInstructContext.Layout(captions, instances), StringComparison.Ordinal);
            }
        }

        Assert.Equal(3, withoutInstances);
    }

    [Theory]
    [InlineData("complex_reasoning", "000")]
    [InlineData("complex_reasoning", "001")]
    [InlineData("detail_description", "002")]
    public void Llava_LayoutMatchesTheFewShotInputFiles(string task, string number)
    {
        string text = File.ReadAllText(Paths.External("llava", "playground", "data", "prompts", task, number + "_caps.txt"));
        int split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var captions = text[..split].Split('\n');
        var instances = text[(split + 2)..].Split('\n').Select(l =>
        {
            int colon = l.LastIndexOf(": [", StringComparison.Ordinal);
            Assert.True(Grounding.TryParseBox(l[(colon + 2)..], out var box));
            return (l[..colon], box);
        }).ToList();
        Assert.Equal(text, LlavaInstructContext.Layout(captions, instances));
    }

    [Fact]
    public void Llava_BuildNormalisesPixelsPerSide()
    {
        var image = Image(["A man with ties.", "Second caption."],
            [Obj(1, "tie", 367.36, 143.04, 113.92, 194.88), Obj(2, "person", 0, 115.2, 137, 364.8)],
            [Reg(9, "ignored region", 0, 0, 10, 10)], 640, 480);
        Assert.Equal("A man with ties.\nSecond caption.\n\ntie: [0.574, 0.298, 0.752, 0.704]\nperson: [0.0, 0.24, 0.214, 1.0]",
            LlavaInstructContext.Build(image, withBoxes: true));
        Assert.Equal("A man with ties.\nSecond caption.", LlavaInstructContext.Build(image, withBoxes: false));
        Assert.Equal("A man with ties.\nSecond caption.\n\n", LlavaInstructContext.Build(image with { Objects = [] }, withBoxes: true));
    }

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private sealed record Trap(int I, int W, string Python, string Naive);

    [Fact]
    public void PixelToNormalised_FollowsPythonRoundingOnEveryTrap()
    {
        var traps = JsonSerializer.Deserialize<List<Trap>>(File.ReadAllText(Paths.Fixture("python_round3_traps.json")), WebJson)!;
        Assert.True(traps.Count > 1000);
        foreach (var trap in traps)
        {
            // x1 = i / W, y1 = i / W (square image), x2 = y2 = 1.
            var image = Image(["c"], [Obj(1, "thing", trap.I, trap.I, trap.W - trap.I, trap.W - trap.I)], [], trap.W, trap.W);
            string expectedLine = $"thing: [{trap.Python}, {trap.Python}, 1.0, 1.0]";
            Assert.Equal("c\n\n" + expectedLine, LlavaInstructContext.Build(image, withBoxes: true));
            Assert.Equal("(1) captions:\nc\n(2) objects:\n" + expectedLine + "\n(3) regions:", SvitContext.Build(image).Text);
        }
    }
}
