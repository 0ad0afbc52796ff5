using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Formats;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// Reads what a model wrote back, in the forms models really use. Labels: <c>Question:</c>/<c>Answer:</c>,
/// <c>Q:</c>/<c>A:</c>, <c>User:</c>/<c>GPT:</c>, <c>Human:</c>/<c>Assistant:</c> (any case), with the text on the
/// same line or the lines after; numbered (<c>1.</c>, <c>1)</c>, <c>Q1:</c>, <c>Question 1:</c>), bulleted or in
/// markdown (<c>**Question:**</c>, <c>### Topic: ...</c>). <c>Topic:</c> or <c>Conversation N</c> lines, and markdown
/// headings directly followed by a question, start a new conversation. Lines of <c>===</c>, <c>---</c> and code fences
/// are separators. Text before the first label is ignored; a closing paragraph of chatter ("Let me know if...") is
/// cut off an answer. A question and its answer on one line (<c>Q: ... A: ...</c>) are split, and a numbered line
/// ending in <c>?</c> just before an answer counts as its question.
/// </summary>
/// <remarks>
/// <para><b>Counts.</b> A response is clean when it has exactly the expected number of pairs (and conversations) and
/// nothing malformed. Fewer pairs, an empty question or answer, two questions in a row, an answer without a question,
/// or a last question without an answer are repairable problems: the recipe sends <see cref="RepairRequest"/> once,
/// parses the reply, and keeps the better of the two parses (<see cref="Choose"/>). After that it keeps whatever parsed
/// when at least one pair did (<see cref="ParseResult.Usable"/>) and records the shortfall; with none, the task is dropped
/// for that image. More pairs or conversations than asked for are all kept and only noted; they never cause a repair.
/// Malformed pieces are never guessed at: an empty answer drops its pair, an unanswered question is dropped.</para>
/// </remarks>
public static partial class ResponseParser
{
    /// <summary>
    /// Conversations with topics (SVIT: <c>Topic:</c> then <c>User:</c>/<c>GPT:</c> lines; LLaVA: one conversation in
    /// the <c>Question:</c>/<c>===</c>/<c>Answer:</c> form). <paramref name="expectedTurnsEach"/> counts question-answer
    /// pairs; null: any number. When no topic line is found but the pairs are exactly
    /// <paramref name="expectedConversations"/> × <paramref name="expectedTurnsEach"/>, they are split evenly.
    /// </summary>
    public static ParseResult ParseConversations(string text, int expectedConversations, int? expectedTurnsEach)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedConversations, 1);
        var problems = new List<ParseProblem>();
        var blocks = AnswerText.Tokenize(text);
        var conversations = new List<(string? Topic, int Line, List<SvitTurn> Turns)>();
        bool sawTopic = false;
        var pairs = Pair(blocks, problems, onTopic: block =>
        {
            sawTopic = true;
            string? topic = AnswerText.CleanTopic(block.Text);
            if (conversations.Count > 0 && conversations[^1].Turns.Count == 0)
            {
                // "### Conversation 2" then "Topic: Safety": one conversation.
                conversations[^1] = (topic ?? conversations[^1].Topic, conversations[^1].Line, conversations[^1].Turns);
            }
            else
            {
                conversations.Add((topic, block.Line, []));
            }
        }, onPair: (q, a) =>
        {
            if (conversations.Count == 0)
            {
                conversations.Add((null, q.Line, []));
            }

            conversations[^1].Turns.Add(new SvitTurn(SvitTurn.User, q.Text));
            conversations[^1].Turns.Add(new SvitTurn(SvitTurn.Gpt, a.Text));
        });

        foreach (var (topic, line, turns) in conversations.Where(c => c.Turns.Count == 0).ToList())
        {
            string name = topic is null ? "" : $" \"{topic}\"";
            problems.Add(new ParseProblem(ParseProblem.EmptyConversation,
                $"the conversation{name} at line {line} has no question-answer pairs", line));
        }

        conversations.RemoveAll(c => c.Turns.Count == 0);
        if (!sawTopic && expectedConversations > 1 && expectedTurnsEach is { } each && conversations.Count == 1
            && pairs == expectedConversations * each)
        {
            var all = conversations[0].Turns;
            conversations.Clear();
            for (int i = 0; i < expectedConversations; i++)
            {
                conversations.Add((null, 0, all.GetRange(i * each * 2, each * 2)));
            }

            problems.Add(new ParseProblem(ParseProblem.NoTopics,
                Inv($"the answer has no Topic lines; its {pairs} pairs were split into {expectedConversations} conversations of {each}")));
        }

        if (pairs == 0)
        {
            problems.Add(new ParseProblem(ParseProblem.NoPairs, "no question-answer pairs were found"));
        }
        else
        {
            if (conversations.Count < expectedConversations)
            {
                problems.Add(new ParseProblem(ParseProblem.ConversationCount,
                    Inv($"expected {expectedConversations} conversations, found {conversations.Count}")));
            }
            else if (conversations.Count > expectedConversations)
            {
                problems.Add(new ParseProblem(ParseProblem.TooMany,
                    Inv($"expected {expectedConversations} conversations, found {conversations.Count}; all are kept")));
            }

            if (expectedTurnsEach is { } expected)
            {
                for (int i = 0; i < conversations.Count; i++)
                {
                    int found = conversations[i].Turns.Count / 2;
                    if (found != expected)
                    {
                        string name = conversations[i].Topic is { } t ? $" (\"{t}\")" : "";
                        string message = Inv($"conversation {i + 1}{name} has {found} question-answer pairs, expected {expected}");
                        problems.Add(found < expected
                            ? new ParseProblem(ParseProblem.ConversationPairs, message,
                                conversations[i].Line == 0 ? null : conversations[i].Line)
                            : new ParseProblem(ParseProblem.TooMany, message + "; all are kept"));
                    }
                }
            }
        }

        return new ParseResult(
            conversations.Select(c => new ParsedConversation(c.Topic, new SvitConversation { Content = c.Turns })).ToList(),
            problems);
    }

    /// <summary>
    /// Question-answer pairs (complex reasoning, referring QA: <c>Question:</c>/<c>Answer:</c>), each returned as its
    /// own conversation. Topic lines and headings are ignored. <paramref name="expectedPairs"/> null: any number.
    /// </summary>
    public static ParseResult ParseQa(string text, int? expectedPairs)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<ParseProblem>();
        var result = new List<ParsedConversation>();
        int pairs = Pair(AnswerText.Tokenize(text), problems, onTopic: _ => { }, onPair: (q, a) =>
            result.Add(new ParsedConversation(null, new SvitConversation
            {
                Content = [new SvitTurn(SvitTurn.User, q.Text), new SvitTurn(SvitTurn.Gpt, a.Text)],
            })));
        if (pairs == 0)
        {
            problems.Add(new ParseProblem(ParseProblem.NoPairs, "no question-answer pairs were found"));
        }
        else if (expectedPairs is { } expected && pairs != expected)
        {
            string message = Inv($"expected {expected} question-answer pairs, found {pairs}");
            problems.Add(pairs < expected
                ? new ParseProblem(ParseProblem.TooFew, message)
                : new ParseProblem(ParseProblem.TooMany, message + "; all are kept"));
        }

        return new ParseResult(result, problems);
    }

    /// <summary>
    /// A detail description: the whole answer, less code fences, a leading heading or <c>Description:</c> label, and
    /// an opening or closing paragraph of chatter. Problems: empty, written as questions and answers, or mentioning the
    /// boxes, coordinates or given captions.
    /// </summary>
    public static DetailParseResult ParseDetail(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<ParseProblem>();
        var lines = AnswerText.SplitLines(text).Where(l => !AnswerText.Fence().IsMatch(l)).ToList();
        // A leading title (markdown heading or a lone bold line) and a "Description:" label go.
        int first = lines.FindIndex(l => l.Trim().Length > 0);
        if (first >= 0 && (AnswerText.Heading().IsMatch(lines[first]) || AnswerText.LoneBold().IsMatch(lines[first])))
        {
            lines.RemoveAt(first);
        }

        string body = string.Join('\n', lines).Trim();
        var label = DescriptionLabel().Match(body);
        if (label.Success)
        {
            body = body[label.Length..].Trim();
        }

        body = AnswerText.TrimChatter(body, leading: true);
        if (body.Length == 0)
        {
            problems.Add(new ParseProblem(ParseProblem.Empty, "the description is empty"));
        }
        else
        {
            int labelLines = AnswerText.SplitLines(body).Count(l => AnswerText.LabelLine().Match(l) is { Success: true } m
                && AnswerText.KindOf(m.Groups["label"].Value) != AnswerText.BlockKind.Topic);
            if (labelLines >= 2)
            {
                problems.Add(new ParseProblem(ParseProblem.QaFormat,
                    "the description is written as questions and answers; write one plain description instead"));
            }

            if (AnnotationMention().Match(body) is { Success: true } mention)
            {
                problems.Add(new ParseProblem(ParseProblem.MentionsAnnotations,
                    $"the description mentions \"{mention.Value}\"; "
                    + "describe the picture as seen, without boxes, coordinates or the given descriptions"));
            }
        }

        return new DetailParseResult(body, problems);
    }

    /// <summary>
    /// The one follow-up user message asking the model to fix its answer: the repairable problems as a list, then a
    /// request to write the whole answer again in the format asked for.
    /// </summary>
    public static string RepairRequest(IEnumerable<ParseProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var repairable = problems.Where(p => p.Repairable).ToList();
        if (repairable.Count == 0)
        {
            throw new ArgumentException("there is nothing to repair", nameof(problems));
        }

        var sb = new StringBuilder("Your answer cannot be used as it is:\n");
        foreach (var problem in repairable)
        {
            sb.Append("- ").Append(problem.Message).Append('\n');
        }

        sb.Append("Please write your whole answer again, complete, in exactly the format asked for at the start, ")
            .Append("with nothing before or after it.");
        return sb.ToString();
    }

    /// <summary>
    /// The parse to keep of a first answer and its repaired one: more pairs wins; on a tie, fewer repairable problems;
    /// on a tie again, the repaired one.
    /// </summary>
    public static ParseResult Choose(ParseResult first, ParseResult repaired)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(repaired);
        if (first.PairCount != repaired.PairCount)
        {
            return first.PairCount > repaired.PairCount ? first : repaired;
        }

        return first.Problems.Count(p => p.Repairable) < repaired.Problems.Count(p => p.Repairable) ? first : repaired;
    }

    /// <summary>Pairs questions with answers; reports the broken pieces. Returns the number of pairs.</summary>
    private static int Pair(List<AnswerText.Block> blocks, List<ParseProblem> problems, Action<AnswerText.Block> onTopic,
        Action<AnswerText.Block, AnswerText.Block> onPair)
    {
        AnswerText.Block? pending = null;
        int questionNumber = 0;
        int pairs = 0;
        foreach (var block in blocks)
        {
            switch (block.Kind)
            {
                case AnswerText.BlockKind.Topic:
                    if (pending is not null)
                    {
                        problems.Add(new ParseProblem(ParseProblem.Unanswered,
                            Inv($"question {questionNumber} (line {pending.Line}) has no answer"), pending.Line));
                        pending = null;
                    }

                    onTopic(block);
                    break;
                case AnswerText.BlockKind.Question:
                    questionNumber++;
                    if (pending is not null)
                    {
                        problems.Add(new ParseProblem(ParseProblem.TwoQuestions,
                            Inv($"two questions in a row at line {block.Line}: ")
                            + Inv($"question {questionNumber - 1} (line {pending.Line}) has no answer"), block.Line));
                    }

                    pending = block;
                    break;
                case AnswerText.BlockKind.Answer:
                    if (pending is null)
                    {
                        problems.Add(new ParseProblem(ParseProblem.AnswerWithoutQuestion,
                            Inv($"the answer at line {block.Line} has no question before it"), block.Line));
                        break;
                    }

                    if (pending.Text.Length == 0)
                    {
                        problems.Add(new ParseProblem(ParseProblem.EmptyQuestion,
                            Inv($"question {questionNumber} (line {pending.Line}) is empty"), pending.Line));
                    }
                    else if (block.Text.Length == 0)
                    {
                        problems.Add(new ParseProblem(ParseProblem.EmptyAnswer,
                            Inv($"answer {questionNumber} (line {block.Line}) is empty"), block.Line));
                    }
                    else
                    {
                        onPair(pending, block);
                        pairs++;
                    }

                    pending = null;
                    break;
            }
        }

        if (pending is not null)
        {
            problems.Add(new ParseProblem(ParseProblem.Unanswered,
                Inv($"the last question (question {questionNumber}, line {pending.Line}) has no answer"), pending.Line));
        }

        return pairs;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(
        @"^(?:\*\*|__)?[ \t]*(?:detailed[ \t]+)?(?:description|answer|response)[ \t]*(?:\*\*|__)?[ \t]*:[ \t]*"
        + @"(?:\*\*|__)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DescriptionLabel();

    [GeneratedRegex(
        @"bounding box(?:es)?|\bcoordinates?\b|\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\]|\bthe (?:given|"
        + @"provided) (?:captions?|descriptions?|information|annotations?)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnnotationMention();
}
