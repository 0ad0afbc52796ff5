using VisInstruct.Formats;
using VisInstruct.Recipes.Annotated;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes.Annotated;

public class ResponseParserTests
{
    private static string LlavaPrompt(string task, string file) =>
        File.ReadAllText(Paths.External("llava", "playground", "data", "prompts", task, file));

    /// <summary>The turns of a LLaVA few-shot answer, split the way the format defines it: on lines equal to ===.</summary>
    private static List<string> SplitOnSeparators(string text) =>
        text.Split("\n===\n").Select(b => b[(b.IndexOf('\n', StringComparison.Ordinal) + 1)..].Trim()).ToList();

    private static List<string> Values(ParseResult result) =>
        result.Conversations.SelectMany(c => c.Conversation.Content).Select(t => t.Value).ToList();

    [Theory]
    [InlineData("000_conv.txt")]
    [InlineData("001_conv.txt")]
    public void LlavaConversationFewShot_ParsesTurnForTurn(string file)
    {
        string text = LlavaPrompt("conversation", file);
        var result = ResponseParser.ParseConversations(text, 1, null);
        Assert.Empty(result.Problems);
        Assert.False(result.NeedsRepair);
        var conversation = Assert.Single(result.Conversations);
        Assert.Null(conversation.Topic);
        Assert.Equal(4, conversation.Pairs);
        Assert.Equal(SplitOnSeparators(text), Values(result));
        Assert.Equal([SvitTurn.User, SvitTurn.Gpt, SvitTurn.User, SvitTurn.Gpt],
            conversation.Conversation.Content.Take(4).Select(t => t.From));
        // Multi-paragraph answers keep their blank lines and their numbered and bulleted lines.
        Assert.Contains("\n\n", conversation.Conversation.Content[^1].Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("complex_reasoning", "000_conv.txt")]
    [InlineData("complex_reasoning", "001_conv.txt")]
    [InlineData("complex_reasoning", "002_conv.txt")]
    public void LlavaComplexFewShot_IsOnePair(string task, string file)
    {
        string text = LlavaPrompt(task, file);
        var result = ResponseParser.ParseQa(text, 1);
        Assert.Empty(result.Problems);
        var pair = Assert.Single(result.Pairs);
        Assert.Equal(SplitOnSeparators(text), pair.Content.Select(t => t.Value));
    }

    [Theory]
    [InlineData("000_conv.txt")]
    [InlineData("001_conv.txt")]
    [InlineData("002_conv.txt")]
    public void LlavaDetailFewShot_IsTheWholeText(string file)
    {
        string text = LlavaPrompt("detail_description", file);
        var result = ResponseParser.ParseDetail(text);
        Assert.Empty(result.Problems);
        Assert.Equal(text.Trim(), result.Description);
    }

    private static string SvitConversationAnswer(Func<int, int, string>? question = null)
    {
        var sb = new System.Text.StringBuilder();
        string[] topics = ["Traffic Light Installation", "Safety at Work", "The Street"];
        for (int c = 0; c < 3; c++)
        {
            sb.Append("Topic: ").Append(topics[c]).Append('\n');
            for (int p = 0; p < 5; p++)
            {
                sb.Append("User: ").Append(question?.Invoke(c, p) ?? $"Question {c}.{p}?").Append('\n');
                sb.Append("GPT: ").Append($"Answer {c}.{p}.").Append('\n');
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    [Fact]
    public void SvitConversation_FigureStyleWithTopics()
    {
        string text = "Topic: Traffic Light Installation\nUser: How many workers are present in the image?\nGPT: There are four workers "
            + "in the image.\n"
            + SvitConversationAnswer()[(SvitConversationAnswer().IndexOf("User: Question 0.1", StringComparison.Ordinal))..];
        var result = ResponseParser.ParseConversations(text, 3, 5);
        Assert.Empty(result.Problems);
        Assert.Equal(["Traffic Light Installation", "Safety at Work", "The Street"], result.Conversations.Select(c => c.Topic));
        Assert.All(result.Conversations, c => Assert.Equal(5, c.Pairs));
        Assert.Equal(new SvitTurn("user", "How many workers are present in the image?"), result.Conversations[0].Conversation.Content[0]);
        Assert.Equal(new SvitTurn("gpt", "There are four workers in the image."), result.Conversations[0].Conversation.Content[1]);
        Assert.Equal(15, result.PairCount);
    }

    [Fact]
    public void SvitConversation_MarkdownHeadingsBoldLabelsAndChatter()
    {
        string text = """
            Sure! Here are three conversations about the image.

            ### Conversation 1: Traffic Light Installation

            **User:** How many workers are there?
            **GPT:** There are four workers.

            **User:** What are they wearing?
            **GPT:** Orange safety jackets.

            ---

            ### Conversation 2
            **Topic:** Safety
            - User: Is the road closed?
            - GPT: Partly; cones mark off one lane.

            ## The Truck
            Human: What is the truck for?
            Assistant: It carries the workers' tools.

            I hope these conversations are helpful!
            """;
        var result = ResponseParser.ParseConversations(text, 3, null);
        Assert.Empty(result.Problems);
        Assert.Equal(["Traffic Light Installation", "Safety", "The Truck"], result.Conversations.Select(c => c.Topic));
        Assert.Equal(["How many workers are there?", "There are four workers.", "What are they wearing?", "Orange safety jackets."],
            result.Conversations[0].Conversation.Content.Select(t => t.Value));
        Assert.Equal("It carries the workers' tools.", result.Conversations[2].Conversation.Content[^1].Value);
    }

    [Fact]
    public void SvitConversation_WithoutTopicsSplitsEvenlyWhenTheCountIsExact()
    {
        string text = string.Join('\n', SvitConversationAnswer().Split('\n').Where(l => !l.StartsWith("Topic:", StringComparison.Ordinal)));
        var result = ResponseParser.ParseConversations(text, 3, 5);
        Assert.Equal(3, result.Conversations.Count);
        Assert.All(result.Conversations, c => Assert.Equal(5, c.Pairs));
        Assert.Equal("Question 1.0?", result.Conversations[1].Conversation.Content[0].Value);
        var note = Assert.Single(result.Problems);
        Assert.Equal(ParseProblem.NoTopics, note.Kind);
        Assert.False(result.NeedsRepair);
    }

    [Fact]
    public void SvitConversation_ShortConversationsAndMissingOnesAreRepairable()
    {
        string full = SvitConversationAnswer();
        // Drop the last conversation and one pair of the second.
        string text = full[..full.IndexOf("Topic: The Street", StringComparison.Ordinal)]
            .Replace("User: Question 1.4?\nGPT: Answer 1.4.\n", "", StringComparison.Ordinal);
        var result = ResponseParser.ParseConversations(text, 3, 5);
        Assert.True(result.NeedsRepair);
        Assert.Contains(result.Problems, p => p.Kind == ParseProblem.ConversationCount && p.Message == "expected 3 conversations, found 2");
        Assert.Contains(result.Problems, p =>
            p.Kind == ParseProblem.ConversationPairs && p.Message
            == "conversation 2 (\"Safety at Work\") has 4 question-answer pairs, expected 5");
        Assert.Equal(9, result.PairCount);
        Assert.True(result.Usable);

        var more = ResponseParser.ParseConversations(full + "Topic: Extra\n"
            + string.Concat(Enumerable.Repeat("User: One more?\nGPT: Yes.\n", 5)), 3, 5);
        Assert.False(more.NeedsRepair);
        Assert.Equal(4, more.Conversations.Count);
    }

    private static string Qa(int n, int start = 1) =>
        string.Concat(Enumerable.Range(start, n).Select(i => $"Question: Why is thing {i} there?\nAnswer: Because of reason {i}.\n"));

    [Fact]
    public void SvitComplex_DesiredFormatWithChatterAround()
    {
        string text = "Certainly! Here are 15 question and answer pairs:\n\n" + Qa(15) + "\nLet me know if you would like more questions.";
        var result = ResponseParser.ParseQa(text, 15);
        Assert.Empty(result.Problems);
        Assert.Equal(15, result.Pairs.Count);
        Assert.All(result.Pairs, p => Assert.Equal([SvitTurn.User, SvitTurn.Gpt], p.Content.Select(t => t.From)));
        Assert.Equal("Because of reason 15.", result.Pairs[^1].Content[1].Value);
    }

    [Theory]
    [InlineData("Q: What is he holding?\nA: A kite.\nQ: Why?\nA: It is windy.")]
    [InlineData("Q1: What is he holding?\nA1: A kite.\n\nQ2: Why?\nA2: It is windy.")]
    [InlineData("1. Question: What is he holding?\n   Answer: A kite.\n2. Question: Why?\n   Answer: It is windy.")]
    [InlineData("**Question 1:** What is he holding?\n**Answer:** A kite.\n\n**Question 2:** Why?\n**Answer:** It is windy.")]
    [InlineData("**Q1: What is he holding?**\nA kite.\n**Q2: Why?**\n\nA2) It is windy.")]
    [InlineData("- **Q:** What is he holding?\n- **A:** A kite.\n- **Q:** Why?\n- **A:** It is windy.")]
    [InlineData("Question:\nWhat is he holding?\n===\nAnswer:\nA kite.\n===\nQuestion:\nWhy?\n===\nAnswer:\nIt is windy.")]
    [InlineData("```\nQuestion: What is he holding?\nAnswer: A kite.\nQuestion: Why?\nAnswer: It is windy.\n```")]
    [InlineData("Q: What is he holding? A: A kite.\nQ: Why? A: It is windy.")]
    [InlineData("Question: What is he holding? Answer: A kite.\n\nQuestion: Why? Answer: It is windy.")]
    [InlineData("1. What is he holding?\nAnswer: A kite.\n\n2. Why?\nAnswer: It is windy.")]
    [InlineData("User: What is he holding?\nGPT: A kite.\nUser: Why?\nGPT: It is windy.")]
    [InlineData("question: What is he holding?\r\nanswer: A kite.\r\nQUESTION: Why?\r\nANSWER: It is windy.\r\n")]
    [InlineData("### Questions\n\nQuestion 1. What is he holding?\nAnswer 1. A kite.\nQuestion 2) Why?\nAnswer 2) It is windy.")]
    public void Qa_CommonFormsAllGiveTheSamePairs(string text)
    {
        var result = ResponseParser.ParseQa(text, 2);
        Assert.Empty(result.Problems);
        Assert.Equal(["What is he holding?", "A kite.", "Why?", "It is windy."], Values(result));
    }

    [Fact]
    public void Qa_MultiLineAnswersKeepTheirLinesButNotTrailingChatter()
    {
        string text = "Question: How should they pack?\nAnswer: Step by step:\n1. Put the big suitcases in first.\n2. Fill the gaps "
            + "with backpacks.\n\nThat keeps the view clear.\nQuestion: Anything else?\nAnswer: Check the mirrors.\n\nFeel free to ask "
            + "for more!";
        var result = ResponseParser.ParseQa(text, 2);
        Assert.Empty(result.Problems);
        Assert.Equal("Step by step:\n1. Put the big suitcases in first.\n2. Fill the gaps with backpacks.\n\nThat keeps the view clear.",
            result.Pairs[0].Content[1].Value);
        Assert.Equal("Check the mirrors.", result.Pairs[1].Content[1].Value);
    }

    [Fact]
    public void Qa_WrongCountsAndBrokenPiecesAreReported()
    {
        var few = ResponseParser.ParseQa(Qa(12), 15);
        var problem = Assert.Single(few.Problems);
        Assert.Equal(ParseProblem.TooFew, problem.Kind);
        Assert.Equal("expected 15 question-answer pairs, found 12", problem.Message);
        Assert.True(few.NeedsRepair);
        Assert.True(few.Usable);

        var many = ResponseParser.ParseQa(Qa(16), 15);
        Assert.Equal(16, many.PairCount);
        Assert.Equal(ParseProblem.TooMany, Assert.Single(many.Problems).Kind);
        Assert.False(many.NeedsRepair);

        // Line 5 is a question whose answer is missing; line 7 an empty answer; a truncated last question.
        string text = "Question: One?\nAnswer: Yes.\nQuestion: Two?\nAnswer: Yes.\nQuestion: Three?\nQuestion: "
            + "Four?\nAnswer:\nQuestion: Five?\nAnswer: Yes.\nQuestion: Six?";
        var broken = ResponseParser.ParseQa(text, 6);
        Assert.Equal(3, broken.PairCount);
        Assert.Equal(
            [
                "two questions in a row at line 6: question 3 (line 5) has no answer",
                "answer 4 (line 7) is empty",
                "the last question (question 6, line 10) has no answer",
                "expected 6 question-answer pairs, found 3",
            ],
            broken.Problems.Select(p => p.Message));
        Assert.Equal([6, 7, 10, (int?)null], broken.Problems.Select(p => p.Line));

        var orphan = ResponseParser.ParseQa("Answer: Nothing asked.\nQuestion: Q?\nAnswer: A.", 1);
        Assert.Equal(ParseProblem.AnswerWithoutQuestion, Assert.Single(orphan.Problems).Kind);
        Assert.Equal(1, orphan.PairCount);

        var emptyQuestion = ResponseParser.ParseQa("Question:\nAnswer: A.", null);
        Assert.Contains(emptyQuestion.Problems, p => p.Message == "question 1 (line 1) is empty");

        var nothing = ResponseParser.ParseQa("I'm sorry, I can't help with that.", 15);
        Assert.Equal(ParseProblem.NoPairs, Assert.Single(nothing.Problems).Kind);
        Assert.False(nothing.Usable);
    }

    [Fact]
    public void ReferringFigureExample_KeepsMarkersAndBoxes()
    {
        string text = "Question: Why might the <st>car<ed> [0.386, 0.435, 0.996, 0.715] be stopped?\n"
            + "Answer: The workers are fixing the signal, so they place more <st>cones<ed> [0.354, 0.573, 0.774, 0.875] around the "
                + "working area and the <st>car<ed> [0.386, 0.435, 0.996, 0.715] waits.";
        var result = ResponseParser.ParseQa(text, 1);
        Assert.Empty(result.Problems);
        Assert.Equal("Why might the <st>car<ed> [0.386, 0.435, 0.996, 0.715] be stopped?", result.Pairs[0].Content[0].Value);
        Assert.StartsWith("The workers", result.Pairs[0].Content[1].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Detail_StripsChatterTitlesAndLabels()
    {
        const string body = "A brown dog runs along the shore with a ball.\n\nTwo people walk further up the beach.";
        foreach (string text in new[]
        {
            body,
            "Sure! Here's a detailed description of the image:\n\n" + body + "\n\nLet me know if you need anything else.",
            "```\n" + body + "\n```",
            "### Description of the Image\n\n" + body,
            "**Detailed description:** " + body,
            "Description:\n" + body + "\n\nI hope this helps!",
        })
        {
            var result = ResponseParser.ParseDetail(text);
            Assert.Empty(result.Problems);
            Assert.Equal(body, result.Description);
        }

        // An opening paragraph that is the description itself stays.
        const string starts = "Here is a quiet beach at sunset, with a dog running along the water's edge and a ball in its mouth, "
            + "while two people stroll in the distance and the waves roll in slowly behind them under an orange sky.\n\nMore.";
        Assert.Equal(starts, ResponseParser.ParseDetail(starts).Description);
    }

    [Fact]
    public void Detail_ProblemsAreReported()
    {
        Assert.Equal(ParseProblem.Empty, Assert.Single(ResponseParser.ParseDetail(" \n ").Problems).Kind);
        Assert.Equal(ParseProblem.QaFormat,
            Assert.Single(ResponseParser.ParseDetail("Question: What?\nAnswer: A dog.\nQuestion: Where?\nAnswer: A beach.").Problems).Kind);
        var boxes = ResponseParser.ParseDetail("A dog [0.402, 0.503, 0.611, 0.782] runs on the sand.");
        Assert.Equal(ParseProblem.MentionsAnnotations, Assert.Single(boxes.Problems).Kind);
        Assert.True(boxes.NeedsRepair);
        Assert.Contains("bounding box", ResponseParser.ParseDetail("Based on the bounding boxes, a dog runs.").Problems[0].Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void RepairRequest_ListsTheRepairableProblemsOnce()
    {
        var result = ResponseParser.ParseQa(Qa(12) + "Question: Thirteen?\nAnswer:\n", 15);
        string request = ResponseParser.RepairRequest(result.Problems);
        Assert.StartsWith("Your answer cannot be used as it is:\n", request, StringComparison.Ordinal);
        Assert.Contains("- expected 15 question-answer pairs, found 12\n", request, StringComparison.Ordinal);
        Assert.Contains("- answer 13 (line 26) is empty\n", request, StringComparison.Ordinal);
        Assert.EndsWith("in exactly the format asked for at the start, with nothing before or after it.", request,
            StringComparison.Ordinal);

        var notes = ResponseParser.ParseQa(Qa(16), 15).Problems;
        Assert.Throws<ArgumentException>(() => ResponseParser.RepairRequest(notes));
    }

    [Fact]
    public void Choose_PrefersMorePairsThenFewerProblemsThenTheRepair()
    {
        var twelve = ResponseParser.ParseQa(Qa(12), 15);
        var fifteen = ResponseParser.ParseQa(Qa(15), 15);
        var nothing = ResponseParser.ParseQa("Sorry.", 15);
        Assert.Same(fifteen, ResponseParser.Choose(twelve, fifteen));
        Assert.Same(twelve, ResponseParser.Choose(twelve, nothing));
        var twelveAgain = ResponseParser.ParseQa(Qa(12), 15);
        Assert.Same(twelveAgain, ResponseParser.Choose(twelve, twelveAgain));
        var twelveBroken = ResponseParser.ParseQa(Qa(12) + "Question: dangling?", 15);
        Assert.Same(twelve, ResponseParser.Choose(twelve, twelveBroken));
    }

    [Theory]
    [InlineData("Topic 1: Traffic\nUser: A?\nGPT: B.\nTopic 2: Safety\nUser: C?\nGPT: D.")]
    [InlineData("**Conversation 1 - Traffic**\nUser: A?\nGPT: B.\n\n**Conversation 2 - Safety**\nUser: C?\nGPT: D.")]
    [InlineData("Conversation 1:\nTopic: Traffic\nUser: A?\nGPT: B.\nConversation 2:\nTopic: Safety\nUser: C?\nGPT: D.")]
    [InlineData("## Traffic\n\nQ: A?\nA: B.\n\n## Safety\n\nQ: C?\nA: D.")]
    [InlineData("Topic: \"Traffic\"\nUser: A?\nGPT: B.\n===\nTopic: Safety:\nUser: C?\nGPT: D.\nLet me know if you want more.")]
    public void TopicForms_StartConversations(string text)
    {
        var result = ResponseParser.ParseConversations(text, 2, 1);
        Assert.Empty(result.Problems);
        Assert.Equal(["Traffic", "Safety"], result.Conversations.Select(c => c.Topic));
        Assert.Equal(["A?", "B.", "C?", "D."], Values(result));
    }

    [Fact]
    public void HeadingsInsideALongAnswerStayInTheAnswer()
    {
        string text = "Question:\nHow do I ski downhill?\n===\nAnswer:\nStart slowly.\n\n### Equipment\nStiff boots help.\n\n### "
            + "Technique\nBend your knees.\n===\nQuestion:\nIs it hard?\n===\nAnswer:\nNot with practice.";
        var result = ResponseParser.ParseConversations(text, 1, null);
        Assert.Empty(result.Problems);
        Assert.Equal("Start slowly.\n\n### Equipment\nStiff boots help.\n\n### Technique\nBend your knees.",
            result.Conversations[0].Conversation.Content[1].Value);
        Assert.Equal(2, result.PairCount);
        Assert.Equal(result.Conversations[0].Conversation.Content[1].Value, ResponseParser.ParseQa(text, 2).Pairs[0].Content[1].Value);
    }

    [Fact]
    public void Labels_InsideAnswerTextAreNotMistakenForLabels()
    {
        string text = "Question: Who is there?\nAnswer: A man.\nA woman stands behind him.\nAnswering the phone, she smiles.\nQuestion: "
            + "What time is it?\nAnswer: About 3:30 in the afternoon.";
        var result = ResponseParser.ParseQa(text, 2);
        Assert.Empty(result.Problems);
        Assert.Equal("A man.\nA woman stands behind him.\nAnswering the phone, she smiles.", result.Pairs[0].Content[1].Value);
        Assert.Equal("About 3:30 in the afternoon.", result.Pairs[1].Content[1].Value);
    }
}
