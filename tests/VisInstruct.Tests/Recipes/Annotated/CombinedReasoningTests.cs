using VisInstruct.Annotations;
using VisInstruct.Randomness;
using VisInstruct.Recipes.Annotated;

namespace VisInstruct.Tests.Recipes.Annotated;

/// <summary>
/// The synsets in the scene (one name per synset, merging by synset, body parts by synset dropped) and the
/// complex-reasoning families that combine two facts, on a hand-made image whose answers are known.
/// </summary>
public class CombinedReasoningTests
{
    /// <summary>
    /// A park: a clock on a pole next to a bench near a tree; a woman with sneakers boxed twice under two names of one
    /// synset (white and grey, and a region phrase for each colour); "guy" and "man" of one synset; "her hand" (a body
    /// part by its synset only); a knife and a caption about chopping.
    /// </summary>
    internal static ImageAnnotations Park() => new()
    {
        ImageId = 21,
        Width = 100,
        Height = 100,
        ImagePath = "vg/VG_100K/21.jpg",
        Captions = ["A woman is chopping vegetables in a park.", "A brown bench by a tree."],
        Objects =
        [
            new AnnotatedObject(1, "clock", new PixelRect(10, 10, 10, 10), ["green"]) { Synset = "clock.n.01" },
            new AnnotatedObject(2, "pole", new PixelRect(13, 20, 4, 40), ["black"]) { Synset = "pole.n.01" },
            new AnnotatedObject(3, "bench", new PixelRect(20, 55, 25, 10), ["brown", "wooden"]) { Synset = "bench.n.01" },
            new AnnotatedObject(4, "tree", new PixelRect(60, 5, 30, 60), []) { Synset = "tree.n.01" },
            new AnnotatedObject(5, "knife", new PixelRect(70, 80, 8, 3), []) { Synset = "knife.n.01" },
            new AnnotatedObject(6, "woman", new PixelRect(40, 30, 10, 40), []) { Synset = "woman.n.01" },
            new AnnotatedObject(7, "sneakers", new PixelRect(42, 70, 6, 3), ["white"]) { Synset = "gym_shoe.n.01" },
            new AnnotatedObject(8, "tennis shoes", new PixelRect(42.2, 70, 6, 3), ["grey"]) { Synset = "gym_shoe.n.01" },
            new AnnotatedObject(9, "her hand", new PixelRect(45, 50, 3, 3), []) { Synset = "hand.n.01" },
            new AnnotatedObject(10, "guy", new PixelRect(80, 30, 8, 30), []) { Synset = "man.n.01" },
            new AnnotatedObject(11, "man", new PixelRect(2, 70, 6, 25), []) { Synset = "man.n.01" },
        ],
        Regions =
        [
            new AnnotatedRegion(1, "a clock on the pole", new PixelRect(9, 9, 12, 52)),
            new AnnotatedRegion(2, "pole next to the bench", new PixelRect(12, 19, 35, 47)),
            new AnnotatedRegion(3, "bench near the tree", new PixelRect(20, 5, 70, 60)),
            new AnnotatedRegion(4, "white sneakers on the woman", new PixelRect(41, 69, 8, 5)),
            new AnnotatedRegion(5, "grey sneakers on the woman", new PixelRect(41, 69, 8, 5)),
        ],
    };

    [Fact]
    public void Synsets_NameMergeAndDropObjects()
    {
        var scene = new Scene(Park());
        // "guy" takes the synset's head word "man": two men.
        Assert.Equal(2, scene.CountOf("man"));
        Assert.All(scene.Group("man"), m => Assert.Equal("man", m.Name));
        // "sneakers" and "tennis shoes" are one gym shoe boxed twice: one object, named by the first name.
        Assert.Single(scene.Group("sneaker"));
        Assert.Empty(scene.Group("tennis shoe"));
        // "her hand" is no stop-listed name, but hand.n.01 is a body part.
        Assert.DoesNotContain(scene.Items, i => i.Name.Contains("hand", StringComparison.Ordinal));
    }

    [Fact]
    public void TheFactBase_ChoosesOneColour_AndDropsTheTextThatDisagrees()
    {
        var scene = new Scene(Park());
        var sneakers = scene.Group("sneaker").Single();
        // Two votes each (a box's attribute and a region phrase): the image's seed breaks the tie, the same every time.
        Assert.Contains(sneakers.Colour, new[] { "white", "grey" });
        Assert.Equal([sneakers.Colour!], sneakers.Colours);
        Assert.Equal(sneakers.Colour, new Scene(Park()).Group("sneaker").Single().Colour);
        var kept = scene.Regions.Where(r => r.Phrase.Contains("sneakers", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{sneakers.Colour} sneakers on the woman"], kept.Select(r => r.Phrase));
        // "A brown bench" agrees with the bench's attribute: the caption stays.
        Assert.Equal(2, scene.Captions.Count);
    }

    [Fact]
    public void RelationChains_CombineTwoRelations()
    {
        var scene = new Scene(Park());
        Assert.Equal(["the clock is on the pole", "the pole is next to the bench", "the bench is near the tree"],
            QuestionFamilies.RelationsOf(scene).Select(r => r.Text));
        var items = Enumerable.Range(0, 12)
            .SelectMany(s => QuestionFamilies.RelationChains(scene, new DeterministicRandom((ulong)s))).ToList();
        var near = items.Where(i => i.Family == QaFamily.NearChain).Select(i => i.Answer).ToList();
        Assert.Contains("Yes. The clock is on the pole, and the pole is next to the bench, so the clock is near the bench.", near);
        Assert.Contains("Yes. The pole is next to the bench, and the bench is near the tree, so the pole is near the tree.", near);
        // The clock and the tree are two relations apart through two objects: no chain of two facts links them.
        Assert.DoesNotContain(items, i => i.Question.Contains("clock", StringComparison.Ordinal)
            && i.Question.Contains("tree", StringComparison.Ordinal));
        Assert.Contains(items, i => i.Family == QaFamily.LinkChain
            && i.Question.Contains("the clock to the bench", StringComparison.Ordinal)
            && i.Answer == "The pole: the clock is on the pole and the pole is next to the bench.");
        Assert.Contains(items, i => i.Family == QaFamily.NearOthers && i.Question.Contains("clock", StringComparison.Ordinal)
            && i.Answer == "The clock is on the pole; the pole is next to the bench. So besides the pole, the clock is near the bench.");
        Assert.True(items.Where(i => i.Family == QaFamily.NearChain).Select(i => i.Question.Split(' ')[0]).Distinct().Count() >= 2,
            "one phrasing only");
        Assert.All(items, i => AnswerChecker.Check(Park(), i));
    }

    [Fact]
    public void RelationColours_CombineARelationAndAColour()
    {
        var scene = new Scene(Park());
        var items = QuestionFamilies.RelationColours(scene, new DeterministicRandom(4));
        Assert.Equal(["The clock is on the pole, and the pole is black.", "The pole is next to the bench, and the bench is brown."],
            items.Select(i => i.Answer).Order(StringComparer.Ordinal));
        Assert.All(items, i => AnswerChecker.Check(Park(), i));
    }

    [Fact]
    public void Purposes_ComeFromACaptionsActivity_AndAnObjectPresent()
    {
        var scene = new Scene(Park());
        var questions = new HashSet<string>(StringComparer.Ordinal);
        for (ulong seed = 0; seed < 12; seed++)
        {
            var item = Assert.Single(QuestionFamilies.Purposes(scene, new DeterministicRandom(seed)));
            Assert.Equal("A caption of the image says \"A woman is chopping vegetables in a park\", which points to food being cut; so the "
                + "knife is most likely there to cut the food.", item.Answer);
            AnswerChecker.Check(Park(), item);
            questions.Add(item.Question);
        }

        Assert.Contains("What might the person use the knife for?", questions);
        Assert.True(questions.Count >= 2, "one phrasing only");
    }

    [Fact]
    public void HalfCounts_AreRecountedFromTheBoxes()
    {
        var scene = new Scene(Park());
        var items = QuestionFamilies.HalfCounts(scene, new DeterministicRandom(1));
        Assert.Contains(items, i => i.Family == QaFamily.HalfMore && i.Question.Contains("left", StringComparison.Ordinal)
            && i.Answer == "Of the two men, one is in the left half and one in the right half, so both halves have the same number.");
        Assert.All(items, i => AnswerChecker.Check(Park(), i));
    }

    [Fact]
    public void ComplexReasoning_HasNoCoordinateNarration()
    {
        foreach (var image in new[] { Park(), AnnotatedFixtures.Vg(1), AnnotatedFixtures.Vg(2) }.Concat(AnnotatedFixtures.Coco()))
        {
            for (ulong seed = 0; seed < 6; seed++)
            {
                foreach (var qa in ProceduralQuestions.ComplexItems(image, new DeterministicRandom(seed)))
                {
                    Assert.DoesNotContain("%", qa.Answer, StringComparison.Ordinal);
                    Assert.DoesNotContain("centred", qa.Answer, StringComparison.Ordinal);
                    AnswerChecker.Check(image, qa);
                }
            }
        }
    }
}
