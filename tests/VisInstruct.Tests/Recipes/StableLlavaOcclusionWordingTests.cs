using VisInstruct.Randomness;
using VisInstruct.Recipes.StableLlava;
using VisInstruct.Rendering;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// Where objects overlap (a hand-built scene with <see cref="SceneSpec.Occlusions"/>), the answers say so: an answer
/// about the object behind names what hides it, and the occlusion questions name the hidden and the front object.
/// Without occlusions nothing is said about hiding.
/// </summary>
public class StableLlavaOcclusionWordingTests
{
    private static SceneSpec Scene(bool overlap) => new()
    {
        Width = 512,
        Height = 512,
        Background = new Background(BackgroundKind.Plain, NamedColor.Backgrounds[0], NamedColor.Backgrounds[1]),
        Objects =
        [
            new SceneObject(ShapeKind.Circle, NamedColor.Find("red")!, SizeClass.Large, new PixelBox(100, 100, 260, 260)),
            new SceneObject(ShapeKind.Star, NamedColor.Find("blue")!, SizeClass.Medium,
                overlap ? new PixelBox(200, 180, 300, 280) : new PixelBox(380, 380, 480, 480), Texture.Striped, Material.Glossy),
            new SceneObject(ShapeKind.Heart, NamedColor.Find("green")!, SizeClass.Small, new PixelBox(400, 40, 460, 100)),
        ],
        Occlusions = overlap ? [new Occlusion(1, 0, 0.2)] : [],
    };

    [Fact]
    public void AnAnswerAboutTheObjectBehind_SaysWhatPartlyHidesIt()
    {
        var scene = Scene(overlap: true);
        var answers = Enumerable.Range(0, 40).Select(i => AttributeQuestions.ColourName(scene, scene.Objects[0],
            new DeterministicRandom((ulong)i))!).ToList();
        Assert.All(answers, a => Assert.Equal("red", a.Value));
        Assert.All(answers, a => Assert.Matches("partly (hidden behind|covered by|hidden by) the blue star", a.Answer));

        var front = Enumerable.Range(0, 40).Select(i => PlaceQuestions.Place(scene, scene.Objects[1], new DeterministicRandom((ulong)i))!)
            .ToList();
        Assert.All(front, a => Assert.Matches("(in front of|partly covering) the red circle", a.Answer));

        var apart = Scene(overlap: false);
        var plain = Enumerable.Range(0, 40).Select(i => AttributeQuestions.ColourName(apart, apart.Objects[0],
            new DeterministicRandom((ulong)i))!).ToList();
        Assert.All(plain, a => Assert.DoesNotMatch("hidden|covered|covering|in front of", a.Answer));
    }

    [Fact]
    public void OcclusionQuestions_NameTheHiddenAndTheFrontObject()
    {
        var scene = Scene(overlap: true);
        var turns = Enumerable.Range(0, 60).Select(i => PlaceQuestions.Occluded(scene, new DeterministicRandom((ulong)i))).ToList();
        Assert.All(turns, Assert.NotNull);
        Assert.All(turns, t => Assert.Equal("occlusion", t!.Template));
        var inFront = turns.Where(t => t!.Question.Contains("in front of", StringComparison.Ordinal)).ToList();
        var hidden = turns.Except(inFront).ToList();
        Assert.NotEmpty(hidden);
        Assert.NotEmpty(inFront);
        Assert.All(hidden, t => Assert.Equal("circle", t!.Value));
        Assert.All(inFront, t => Assert.Equal("star", t!.Value));
        Assert.All(inFront, t => Assert.Contains("in front of the", t!.Question, StringComparison.Ordinal));
        Assert.All(turns, t => Assert.Contains("star", t!.Answer, StringComparison.Ordinal));
        Assert.All(turns, t => Assert.Contains("circle", t!.Answer, StringComparison.Ordinal));

        Assert.Null(PlaceQuestions.Occluded(Scene(overlap: false), new DeterministicRandom(1)));
    }
}
