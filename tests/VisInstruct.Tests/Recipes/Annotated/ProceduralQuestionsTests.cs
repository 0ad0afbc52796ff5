using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Xunit;
using VisInstruct.Annotations;
using VisInstruct.Formats;
using VisInstruct.Randomness;
using VisInstruct.Recipes.Annotated;

namespace VisInstruct.Tests.Recipes.Annotated;

public class ProceduralQuestionsTests
{
    private static readonly IReadOnlyList<string> Instructions = AnnotatedFixtures.DetailInstructions();

    /// <summary>A hand-made 100×100 image whose answers are known.</summary>
    private static ImageAnnotations Handmade() => new()
    {
        ImageId = 7,
        Width = 100,
        Height = 100,
        ImagePath = "vg/VG_100K/7.jpg",
        Captions = ["A man walks past a red car. ", "two men  near a clock"],
        Objects =
        [
            new AnnotatedObject(1, "clock", new PixelRect(10, 10, 10, 10), ["green", "tall"]),
            new AnnotatedObject(2, "car", new PixelRect(70, 60, 20, 10), ["red", "parked"]),
            new AnnotatedObject(3, "man", new PixelRect(40, 40, 5, 20), []),
            new AnnotatedObject(4, "Man ", new PixelRect(50, 40, 5, 20), []),
            new AnnotatedObject(5, "bikes", new PixelRect(80, 10, 10, 10), ["parked"]),
            new AnnotatedObject(6, "dog", new PixelRect(5, 80, 10, 10), ["brown"]),
            new AnnotatedObject(7, "ball", new PixelRect(12, 85, 3, 3), []),
        ],
        Regions =
        [
            new AnnotatedRegion(1, "a dog is holding a ball", new PixelRect(4, 78, 12, 12)),
            new AnnotatedRegion(2, "a red car ", new PixelRect(69, 59, 22, 12)),
        ],
    };

    public static TheoryData<string> Images() => ["vg1", "vg2", "handmade", "coco0", "coco1", "coco2", "coco3", "coco4"];

    private static ImageAnnotations Image(string name) => name switch
    {
        "vg1" => AnnotatedFixtures.Vg(1),
        "vg2" => AnnotatedFixtures.Vg(2),
        "handmade" => Handmade(),
        _ => AnnotatedFixtures.Coco()[int.Parse(name[4..], System.Globalization.CultureInfo.InvariantCulture)],
    };

    private static IEnumerable<QaItem> AllItems(ImageAnnotations image, ulong seed) =>
        ProceduralQuestions.ConversationItems(image, new DeterministicRandom(seed)).SelectMany(c => c.Pairs)
            .Concat(ProceduralQuestions.ComplexItems(image, new DeterministicRandom(seed)))
            .Concat(ProceduralQuestions.ReferringItems(image, new DeterministicRandom(seed)));

    [Theory]
    [MemberData(nameof(Images))]
    public void EveryAnswer_HoldsForTheAnnotations(string name)
    {
        var image = Image(name);
        for (ulong seed = 0; seed < 12; seed++)
        {
            var questions = AllItems(image, seed).Select(q => q.Question).ToList();
            Assert.Equal(questions.Count, questions.Distinct(StringComparer.Ordinal).Count()); // not even across the tasks
            foreach (var qa in AllItems(image, seed))
            {
                AnswerChecker.Check(image, qa);
                AnswerChecker.BoxesInUnitSquare(qa.Question + " " + qa.Answer);
                Assert.DoesNotContain("  ", qa.Question + qa.Answer, StringComparison.Ordinal);
                Assert.Matches("^[A-Z]", qa.Question);
                Assert.Matches("^[A-Z]", qa.Answer);
                Assert.Matches(@"[.?]$", qa.Question);
                Assert.EndsWith(".", qa.Answer, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Counts_AreWithinTheTaskLimits_AndQuestionsNeverRepeat(string name)
    {
        var image = Image(name);
        for (ulong seed = 0; seed < 8; seed++)
        {
            var conversations = ProceduralQuestions.Conversations(image, new DeterministicRandom(seed));
            Assert.InRange(conversations.Count, 1, 3);
            Assert.All(conversations, c => Assert.InRange(c.Conversation.Content.Count, 2, 10));
            Assert.All(conversations, c =>
                Assert.Contains(c.Topic,
                new[] { ProceduralQuestions.TopicObjects, ProceduralQuestions.TopicPlaces, ProceduralQuestions.TopicDetails }));
            Assert.Equal(conversations.Count, conversations.Select(c => c.Topic).Distinct().Count());
            AssertAlternates(conversations.Select(c => c.Conversation));
            AssertNoRepeats(conversations.Select(c => c.Conversation));

            var complex = ProceduralQuestions.ComplexReasoning(image, new DeterministicRandom(seed));
            Assert.InRange(complex.Count, 1, 15);
            Assert.All(complex, c => Assert.Equal(2, c.Content.Count));
            AssertAlternates(complex);
            AssertNoRepeats(complex);

            var referring = ProceduralQuestions.ReferringQa(image, new DeterministicRandom(seed));
            Assert.InRange(referring.Count, name.StartsWith("coco", StringComparison.Ordinal) ? 0 : 1, 10);
            Assert.All(referring, c => Assert.Equal(2, c.Content.Count));
            AssertAlternates(referring);
            AssertNoRepeats(referring);
        }
    }

    [Fact]
    public void RealVgImages_FillEveryTask()
    {
        foreach (long id in new long[] { 1, 2 })
        {
            var image = AnnotatedFixtures.Vg(id);
            var rng = new DeterministicRandom(42);
            var conversations = ProceduralQuestions.Conversations(image, rng);
            Assert.Equal(3, conversations.Count);
            Assert.All(conversations, c => Assert.Equal(10, c.Conversation.Content.Count));
            Assert.Equal(15, ProceduralQuestions.ComplexReasoning(image, rng).Count);
            Assert.Equal(10, ProceduralQuestions.ReferringQa(image, rng).Count);
            Assert.NotNull(ProceduralQuestions.DetailDescription(image, rng, Instructions));
        }
    }

    [Fact]
    public void Output_IsDeterministicForASeed_AndVariesWithIt()
    {
        var image = AnnotatedFixtures.Vg(1);
        static string Render(ImageAnnotations image, ulong seed)
        {
            var parts = new List<string>();
            parts.AddRange(ProceduralQuestions.Conversations(image, new DeterministicRandom(seed))
                .Select(c => c.Topic + ": " + Flatten(c.Conversation)));
            parts.AddRange(ProceduralQuestions.ComplexReasoning(image, new DeterministicRandom(seed)).Select(Flatten));
            parts.AddRange(ProceduralQuestions.ReferringQa(image, new DeterministicRandom(seed)).Select(Flatten));
            parts.Add(Flatten(ProceduralQuestions.DetailDescription(image, new DeterministicRandom(seed), Instructions)!));
            return string.Join("\n", parts);
        }

        Assert.Equal(Render(image, 5), Render(image, 5));
        Assert.Equal(Render(AnnotatedFixtures.Vg(1), 5), Render(image, 5));
        Assert.NotEqual(Render(image, 5), Render(image, 6));
    }

    [Fact]
    public void PublicApi_MatchesTheTaggedItems()
    {
        var image = AnnotatedFixtures.Vg(2);
        var items = ProceduralQuestions.ReferringItems(image, new DeterministicRandom(3));
        var conversations = ProceduralQuestions.ReferringQa(image, new DeterministicRandom(3));
        Assert.Equal(items.Select(i => new[] { i.Question, i.Answer }),
            conversations.Select(c => c.Content.Select(t => t.Value).ToArray()));
        Assert.All(conversations, c => Assert.Equal([SvitTurn.User, SvitTurn.Gpt], c.Content.Select(t => t.From)));
    }

    [Fact]
    public void EmptyImage_GivesNothing()
    {
        foreach (var image in new[]
        {
            new ImageAnnotations { ImageId = 1, Width = 640, Height = 480, ImagePath = "x.jpg" },
            new ImageAnnotations { ImageId = 2, Width = 0, Height = 0, ImagePath = "y.jpg",
                Objects = [new AnnotatedObject(1, "cat", new PixelRect(0, 0, 5, 5), [])] },
            new ImageAnnotations { ImageId = 3, Width = 10, Height = 10, ImagePath = "z.jpg",
                Objects = [new AnnotatedObject(1, "\"walk\"", new PixelRect(0, 0, 5, 5), []),
                new AnnotatedObject(2, "cat", new PixelRect(1, 1, 0, 5), [])] },
        })
        {
            var rng = new DeterministicRandom(1);
            Assert.Empty(ProceduralQuestions.Conversations(image, rng));
            Assert.Empty(ProceduralQuestions.ComplexReasoning(image, rng));
            Assert.Empty(ProceduralQuestions.ReferringQa(image, rng));
            Assert.Null(ProceduralQuestions.DetailDescription(image, rng, Instructions));
        }
    }

    [Fact]
    public void SingleObject_GivesAConversationButNoComparisons()
    {
        var image = new ImageAnnotations { ImageId = 1, Width = 100, Height = 50, ImagePath = "x.jpg",
            Objects = [new AnnotatedObject(1, "cat", new PixelRect(10, 10, 20, 20), ["black"])] };
        var items = ProceduralQuestions.ConversationItems(image, new DeterministicRandom(9));
        Assert.NotEmpty(items);
        Assert.All(items, c => Assert.InRange(c.Pairs.Count, 1, 5));
        Assert.Empty(ProceduralQuestions.ComplexItems(image, new DeterministicRandom(9)));
        var referring = ProceduralQuestions.ReferringItems(image, new DeterministicRandom(9));
        Assert.Contains(referring, r => r.Answer == "The <st>cat<ed> [0.1, 0.2, 0.3, 0.6] is black.");
    }

    [Fact]
    public void Handmade_GivesTheExpectedFacts()
    {
        var image = Handmade();
        var scene = new Scene(image);
        var rng = new DeterministicRandom(1);

        var counting = QuestionFamilies.Counting(scene, rng).Select(q => q.Answer).ToList();
        Assert.Contains("There are two men in the image.", counting);
        Assert.Contains("There is one clock in the image.", counting);
        Assert.DoesNotContain(counting, a => a.Contains("bike", StringComparison.Ordinal)); // a "bikes" box holds an unknown number

        var existence = QuestionFamilies.Existence(scene, rng);
        int yes = existence.Count(e => e.Answer.StartsWith("Yes", StringComparison.Ordinal));
        int no = existence.Count(e => e.Answer.StartsWith("No", StringComparison.Ordinal));
        Assert.Equal(6, yes); // one per name group: clock, car, man, bikes, dog, ball
        Assert.Equal(6, no);
        Assert.Contains(existence, e => e.Answer == "Yes, there are bikes in the image.");
        Assert.DoesNotContain(existence, e => e.Answer.Contains("no motorcycle", StringComparison.Ordinal)); // blocked by "bikes"
        Assert.DoesNotContain(existence, e => e.Answer.Contains("no clock", StringComparison.Ordinal));

        Assert.Contains(QuestionFamilies.Colour(scene, rng), c => c.Answer == "The clock is green.");
        Assert.Contains(QuestionFamilies.Describe(scene, rng), c => c.Answer == "The car is red and parked.");
        Assert.Contains(QuestionFamilies.Location(scene, rng), c => c.Answer == "The clock is in the top left part of the image.");
        Assert.Contains(QuestionFamilies.Activity(scene, rng), c =>
            c.Question == "What is the dog holding?" && c.Answer == "The dog is holding a ball.");

        var (leftRight, aboveBelow, larger) = QuestionFamilies.Relations(scene, rng);
        Assert.Contains(leftRight, c => c.Answer is "The clock is to the left of the car." or "The car is to the right of the clock.");
        Assert.Contains(aboveBelow, c => c.Answer is "The clock is above the dog." or "The dog is below the clock.");
        Assert.Contains(larger, c => c.Answer == "The car is larger than the clock.");
        // two men: "the man" is ambiguous
        Assert.DoesNotContain(leftRight.Concat(aboveBelow).Concat(larger), c => c.Question.Contains("man", StringComparison.Ordinal));
        // the ball lies on the dog
        Assert.DoesNotContain(leftRight.Concat(aboveBelow), c =>
            c.Question.Contains("dog", StringComparison.Ordinal) && c.Question.Contains("ball", StringComparison.Ordinal));

        Assert.Contains(QuestionFamilies.RefActivity(scene, rng), c =>
            c.Answer == "The <st>dog<ed> [0.05, 0.8, 0.15, 0.9] is holding a <st>ball<ed> [0.12, 0.85, 0.15, 0.88].");
        Assert.Contains(QuestionFamilies.RefRegion(scene, rng), c =>
            c.Question.EndsWith("[0.69, 0.59, 0.91, 0.71]?", StringComparison.Ordinal)
            || c.Question.EndsWith("[0.69, 0.59, 0.91, 0.71].", StringComparison.Ordinal));
        Assert.Contains(QuestionFamilies.RefRegion(scene, rng), c => c.Answer == "A red <st>car<ed> [0.7, 0.6, 0.9, 0.7].");
        Assert.Contains(QuestionFamilies.RefLocate(scene, rng), c =>
            c.Answer == "There are two <st>men<ed> [0.4, 0.4, 0.45, 0.6], [0.5, 0.4, 0.55, 0.6] in the image.");

        var (more, total) = QuestionFamilies.CountComparisons(scene, rng);
        Assert.Contains(more, c =>
            c.Answer is "Yes. I count two men and one clock, so there are more men than clocks."
            or "No. I count one clock and two men, so there are fewer clocks than men.");
        Assert.Contains(total, c =>
            c.Answer is "I count two men and one car, which makes three in total."
            or "I count one car and two men, which makes three in total.");
    }

    [Fact]
    public void DetailDescription_IsWellFormed_AndBuiltFromTheAnnotations()
    {
        var image = Handmade();
        var detail = ProceduralQuestions.DetailDescription(image, new DeterministicRandom(4), Instructions)!;
        Assert.Equal(2, detail.Content.Count);
        Assert.Contains(detail.Content[0].Value, Instructions);
        string text = detail.Content[1].Value;
        Assert.Contains("A man walks past a red car.", text, StringComparison.Ordinal);
        Assert.Contains("Two men near a clock.", text, StringComparison.Ordinal);
        Assert.Contains("a red parked car", text, StringComparison.Ordinal);
        Assert.Contains("two men", text, StringComparison.Ordinal);
        Assert.Contains("A dog is holding a ball.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("  ", text, StringComparison.Ordinal);

        foreach (string name in new[] { "vg1", "vg2", "coco0", "coco4" })
        {
            var picked = new HashSet<string>();
            for (ulong seed = 0; seed < 10; seed++)
            {
                var d = ProceduralQuestions.DetailDescription(Image(name), new DeterministicRandom(seed), Instructions)!;
                picked.Add(d.Content[0].Value);
                string paragraph = d.Content[1].Value;
                Assert.DoesNotContain("  ", paragraph, StringComparison.Ordinal);
                foreach (string sentence in Regex.Split(paragraph, @"(?<=[.!?]) "))
                {
                    Assert.Matches(@"^[A-Z0-9""']", sentence);
                    Assert.Matches(@"[.!?]$", sentence);
                }

                Assert.Equal(paragraph,
                    ProceduralQuestions.DetailDescription(Image(name), new DeterministicRandom(seed), Instructions)!.Content[1].Value);
            }

            Assert.True(picked.Count > 3, "the instruction is sampled");
        }
    }

    [Fact]
    public void CocoImage_UsesCategoriesAndCaptions()
    {
        var coco = AnnotatedFixtures.Coco()[4]; // five horses
        var items = ProceduralQuestions.ConversationItems(coco, new DeterministicRandom(2)).SelectMany(c => c.Pairs).ToList();
        Assert.Contains(items, i => i.Family == QaFamily.Existence);
        var scene = new Scene(coco);
        Assert.Contains(QuestionFamilies.Counting(scene, new DeterministicRandom(1)), c =>
            c.Answer == "There are five horses in the image.");
        Assert.Contains(QuestionFamilies.Caption(scene, new DeterministicRandom(1)), c =>
            coco.Captions.Any(k => k.Trim().TrimEnd('.').Equals(c.Answer.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(QuestionFamilies.RefLocate(new Scene(AnnotatedFixtures.Coco()[0]), new DeterministicRandom(1)), c =>
            c.Answer.Contains("<st>couch<ed> [", StringComparison.Ordinal));
    }

    private static readonly string[] NamePool =
        ["cat", "dog", "man", "men", "car", "cars", "tree", "window", "bus", "glasses", "teddy bear"];
    private static readonly string[] AttributePool = ["red", "green", "tall", "wooden", "gray", "parked"];

    /// <summary>A random small image from bytes: five per object (name, x, y, width, height), boxes inside the image.</summary>
    private static ImageAnnotations RandomImage(int width, int height, byte[] raw)
    {
        var objects = new List<AnnotatedObject>();
        for (int i = 0; i + 4 < raw.Length && objects.Count < 12; i += 5)
        {
            double x = raw[i + 1] * (width - 1) / 255.0;
            double y = raw[i + 2] * (height - 1) / 255.0;
            double w = Math.Max(1, raw[i + 3] * (width - x) / 255.0);
            double h = Math.Max(1, raw[i + 4] * (height - y) / 255.0);
            var attributes = AttributePool.Where((_, k) => ((raw[i] >> (k + 3)) & 1) == 1).ToList();
            objects.Add(new AnnotatedObject(i, NamePool[raw[i] % NamePool.Length],
                new PixelRect(Math.Floor(x), Math.Floor(y), Math.Floor(w), Math.Floor(h)), attributes));
        }

        return new ImageAnnotations
        {
            ImageId = 1,
            Width = width,
            Height = height,
            ImagePath = "r.jpg",
            Objects = objects,
            Regions = objects.Take(2).Select(o => new AnnotatedRegion(o.Id, "a " + o.Name + " is holding a cat", o.Box)).ToList(),
        };
    }

    [Property(MaxTest = 1000)]
    public void Property_CountsAreExact_AndBoxesStayInTheUnitSquare(PositiveInt width, PositiveInt height, byte[] raw, ulong seed)
    {
        raw ??= [];
        var image = RandomImage(2 + (width.Get % 1500), 2 + (height.Get % 1500), raw);
        foreach (var qa in AllItems(image, seed))
        {
            AnswerChecker.Check(image, qa);
            AnswerChecker.BoxesInUnitSquare(qa.Question + " " + qa.Answer);
        }

        Assert.Equal(ProceduralQuestions.Conversations(image, new DeterministicRandom(seed)).Select(c => Flatten(c.Conversation)),
            ProceduralQuestions.Conversations(image, new DeterministicRandom(seed)).Select(c => Flatten(c.Conversation)));
    }

    private static string Flatten(SvitConversation conversation) =>
        string.Join(" | ", conversation.Content.Select(t => t.From + ": " + t.Value));

    private static void AssertAlternates(IEnumerable<SvitConversation> conversations)
    {
        foreach (var c in conversations)
        {
            for (int i = 0; i < c.Content.Count; i++)
            {
                Assert.Equal(i % 2 == 0 ? SvitTurn.User : SvitTurn.Gpt, c.Content[i].From);
                Assert.False(string.IsNullOrWhiteSpace(c.Content[i].Value));
            }
        }
    }

    private static void AssertNoRepeats(IEnumerable<SvitConversation> conversations)
    {
        var questions = conversations.SelectMany(c => c.Content.Where(t => t.From == SvitTurn.User).Select(t => t.Value)).ToList();
        Assert.Equal(questions.Count, questions.Distinct(StringComparer.Ordinal).Count());
    }
}
