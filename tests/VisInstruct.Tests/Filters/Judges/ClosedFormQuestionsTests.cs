using VisInstruct.Filters.Judges;
using VisInstruct.Formats;

namespace VisInstruct.Tests.Filters.Judges;

public class ClosedFormQuestionsTests
{
    [Theory]
    [InlineData("Is the ball red?", "Yes, the ball is red and shiny.", ClosedFormKind.YesNo)]
    [InlineData("Is there a dog?", "No.", ClosedFormKind.YesNo)]
    [InlineData("Which fruit is shown?\nA. apple\nB. banana\nC. cherry", "B", ClosedFormKind.Option)]
    [InlineData("Which fruit is shown? (A) apple (B) banana", "(A) apple", ClosedFormKind.Option)]
    [InlineData("Which fruit is shown?\nA) apple\nB) banana", "B) banana", ClosedFormKind.Option)]
    [InlineData("Which fruit is shown? A. apple B. banana", "A.", ClosedFormKind.Option)]
    [InlineData("How many dogs are there?", "There are three dogs in the picture.", ClosedFormKind.Count)]
    [InlineData("How many cups?", "12", ClosedFormKind.Count)]
    [InlineData("What colour is the car?", "The car is grey.", ClosedFormKind.Colour)]
    [InlineData("What color is the sky?", "Blue", ClosedFormKind.Colour)]
    [InlineData("What animal is on the sofa?", "A cat.", ClosedFormKind.Short)]
    [InlineData("How many dogs are there?", "A lot of them", ClosedFormKind.Short)]
    [InlineData("What color is the sky?", "It is hard to say", ClosedFormKind.Short)]
    public void Classifies(string question, string reference, ClosedFormKind kind) =>
        Assert.Equal(kind, ClosedFormQuestions.Classify(question, reference, 8));

    [Fact]
    public void ALongAnswer_IsNotClosedForm_AndTheWordLimitIsTheOptions()
    {
        string description = "The image shows a busy street with several cars, a red bus and people crossing at the light.";
        Assert.Null(ClosedFormQuestions.Classify("Describe the image in detail.", description, 8));
        Assert.Equal(ClosedFormKind.Short, ClosedFormQuestions.Classify("What is it?", "a small red bus near a light", 8));
        Assert.Null(ClosedFormQuestions.Classify("What is it?", "a small red bus near a light", 5));
    }

    [Fact]
    public void AnAnswerStartingWithTheArticleA_IsNotAnOptionLetter()
    {
        Assert.Equal(ClosedFormKind.Short, ClosedFormQuestions.Classify("Which is it? A. cat B. dog", "A dog", 8));
        Assert.Null(ClosedFormQuestions.OptionLetter("A dog"));
        Assert.Null(ClosedFormQuestions.OptionLetter("the answer is a red cup"));
    }

    [Fact]
    public void OptionLetters_NeedAListStartingAtA()
    {
        Assert.Equal(['A', 'B', 'C'], ClosedFormQuestions.OptionLetters("Pick one: A. red B. blue C. green").Order());
        Assert.Empty(ClosedFormQuestions.OptionLetters("Is Part B) of the form filled?"));
        // A letter that is not one of the listed options is not an option answer.
        Assert.Equal(ClosedFormKind.Short, ClosedFormQuestions.Classify("Pick: A. red B. blue", "D", 8));
    }

    [Theory]
    [InlineData("Yes.", true)]
    [InlineData("yes, it is", true)]
    [InlineData("Answer: no", false)]
    [InlineData("No, there is none.", false)]
    [InlineData("It is red.", null)]
    [InlineData("Maybe, but I think yes", null)]
    public void ReadsYesNo(string answer, bool? expected) => Assert.Equal(expected, ClosedFormQuestions.YesNo(answer));

    [Theory]
    [InlineData("B", 'B')]
    [InlineData("(c)", 'C')]
    [InlineData("B. banana", 'B')]
    [InlineData("B) banana", 'B')]
    [InlineData("The answer is (D).", 'D')]
    [InlineData("banana", null)]
    public void ReadsOptionLetters(string answer, char? expected) => Assert.Equal(expected, ClosedFormQuestions.OptionLetter(answer));

    [Theory]
    [InlineData("three", 3)]
    [InlineData("There are Three dogs.", 3)]
    [InlineData("3", 3)]
    [InlineData("zero", 0)]
    [InlineData("twenty", 20)]
    [InlineData("I count 14 birds and 2 cats", 14)]
    [InlineData("several", null)]
    public void ReadsCounts(string answer, int? expected) => Assert.Equal(expected, ClosedFormQuestions.Number(answer));

    [Fact]
    public void ReadsColourSets_GreyAsGray()
    {
        Assert.Equal(["gray"], ClosedFormQuestions.ColourSet("It is grey.")!);
        Assert.Equal(["red", "white"], ClosedFormQuestions.ColourSet("Red and white stripes")!.Order());
        Assert.Null(ClosedFormQuestions.ColourSet("shiny"));
    }

    [Theory]
    [InlineData(ClosedFormKind.YesNo, "Yes", "Yes, the ball is red.", true)]
    [InlineData(ClosedFormKind.YesNo, "No", "Yes, the ball is red.", false)]
    [InlineData(ClosedFormKind.YesNo, "No image is available, so I cannot tell.", "No.", false)]
    [InlineData(ClosedFormKind.Option, "(B)", "B. banana", true)]
    [InlineData(ClosedFormKind.Option, "A", "B", false)]
    [InlineData(ClosedFormKind.Count, "3", "There are three dogs.", true)]
    [InlineData(ClosedFormKind.Count, "two", "There are three dogs.", false)]
    [InlineData(ClosedFormKind.Colour, "gray", "The car is grey.", true)]
    [InlineData(ClosedFormKind.Colour, "red", "red and white", false)]
    [InlineData(ClosedFormKind.Colour, "I can't see it, but maybe blue", "blue", false)]
    public void MatchesTheExactKinds(ClosedFormKind kind, string blind, string reference, bool expected) =>
        Assert.Equal(expected, ClosedFormQuestions.Matches(kind, blind, reference));

    [Fact]
    public void ShortAnswers_AreLeftToTheJudge() =>
        Assert.Null(ClosedFormQuestions.Matches(ClosedFormKind.Short, "a kitten", "A cat."));

    [Fact]
    public void Pairs_StripTheImageToken_AndNumberTheQuestions()
    {
        var sample = new LlavaSample
        {
            Id = "x",
            Conversations =
            [
                new LlavaTurn(LlavaTurn.Human, "<image>\nIs the ball red?"), new LlavaTurn(LlavaTurn.Gpt, "Yes."),
                new LlavaTurn(LlavaTurn.Human, "Describe it."),
                new LlavaTurn(LlavaTurn.Gpt, "A red ball lies on green grass next to a wooden fence in the afternoon sun."),
                new LlavaTurn(LlavaTurn.Human, "What colour is the fence?"), new LlavaTurn(LlavaTurn.Gpt, "Brown."),
            ],
        };
        Assert.Equal([new DialogueQuestion(1, "Is the ball red?", "Yes."), new DialogueQuestion(2, "Describe it.",
            "A red ball lies on green grass next to a wooden fence in the afternoon sun."),
            new DialogueQuestion(3, "What colour is the fence?", "Brown.")], ClosedFormQuestions.Pairs(sample));
        Assert.Equal([new ClosedFormQuestion(1, "Is the ball red?", "Yes.", ClosedFormKind.YesNo),
            new ClosedFormQuestion(3, "What colour is the fence?", "Brown.", ClosedFormKind.Colour)],
            ClosedFormQuestions.Select(sample, 8));
    }
}
