using VisInstruct.Datasets;
using VisInstruct.Filters.Text;
using VisInstruct.Formats;
using VisInstruct.Tests.Report;

namespace VisInstruct.Tests.Filters;

public class TextHeuristicsTests
{
    [Theory]
    [InlineData("   ", TextHeuristics.EmptyAnswer)]
    [InlineData("Based on the captions, there are two dogs.", TextHeuristics.MentionsInputs)]
    [InlineData("The provided bounding boxes show a car on the left.", TextHeuristics.MentionsInputs)]
    [InlineData("As an AI, I cannot see the image, but there is a cat.", TextHeuristics.MentionsInputs)]
    [InlineData("The caption says a man is riding a horse.", TextHeuristics.MentionsInputs)]
    [InlineData("There is a red car here. There is a red car here. There is a red car here.", TextHeuristics.RepeatedSentence)]
    public void FlagsEachProblemUnderItsReason(string answer, string reason)
    {
        var verdict = TextHeuristics.Judge(Sample("<image>\nWhat is in the picture?", answer));
        Assert.True(verdict.Flagged);
        Assert.Equal(reason, verdict.Reason);
        Assert.Equal(TextHeuristics.Name, verdict.Filter);
    }

    [Fact]
    public void FlagsAnOverlongAnswerWithItsWordCount()
    {
        string answer = string.Join(' ', Enumerable.Range(0, 41).Select(i => "word" + i));
        var verdict = TextHeuristics.Judge(Sample("<image>\nDescribe it.", answer), new TextHeuristicOptions { MaxAnswerWords = 40 });
        Assert.Equal(TextHeuristics.OverlongAnswer, verdict.Reason);
        Assert.Equal(41, verdict.Score);
    }

    [Fact]
    public void FlagsTheImageTokenProblemsOfTheSampleCheck()
    {
        var twoTokens = Sample("<image>\n<image>\nWhat is this?", "A dog.");
        Assert.Equal(SampleProblem.TokenCount, TextHeuristics.Judge(twoTokens).Reason);
        var inAnswer = Sample("<image>\nWhat is this?", "A dog <image>.");
        Assert.Equal(SampleProblem.TokenInAnswer, TextHeuristics.Judge(inAnswer).Reason);
    }

    [Fact]
    public void PassesPlainAnswersThatOnlyUseTheWordsInPassing()
    {
        // "prompt" and "description" as ordinary words, and a sentence said twice, are not flags.
        string answer = "The sign gives a prompt to stop. Its description of the rule is short. The sign is red. The sign is red.";
        Assert.False(TextHeuristics.Judge(Sample("<image>\nWhat does the sign say?", answer)).Flagged);
    }

    [Fact]
    public void TheOfflineTemplateWriterWritesNothingTheHeuristicsFlag()
    {
        var source = DatasetSource.Open(ReportFixture.Dataset);
        int samples = 0;
        foreach (var sample in source.Read())
        {
            samples++;
            var verdict = TextHeuristics.Judge(sample.Sample);
            Assert.False(verdict.Flagged, $"{sample.Id}: {verdict.Reason}");
        }

        Assert.True(samples > 0);
    }

    private static LlavaSample Sample(string question, string answer) => new()
    {
        Id = "s1",
        Image = LlavaImage.Single("a.jpg"),
        Conversations = [new LlavaTurn(LlavaTurn.Human, question), new LlavaTurn(LlavaTurn.Gpt, answer)],
    };
}
