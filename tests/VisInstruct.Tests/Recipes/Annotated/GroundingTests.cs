using VisInstruct.Annotations;
using VisInstruct.Formats;
using VisInstruct.Recipes.Annotated;

namespace VisInstruct.Tests.Recipes.Annotated;

public class GroundingTests
{
    /// <summary>A 1000 x 500 image: a car and cones as objects, the work area as a region.</summary>
    private static ImageAnnotations Image() => new()
    {
        ImageId = 7,
        Width = 1000,
        Height = 500,
        ImagePath = "vg/VG_100K/7.jpg",
        Objects =
        [
            new AnnotatedObject(1, "car", new PixelRect(386, 217.5, 610, 140), []),
            new AnnotatedObject(2, "cones", new PixelRect(354, 286.5, 420, 151), []),
        ],
        Regions = [new AnnotatedRegion(3, "men working on the signal", new PixelRect(32, 98.5, 960, 377.5))],
    };

    private static SvitConversation Pair(string question, string answer) =>
        new() { Content = [new SvitTurn(SvitTurn.User, question), new SvitTurn(SvitTurn.Gpt, answer)] };

    [Fact]
    public void ReferenceBoxes_AreTheContextsRoundedBoxes()
    {
        Assert.Equal(["[0.386, 0.435, 0.996, 0.715]", "[0.354, 0.573, 0.774, 0.875]", "[0.032, 0.197, 0.992, 0.952]"],
            Grounding.ReferenceBoxes(Image()).Select(b => b.ToString()));
    }

    [Fact]
    public void FigureExample_Passes()
    {
        var pair = Pair("Why might the <st>car<ed> [0.386, 0.435, 0.996, 0.715] be stopped?",
            "The <st>men<ed> [0.032, 0.197, 0.992, 0.952] are fixing the light, so they placed <st>cones<ed> [0.354, 0.573, 0.774, "
                + "0.875], [0.36, 0.58, 0.77, 0.87] around the area.");
        var result = Grounding.Check([pair], Image());
        Assert.Equal([pair], result.Kept);
        Assert.Empty(result.Dropped);
        Assert.Equal(4, result.BoxesChecked);
        Assert.Equal(4, result.BoxesPassed);
        Assert.Equal(1.0, result.BoxPassRate);
        Assert.Equal(1.0, result.PairPassRate);
    }

    [Fact]
    public void Mentions_AreExtractedWithAllTheirBoxes()
    {
        var mentions = Grounding.ExtractMentions(
            "<st>men<ed> [0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8] and <st>a dog<ed>[0.1,0.1,0.2,0.2] and <st>sky<ed> above");
        Assert.Equal(3, mentions.Count);
        Assert.Equal("men", mentions[0].Name);
        Assert.Equal(["[0.1, 0.2, 0.3, 0.4]", "[0.5, 0.6, 0.7, 0.8]"], mentions[0].Boxes);
        Assert.Equal(["[0.1,0.1,0.2,0.2]"], mentions[1].Boxes);
        Assert.Empty(mentions[2].Boxes);
    }

    [Theory]
    [InlineData("Where is the <st>car<ed> [0.386, 0.435, 0.996]?", Grounding.MalformedBox)]
    [InlineData("Where is the <st>car<ed> [0.386, 0.435, 0.996, x]?", Grounding.MalformedBox)]
    [InlineData("Where is the <st>car<ed>?", Grounding.MalformedBox)]
    [InlineData("Where is the <st>car<ed> (0.386, 0.435, 0.996, 0.715)?", Grounding.MalformedBox)]
    [InlineData("Where is the <st>car<ed> [0.386, 0.435, 1.2, 0.715]?", Grounding.OutOfRange)]
    [InlineData("Where is the <st>car<ed> [-0.1, 0.435, 0.996, 0.715]?", Grounding.OutOfRange)]
    [InlineData("Where is the <st>car<ed> [0.996, 0.435, 0.386, 0.715]?", Grounding.InvertedBox)]
    [InlineData("Where is the <st>car<ed> [0.386, 0.435, 0.386, 0.715]?", Grounding.InvertedBox)]
    [InlineData("Where is the <st>car<ed> [0.0, 0.0, 0.1, 0.1]?", Grounding.NoMatchingBox)]
    [InlineData("Where is the car [0.386, 0.435, 0.996, 0.715]?", Grounding.NoReference)]
    [InlineData("Where is the <st>car [0.386, 0.435, 0.996, 0.715]?", Grounding.UnbalancedMarkers)]
    [InlineData("Where is the car<ed> <st>x<ed> [0.386, 0.435, 0.996, 0.715]?", Grounding.UnbalancedMarkers)]
    public void BadPairs_AreDroppedWithTheirReason(string question, string reason)
    {
        var pair = Pair(question, "It is parked on the right.");
        var result = Grounding.Check([pair], Image());
        Assert.Empty(result.Kept);
        Assert.Equal(new Dictionary<string, int> { [reason] = 1 }, result.Dropped);
        Assert.Equal(1, result.DroppedCount);
        Assert.Equal(0.0, result.PairPassRate);
    }

    [Fact]
    public void FirstReasonInOrderWinsAndEveryBoxIsCounted()
    {
        var pair = Pair("Is the <st>car<ed> [0.386, 0.435, 0.996, 0.715] near <st>cones<ed> [0.9, 0.1, 0.2, 0.3]?",
            "Yes, next to the <st>tree<ed> [0.5, 0.5, 2.0, 0.6] and <st>sign<ed> [0.1, 0.1, 0.12, 0.12].");
        var verdict = Grounding.CheckPair(pair, Grounding.ReferenceBoxes(Image()));
        Assert.Equal(Grounding.OutOfRange, verdict.Reason);
        Assert.Equal(4, verdict.Mentions);
        Assert.Equal(4, verdict.BoxesChecked);
        Assert.Equal(1, verdict.BoxesPassed);
    }

    [Fact]
    public void IoUThreshold_Applies()
    {
        // Shifted box: IoU with the car box is about 0.89.
        var pair = Pair("Where is the <st>car<ed> [0.45, 0.435, 1.0, 0.715]?", "On the right.");
        Assert.Single(Grounding.Check([pair], Image()).Kept);
        Assert.Empty(Grounding.Check([pair], Image(), iouThreshold: 0.9).Kept);
    }

    [Fact]
    public void ParsedReferringAnswer_TotalsAddUpForTheCard()
    {
        string answer = """
            Question: Why might the <st>car<ed> [0.386, 0.435, 0.996, 0.715] be stopped?
            Answer: Because <st>cones<ed> [0.354, 0.573, 0.774, 0.875] block the lane.
            Question: What are the people doing?
            Answer: They are repairing a signal.
            Question: Is the <st>truck<ed> [0.5, 0.5, 0.4, 0.9] parked?
            Answer: Yes.
            """;
        var parsed = ResponseParser.ParseQa(answer, 3);
        Assert.Empty(parsed.Problems);
        var result = Grounding.Check(parsed.Pairs, Image());
        Assert.Single(result.Kept);
        Assert.Equal(new Dictionary<string, int> { [Grounding.NoReference] = 1, [Grounding.InvertedBox] = 1 }, result.Dropped);
        Assert.Equal(3, result.BoxesChecked);
        Assert.Equal(2, result.BoxesPassed);
    }
}
