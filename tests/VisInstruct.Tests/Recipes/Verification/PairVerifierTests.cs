using VisInstruct.Recipes.StableLlava.Verification;
using VisInstruct.Rendering;

namespace VisInstruct.Tests.Recipes.Verification;

/// <summary>
/// The verifier on hand-built scenes, per intent: right answers in several phrasings pass; wrong ones (colour, count,
/// place, relation, yes/no, occluder, object) and ill-posed questions are caught with their reason kind.
/// </summary>
public class PairVerifierTests
{
    private static SceneObject Item(ShapeKind shape, string color, SizeClass size, int cx, int cy, int half,
        Texture texture = Texture.Plain, Material material = Material.Matte) =>
        new(shape, NamedColor.Find(color)!, size, new PixelBox(cx - half, cy - half, cx + half, cy + half), texture, material);

    /// <summary>
    /// 600 by 600: a red circle top left, a larger blue circle on the right, a small green star at the bottom, a
    /// striped glossy yellow square in the centre, partly hidden by a small purple triangle drawn over it.
    /// </summary>
    private static SceneSpec Scene(string starColor = "green") => new()
    {
        Width = 600,
        Height = 600,
        Background = new Background(BackgroundKind.Checker, NamedColor.Backgrounds[2], NamedColor.Backgrounds[4]),
        Style = DrawingStyle.Outlined,
        Objects =
        [
            Item(ShapeKind.Circle, "red", SizeClass.Medium, 100, 100, 40),
            Item(ShapeKind.Circle, "blue", SizeClass.Large, 500, 300, 60),
            Item(ShapeKind.Star, starColor, SizeClass.Small, 300, 500, 30),
            Item(ShapeKind.Square, "yellow", SizeClass.Medium, 300, 300, 50, Texture.Striped, Material.Glossy),
            Item(ShapeKind.Triangle, "purple", SizeClass.Small, 330, 330, 25),
        ],
        Occlusions = [new Occlusion(4, 3, 0.2)],
    };

    private static string Outcome(IReadOnlyList<SceneSpec> scenes, string question, string answer, bool caption = false,
        bool turnPerImage = false, int turn = 0)
    {
        var turns = Enumerable.Range(0, turn).Select(_ => ("How many shapes are there?", "There are five shapes.")).ToList();
        turns.Add((question, answer));
        var verdict = PairVerifier.Verify(scenes, turns, turnPerImage, caption)[turn];
        return verdict.IsVerified ? "ok" : verdict.ReasonKind;
    }

    [Theory]
    [InlineData("How many circles are there?", "There are two circles.", "ok")]
    [InlineData("How many circles can you count in the picture?", "I count 2 circles.", "ok")]
    [InlineData("What is the number of circles in the image?", "Two.", "ok")]
    [InlineData("How many hearts are there?", "There are no hearts.", "ok")]
    [InlineData("How many circles are there?", "There are three circles.", "wrong-count")]
    [InlineData("How many circles are in the image?", "There is one circle.", "wrong-count")]
    [InlineData("How many shapes are in the image?", "There are five shapes.", "ok")]
    [InlineData("How many objects can you see?", "I can see 4 objects.", "wrong-count")]
    [InlineData("How many shapes are there?", "Five: a red circle, a blue circle, a green star, a yellow square and a purple triangle.",
        "ok")]
    [InlineData("How many shapes are there?", "There are five shapes: a red circle, a blue circle, a green star, a yellow square and "
        + "a green triangle.", "wrong-colour")]
    [InlineData("How many different colours are there?", "There are five colours.", "ok")]
    [InlineData("How many colors do the shapes have?", "Four.", "wrong-count")]
    public void Counts(string question, string answer, string expected) => Assert.Equal(expected, Outcome([Scene()], question, answer));

    [Theory]
    [InlineData("What colour is the star?", "It is green.", "ok")]
    [InlineData("Which color is the star?", "The star is green.", "ok")]
    [InlineData("What is the colour of the small star?", "Green.", "ok")]
    [InlineData("What colour is the star?", "It is red.", "wrong-colour")]
    [InlineData("Tell me the colour of the star.", "The star is blue.", "wrong-colour")]
    [InlineData("Where is the star?", "The blue star is at the bottom.", "wrong-colour")]
    [InlineData("What colours are the circles?", "One is red and one is blue.", "ok")]
    [InlineData("What colors are the circles?", "There are two circles: one red and one blue.", "ok")]
    [InlineData("What colours are the circles?", "Both circles are red.", "wrong-colour")]
    [InlineData("What colours are the circles?", "There are two circles: two red.", "wrong-count")]
    [InlineData("What colour is the circle?", "It is red.", "ill-posed")]
    [InlineData("Where is the circle?", "In the top left.", "ill-posed")]
    [InlineData("What colour is the heart?", "It is red.", "ill-posed")]
    [InlineData("What colour is the circle on the right?", "It is blue.", "ok")]
    [InlineData("What colour is the leftmost circle?", "The leftmost circle is red.", "ok")]
    [InlineData("What colour is the second circle from the left?", "It is red.", "wrong-colour")]
    [InlineData("Is the star green?", "Yes, it is green.", "ok")]
    [InlineData("Is the star red?", "No, the star is green, not red.", "ok")]
    [InlineData("Is the star red?", "Yes, the star is red.", "wrong-yes-no")]
    [InlineData("Is the star green?", "No, it is blue.", "wrong-yes-no")]
    [InlineData("Is the star red?", "No, it is blue.", "wrong-colour")]
    public void Colours(string question, string answer, string expected) => Assert.Equal(expected, Outcome([Scene()], question, answer));

    [Theory]
    [InlineData("What pattern does the square have?", "It is striped.", "ok")]
    [InlineData("What is the yellow square made of?", "It looks glossy, like shiny plastic.", "ok")]
    [InlineData("What size is the star?", "It is small.", "ok")]
    [InlineData("What texture is on the square?", "It is dotted.", "wrong-attribute")]
    [InlineData("What material is the square?", "It is metallic.", "wrong-attribute")]
    [InlineData("Is the square striped?", "Yes.", "ok")]
    [InlineData("Is the star large?", "Yes, it is large.", "wrong-yes-no")]
    [InlineData("Is there a green star?", "Yes, there is one.", "ok")]
    [InlineData("Are there any hearts?", "No, there are no hearts.", "ok")]
    [InlineData("Is there a red star?", "Yes.", "wrong-yes-no")]
    [InlineData("Are there any circles?", "Yes, there are three circles.", "wrong-count")]
    public void AttributesAndExistence(string question, string answer, string expected) =>
        Assert.Equal(expected, Outcome([Scene()], question, answer));

    [Theory]
    [InlineData("Where is the red circle?", "It is in the top left corner.", "ok")]
    [InlineData("Where is the star located?", "At the bottom of the picture.", "ok")]
    [InlineData("Where is the green star?", "The green star is at the top.", "wrong-place")]
    [InlineData("Where is the blue circle?", "On the left side.", "wrong-place")]
    [InlineData("Is the blue circle on the right?", "Yes.", "ok")]
    [InlineData("Where is the red circle relative to the blue circle?", "The red circle is to the left of the blue circle.", "ok")]
    [InlineData("Where is the red circle compared with the blue circle?", "It is to the left of it.", "ok")]
    [InlineData("Where is the red circle relative to the blue circle?", "The blue circle is to the right of the red circle.", "ok")]
    [InlineData("Where is the red circle relative to the blue circle?", "The red circle is to the right of the blue circle.",
        "wrong-relation")]
    [InlineData("Where is the red circle relative to the blue circle?", "The red circle is above the blue circle.", "wrong-relation")]
    [InlineData("Is the green star below the red circle?", "Yes.", "ok")]
    [InlineData("Is the red circle to the right of the green star?", "No, it is above it.", "ok")]
    [InlineData("Is the green star above the red circle?", "Yes, it is.", "wrong-yes-no")]
    public void PlacesAndRelations(string question, string answer, string expected) =>
        Assert.Equal(expected, Outcome([Scene()], question, answer));

    [Theory]
    [InlineData("What is partly hidden?", "The yellow square is partly hidden by the purple triangle.", "ok")]
    [InlineData("What is in front of the yellow square?", "The purple triangle.", "ok")]
    [InlineData("What is covering the square?", "A small purple triangle covers part of it.", "ok")]
    [InlineData("What is in front of the yellow square?", "The green star is in front of it.", "wrong-object")]
    [InlineData("Is the yellow square behind the purple triangle?", "Yes.", "ok")]
    [InlineData("Is the purple triangle partly hidden by the square?", "No, the triangle is in front.", "ok")]
    [InlineData("Is the purple triangle behind the yellow square?", "Yes, it is.", "wrong-yes-no")]
    [InlineData("Which is larger, the red circle or the blue circle?", "The blue circle is larger.", "ok")]
    [InlineData("Which one is bigger: the green star or the yellow square?", "The yellow square.", "ok")]
    [InlineData("Which is smaller, the red circle or the green star?", "The red circle is smaller.", "wrong-object")]
    [InlineData("Which shape is the largest?", "The blue circle.", "ok")]
    [InlineData("Which object is the leftmost?", "The red circle in the top left.", "ok")]
    [InlineData("Which shape is the largest?", "The yellow square is the largest.", "wrong-object")]
    [InlineData("Which shape is most common?", "Circles: there are two of them.", "ok")]
    [InlineData("Which shape is the most common?", "The star is the most common shape.", "wrong-object")]
    [InlineData("Someone describes the picture as a red circle, a green star and an orange heart. What is missing?",
        "The orange heart is missing.", "ok")]
    [InlineData("Someone describes the picture as a red circle, a green star and an orange heart. What is missing?",
        "The green star is missing.", "wrong-object")]
    public void OcclusionComparisonAndWholeScene(string question, string answer, string expected) =>
        Assert.Equal(expected, Outcome([Scene()], question, answer));

    [Theory]
    [InlineData("What drawing style is used?", "It is drawn in an outlined cartoon style.", "ok")]
    [InlineData("How is the image drawn?", "With dark outlines, in cartoon style.", "ok")]
    [InlineData("In what style is this image drawn?", "It is drawn in flat style.", "wrong-style")]
    [InlineData("What is the background like?", "A pale blue and cream checkered background.", "ok")]
    [InlineData("What is behind the shapes?", "A checkered pattern of pale blue and cream.", "ok")]
    [InlineData("What is the background?", "A plain pale blue background.", "wrong-background")]
    [InlineData("What is the weather like?", "Sunny.", "unverifiable")]
    public void StyleAndBackground(string question, string answer, string expected) =>
        Assert.Equal(expected, Outcome([Scene()], question, answer));

    [Theory]
    [InlineData("A red circle, a blue circle, a green star, a yellow square and a purple triangle on a pale blue and cream "
        + "checkered background.", "ok")]
    [InlineData("Two circles, a star, a square and a triangle, drawn in cartoon style.", "ok")]
    [InlineData("Three circles and a green star.", "wrong-count")]
    [InlineData("A red circle and an orange star.", "wrong-colour")]
    [InlineData("A red circle in the bottom right and a blue circle.", "wrong-place")]
    [InlineData("Five shapes on a pale green background.", "wrong-background")]
    public void Captions(string answer, string expected) =>
        Assert.Equal(expected, Outcome([Scene()], "Describe the image briefly.", answer, caption: true));

    [Theory]
    [InlineData("What colour is the striped square?", "It is yellow.", "ok")]
    [InlineData("What colour is the shiny shape?", "The glossy square is yellow.", "ok")]
    [InlineData("What colour is the big circle?", "It is blue.", "ok")]
    [InlineData("What colour is the tiny triangle?", "It is purple.", "ok")]
    [InlineData("What colour is the first circle from the right?", "It is blue.", "ok")]
    [InlineData("What colour is the topmost circle?", "It is blue.", "wrong-colour")]
    [InlineData("What colour is the dotted square?", "It is yellow.", "ill-posed")]
    [InlineData("What colour is the small shape?", "It is green.", "ill-posed")]
    [InlineData("Is the yellow square made of glass?", "No, it is glossy.", "ok")]
    [InlineData("Is the square see-through?", "Yes, it is transparent.", "wrong-yes-no")]
    [InlineData("Is there a striped square in the centre?", "Yes, there is one.", "ok")]
    [InlineData("Is there a red circle in the bottom right?", "Yes.", "wrong-yes-no")]
    [InlineData("How many small shapes are there?", "There are two small shapes.", "ok")]
    [InlineData("How many small shapes are there?", "There are 3 small shapes.", "wrong-count")]
    [InlineData("Are the circles red?", "No, one is red and one is blue.", "ok")]
    [InlineData("Are the circles red?", "Yes, both are red.", "wrong-yes-no")]
    [InlineData("Is the red circle bigger than the green star?", "Yes, it is bigger.", "ok")]
    [InlineData("Is the red circle smaller than the green star?", "Yes.", "wrong-yes-no")]
    [InlineData("Which shape is in front of the yellow square?", "The purple triangle.", "ok")]
    [InlineData("Which shape is in front of the yellow square?", "The red circle.", "wrong-object")]
    [InlineData("How many shapes are partly hidden?", "One shape is partly hidden: the yellow square.", "ok")]
    [InlineData("How many shapes are partly hidden?", "Two.", "wrong-count")]
    public void ReferencesByAttributeOrdinalAndPlace(string question, string answer, string expected) =>
        Assert.Equal(expected, Outcome([Scene()], question, answer));

    [Fact]
    public void OddOneOut_IsTheObjectThatDiffersFromAllOthers()
    {
        var scene = Scene() with
        {
            Objects =
            [
                Item(ShapeKind.Circle, "red", SizeClass.Medium, 100, 100, 40),
                Item(ShapeKind.Circle, "red", SizeClass.Medium, 500, 100, 40),
                Item(ShapeKind.Circle, "red", SizeClass.Medium, 100, 500, 40), Item(ShapeKind.Star, "red", SizeClass.Medium, 500, 500, 40),
            ],
            Occlusions = [],
        };
        Assert.Equal("ok", Outcome([scene], "What is unusual in this image?", "The red star: all the others are circles."));
        Assert.Equal("ok", Outcome([scene], "Which shape does not belong?", "The star in the bottom right does not belong."));
        Assert.Equal("wrong-object", Outcome([scene], "What is out of place?", "A red circle is out of place."));
        Assert.Equal("wrong-place", Outcome([scene], "What is out of place?", "The star in the top left."));
    }

    [Fact]
    public void TwoImages_DifferenceCommonAndMore()
    {
        SceneSpec[] scenes = [Scene(), Scene("orange")];
        Assert.Equal("ok", Outcome(scenes, "What changed between the two images?",
            "The star is green in the first image and orange in the second."));
        Assert.Equal("ok", Outcome(scenes, "How does the second image differ from the first?",
            "In the second image the star is orange; in the first it was green."));
        Assert.Equal("wrong-colour", Outcome(scenes, "What is different?",
            "The star is orange in the first image and green in the second."));
        Assert.Equal("wrong-object", Outcome(scenes, "Spot the difference between the pictures.", "The red circle changed colour."));
        Assert.Equal("ok", Outcome(scenes, "What do the two images have in common?", "Both have a red circle and a blue circle."));
        Assert.Equal("wrong-object", Outcome(scenes, "What do these two images share?", "Both images contain a green star."));
        Assert.Equal("ok", Outcome(scenes, "Which of the two images has more stars?", "Neither: both have one star."));
        Assert.Equal("wrong-image", Outcome(scenes, "Which image has more stars?", "The first image has more stars."));
        Assert.Equal("ok", Outcome(scenes, "Is the star in the second image green?", "No, it is orange."));
        Assert.Equal("wrong-yes-no", Outcome(scenes, "In the first image, is the star green?", "No."));
        Assert.Equal("unverifiable", Outcome(scenes, "What colour is the star?", "It is green."));
    }

    [Fact]
    public void TurnPerImage_EachTurnIsAboutItsOwnImage()
    {
        SceneSpec[] scenes = [Scene(), Scene("orange"), Scene("navy")];
        Assert.Equal("ok", Outcome(scenes, "And in this one, what colour is the star?", "Here it is orange.", turnPerImage: true, turn: 1));
        Assert.Equal("wrong-colour", Outcome(scenes, "And here, what colour is the star?", "Here the star is green.",
            turnPerImage: true, turn: 1));
        Assert.Equal("ok", Outcome(scenes, "How many shapes are in this last image, and is that more than the first two together?",
            "This image has five shapes, fewer than the ten in the first two together.", turnPerImage: true, turn: 2));
        Assert.Equal("wrong-count", Outcome(scenes, "How many shapes are in this last image, and is that more than the first two together?",
            "This image has five shapes, more than the ten in the first two together.", turnPerImage: true, turn: 2));
    }
}
