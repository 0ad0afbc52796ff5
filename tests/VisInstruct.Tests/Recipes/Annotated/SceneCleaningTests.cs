using System.Text.RegularExpressions;
using VisInstruct.Annotations;
using VisInstruct.Randomness;
using VisInstruct.Recipes.Annotated;

namespace VisInstruct.Tests.Recipes.Annotated;

/// <summary>
/// Visual Genome's noise kept out of the questions: names that are not objects and body parts are no question subject
/// and no count, and no doubled word ("a wood wooden floor") is written.
/// </summary>
public partial class SceneCleaningTests
{
    private static readonly string[] Dropped =
        ["colour", "color", "back", "front", "side", "edge", "shade", "shadow", "chin", "arm", "hand"];

    /// <summary>A 100×100 image with three noisy names, two real objects and a doubled-word region.</summary>
    private static ImageAnnotations Noisy() => new()
    {
        ImageId = 21,
        Width = 100,
        Height = 100,
        ImagePath = "vg/VG_100K/21.jpg",
        Captions = ["A man stands on a floor."],
        Objects =
        [
            new AnnotatedObject(1, "colour", new PixelRect(10, 10, 20, 20), ["green"]),
            new AnnotatedObject(2, "back", new PixelRect(60, 10, 20, 20), ["white"]),
            new AnnotatedObject(3, "chin", new PixelRect(40, 20, 5, 5), ["raised"]),
            new AnnotatedObject(4, "chin", new PixelRect(70, 70, 5, 5), ["raised"]),
            new AnnotatedObject(5, "man", new PixelRect(35, 15, 20, 60), ["standing"]),
            new AnnotatedObject(6, "floor", new PixelRect(0, 80, 100, 20), ["wood wooden", "brown"]),
        ],
        Regions = [new AnnotatedRegion(1, "a wood wooden floor", new PixelRect(0, 78, 100, 22))],
    };

    private static IEnumerable<QaItem> AllItems(ImageAnnotations image, ulong seed) =>
        ProceduralQuestions.ConversationItems(image, new DeterministicRandom(seed)).SelectMany(c => c.Pairs)
            .Concat(ProceduralQuestions.ComplexItems(image, new DeterministicRandom(seed)))
            .Concat(ProceduralQuestions.ReferringItems(image, new DeterministicRandom(seed)));

    private static IEnumerable<ImageAnnotations> Images() => [AnnotatedFixtures.Vg(1), AnnotatedFixtures.Vg(2), Noisy()];

    // "the colour of the clock" or "the side of the road" is fine: only the name as a subject is not.
    [GeneratedRegex(@"(?:<st>|\b(?:the|a|an|any|many|each)\s)"
        + @"(colou?rs?|backs?|fronts?|sides?|edges?|shades?|shadows?|chins?|arms?|hands?)\b(?!\s+of\b)")]
    private static partial Regex DroppedSubject();

    private static string DetailText(ImageAnnotations image, ulong seed) =>
        ProceduralQuestions.DetailDescription(image, new DeterministicRandom(seed), AnnotatedFixtures.DetailInstructions())?
            .Content[^1].Value ?? "";

    [Fact]
    public void NoQuestion_NamesANonObjectOrBodyPart()
    {
        foreach (var image in Images())
        {
            for (ulong seed = 0; seed < 12; seed++)
            {
                foreach (var qa in AllItems(image, seed))
                {
                    Assert.False(DroppedSubject().IsMatch(qa.Question), $"image {image.ImageId}, seed {seed}: {qa.Question}");
                }
            }
        }
    }

    [Fact]
    public void NoText_HasADoubledWord()
    {
        foreach (var image in Images())
        {
            for (ulong seed = 0; seed < 12; seed++)
            {
                var texts = AllItems(image, seed).SelectMany(q => new[] { q.Question, q.Answer }).Append(DetailText(image, seed));
                foreach (string text in texts)
                {
                    var words = Words.Tokens(text);
                    for (int i = 1; i < words.Count; i++)
                    {
                        Assert.False(SceneCleaning.IsDoubled(words[i - 1], words[i]), $"image {image.ImageId}, seed {seed}: {text}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Scene_DropsNoisyNames_AndCountsWithoutThem()
    {
        var scene = new Scene(Noisy());
        Assert.Equal(["man", "floor"], scene.Keys);
        Assert.Null(scene.CountOf("chin"));
        Assert.Equal(1, scene.CountOf("man"));
        Assert.Equal("a wooden floor", Assert.Single(scene.Regions).Phrase);
        Assert.Contains("wooden", scene.Group("floor")[0].Attributes);
        Assert.DoesNotContain("wood wooden", scene.Group("floor")[0].Attributes);
        Assert.DoesNotContain("the the", SceneCleaning.Clean("the the dog"), StringComparison.Ordinal);
        Assert.Equal("the dog", SceneCleaning.Clean("the the dog"));

        // The detail paragraph counts only objects: no chin, colour or back among them.
        for (ulong seed = 0; seed < 12; seed++)
        {
            string detail = DetailText(Noisy(), seed);
            Assert.DoesNotMatch(@"\b(?:two|one|a) (?:chins?|colour|back)\b", detail);
        }
    }

    [Fact]
    public void Fixtures_LoseTheirNoisyNames()
    {
        var keys = new Scene(AnnotatedFixtures.Vg(1)).Keys;
        Assert.DoesNotContain("back", keys);
        Assert.DoesNotContain("chin", keys);
        Assert.DoesNotContain("arm", keys);
        Assert.DoesNotContain("shade", keys);
        Assert.Contains("clock", keys);
        Assert.DoesNotContain(new Scene(AnnotatedFixtures.Vg(1)).Regions, r => r.Phrase.Contains("bckground", StringComparison.Ordinal));
        Assert.All(Dropped, d => Assert.DoesNotContain(d, keys));
    }
}
