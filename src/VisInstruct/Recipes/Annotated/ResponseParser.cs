using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Formats;

namespace VisInstruct.Recipes.Annotated;

/// <summary>Something wrong with a model's answer; <see cref="Repairable"/> ones are worth one follow-up request.</summary>
/// <param name="Kind">One of <see cref="ParseProblem"/>'s constants.</param>
/// <param name="Message">What is wrong, in words the model can act on.</param>
/// <param name="Line">1-based line of the answer where it applies.</param>
public sealed record ParseProblem(string Kind, string Message, int? Line = null)
{
    public const string NoPairs = "no-pairs";
    public const string TooFew = "too-few";
    public const string TooMany = "too-many";
    public const string EmptyQuestion = "empty-question";
    public const string EmptyAnswer = "empty-answer";
    public const string TwoQuestions = "two-questions";
    public const string AnswerWithoutQuestion = "answer-without-question";
    public const string Unanswered = "unanswered";
    public const string ConversationCount = "conversation-count";
    public const string ConversationPairs = "conversation-pairs";
    public const string EmptyConversation = "empty-conversation";
    public const string NoTopics = "no-topics";
    public const string Empty = "empty";
    public const string QaFormat = "qa-format";
    public const string MentionsAnnotations = "mentions-annotations";

    /// <summary>
    /// Whether a follow-up request could fix it. Not repairable: more pairs or conversations than asked (all are
    /// kept), and conversations without topic lines that were split evenly.
    /// </summary>
    public bool Repairable => Kind is not (TooMany or NoTopics);
}

/// <summary>One parsed conversation: its topic (null when the answer gave none) and its user/gpt turns.</summary>
public sealed record ParsedConversation(string? Topic, SvitConversation Conversation)
{
    /// <summary>Question-answer pairs (turns / 2).</summary>
    public int Pairs => Conversation.Content.Count / 2;
}

/// <summary>The conversations or question-answer pairs found in an answer, and what was wrong with it.</summary>
public sealed record ParseResult(IReadOnlyList<ParsedConversation> Conversations, IReadOnlyList<ParseProblem> Problems)
{
    /// <summary>All question-answer pairs found.</summary>
    public int PairCount => Conversations.Sum(c => c.Pairs);

    /// <summary>The pairs one by one, each a 2-turn conversation (the raw SVIT shape for complex reasoning and referring QA).</summary>
    public IReadOnlyList<SvitConversation> Pairs => Conversations
        .SelectMany(c => c.Conversation.Content.Chunk(2))
        .Select(turns => new SvitConversation { Content = turns })
        .ToList();

    /// <summary>Whether one follow-up request (<see cref="ResponseParser.RepairRequest"/>) is worth sending.</summary>
    public bool NeedsRepair => Problems.Any(p => p.Repairable);

    /// <summary>Whether anything can be kept: at least one pair.</summary>
    public bool Usable => PairCount > 0;
}

/// <summary>A detail description as found in an answer, and what was wrong with it.</summary>
public sealed record DetailParseResult(string Description, IReadOnlyList<ParseProblem> Problems)
{
    public bool NeedsRepair => Problems.Any(p => p.Repairable);

    public bool Usable => Description.Length > 0;
}

/// <summary>
/// Reads what a model wrote back, in the forms models really use. Labels: <c>Question:</c>/<c>Answer:</c>,
/// <c>Q:</c>/<c>A:</c>, <c>User:</c>/<c>GPT:</c>, <c>Human:</c>/<c>Assistant:</c> (any case), with the text on the
/// same line or the lines after; numbered (<c>1.</c>, <c>1)</c>, <c>Q1:</c>, <c>Question 1:</c>), bulleted or in
/// markdown (<c>**Question:**</c>, <c>### Topic: ...</c>). <c>Topic:</c> or <c>Conversation N</c> lines, and markdown
/// headings directly followed by a question, start a new conversation. Lines of <c>===</c>, <c>---</c> and code fences are separators. Text before the
/// first label is ignored; a closing paragraph of chatter ("Let me know if...") is cut off an answer. A question and its
/// answer on one line (<c>Q: ... A: ...</c>) are split, and a numbered line ending in <c>?</c> just before an
/// answer counts as its question.
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
    private enum BlockKind
    {
        Topic,
        Question,
        Answer,
    }

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
        var blocks = Tokenize(text);
        var conversations = new List<(string? Topic, int Line, List<SvitTurn> Turns)>();
        bool sawTopic = false;
        var pairs = Pair(blocks, problems, onTopic: block =>
        {
            sawTopic = true;
            string? topic = CleanTopic(block.Text);
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
            problems.Add(new ParseProblem(ParseProblem.EmptyConversation, $"the conversation{name} at line {line} has no question-answer pairs", line));
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
                problems.Add(new ParseProblem(ParseProblem.ConversationCount, Inv($"expected {expectedConversations} conversations, found {conversations.Count}")));
            }
            else if (conversations.Count > expectedConversations)
            {
                problems.Add(new ParseProblem(ParseProblem.TooMany, Inv($"expected {expectedConversations} conversations, found {conversations.Count}; all are kept")));
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
                            ? new ParseProblem(ParseProblem.ConversationPairs, message, conversations[i].Line == 0 ? null : conversations[i].Line)
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
        int pairs = Pair(Tokenize(text), problems, onTopic: _ => { }, onPair: (q, a) =>
            result.Add(new ParsedConversation(null, new SvitConversation { Content = [new SvitTurn(SvitTurn.User, q.Text), new SvitTurn(SvitTurn.Gpt, a.Text)] })));
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
        var lines = SplitLines(text).Where(l => !Fence().IsMatch(l)).ToList();
        // A leading title (markdown heading or a lone bold line) and a "Description:" label go.
        int first = lines.FindIndex(l => l.Trim().Length > 0);
        if (first >= 0 && (Heading().IsMatch(lines[first]) || LoneBold().IsMatch(lines[first])))
        {
            lines.RemoveAt(first);
        }

        string body = string.Join('\n', lines).Trim();
        var label = DescriptionLabel().Match(body);
        if (label.Success)
        {
            body = body[label.Length..].Trim();
        }

        body = TrimChatter(body, leading: true);
        if (body.Length == 0)
        {
            problems.Add(new ParseProblem(ParseProblem.Empty, "the description is empty"));
        }
        else
        {
            int labelLines = SplitLines(body).Count(l => LabelLine().Match(l) is { Success: true } m && KindOf(m.Groups["label"].Value) != BlockKind.Topic);
            if (labelLines >= 2)
            {
                problems.Add(new ParseProblem(ParseProblem.QaFormat, "the description is written as questions and answers; write one plain description instead"));
            }

            if (AnnotationMention().Match(body) is { Success: true } mention)
            {
                problems.Add(new ParseProblem(ParseProblem.MentionsAnnotations,
                    $"the description mentions \"{mention.Value}\"; describe the picture as seen, without boxes, coordinates or the given descriptions"));
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

        sb.Append("Please write your whole answer again, complete, in exactly the format asked for at the start, with nothing before or after it.");
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

    private sealed class Block(BlockKind kind, int line)
    {
        public BlockKind Kind { get; } = kind;

        public int Line { get; } = line;

        public List<string> Lines { get; } = [];

        /// <summary>A question written wholly in bold (<c>**Q1: ...?**</c>): unlabelled lines after it are its answer.</summary>
        public bool AnswerFollows { get; init; }

        public string Text { get; set; } = "";
    }

    /// <summary>Pairs questions with answers; reports the broken pieces. Returns the number of pairs.</summary>
    private static int Pair(List<Block> blocks, List<ParseProblem> problems, Action<Block> onTopic, Action<Block, Block> onPair)
    {
        Block? pending = null;
        int questionNumber = 0;
        int pairs = 0;
        foreach (var block in blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Topic:
                    if (pending is not null)
                    {
                        problems.Add(new ParseProblem(ParseProblem.Unanswered, Inv($"question {questionNumber} (line {pending.Line}) has no answer"), pending.Line));
                        pending = null;
                    }

                    onTopic(block);
                    break;
                case BlockKind.Question:
                    questionNumber++;
                    if (pending is not null)
                    {
                        problems.Add(new ParseProblem(ParseProblem.TwoQuestions,
                            Inv($"two questions in a row at line {block.Line}: question {questionNumber - 1} (line {pending.Line}) has no answer"), block.Line));
                    }

                    pending = block;
                    break;
                case BlockKind.Answer:
                    if (pending is null)
                    {
                        problems.Add(new ParseProblem(ParseProblem.AnswerWithoutQuestion, Inv($"the answer at line {block.Line} has no question before it"), block.Line));
                        break;
                    }

                    if (pending.Text.Length == 0)
                    {
                        problems.Add(new ParseProblem(ParseProblem.EmptyQuestion, Inv($"question {questionNumber} (line {pending.Line}) is empty"), pending.Line));
                    }
                    else if (block.Text.Length == 0)
                    {
                        problems.Add(new ParseProblem(ParseProblem.EmptyAnswer, Inv($"answer {questionNumber} (line {block.Line}) is empty"), block.Line));
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
            problems.Add(new ParseProblem(ParseProblem.Unanswered, Inv($"the last question (question {questionNumber}, line {pending.Line}) has no answer"), pending.Line));
        }

        return pairs;
    }

    private static List<Block> Tokenize(string text)
    {
        var blocks = new List<Block>();
        var preamble = new List<string>();
        Block? current = null;
        var lines = SplitLines(text);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            int number = i + 1;
            if (Fence().IsMatch(line) || Rule().IsMatch(line))
            {
                continue;
            }

            var label = LabelLine().Match(line);
            if (label.Success)
            {
                var kind = KindOf(label.Groups["label"].Value);
                string rest = StripClosingBold(label.Groups["rest"].Value);
                if (kind == BlockKind.Answer)
                {
                    DetachNumberedQuestion(current is null ? preamble : current.Kind == BlockKind.Question ? null : current.Lines, blocks, number);
                }

                bool wholeBold = kind == BlockKind.Question && rest.Length > 0 && rest.Length < label.Groups["rest"].Value.TrimEnd().Length;
                current = new Block(kind, number) { AnswerFollows = wholeBold };
                blocks.Add(current);
                if (kind == BlockKind.Question && InlineAnswer().Match(rest) is { Success: true } inline)
                {
                    current.Lines.Add(rest[..inline.Index]);
                    current = new Block(BlockKind.Answer, number);
                    blocks.Add(current);
                    current.Lines.Add(StripClosingBold(rest[(inline.Index + inline.Length)..]));
                }
                else
                {
                    current.Lines.Add(rest);
                }

                continue;
            }

            var topic = TopicHeading().Match(line);
            if (topic.Success && (topic.Groups["num"].Success || topic.Groups["mark"].Success || topic.Groups["rest"].Length == 0)
                || (Heading().IsMatch(line) && QuestionOrTopicFollows(lines, i + 1)))
            {
                current = new Block(BlockKind.Topic, number);
                blocks.Add(current);
                current.Lines.Add(topic.Success ? topic.Groups["rest"].Value : line);
                continue;
            }

            if (current is { Kind: BlockKind.Question, AnswerFollows: true } && line.Trim().Length > 0)
            {
                current = new Block(BlockKind.Answer, number);
                blocks.Add(current);
            }

            (current?.Lines ?? preamble).Add(line);
        }

        for (int b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b];
            string joined = string.Join('\n', block.Lines).Trim();
            block.Text = block.Kind == BlockKind.Answer ? TrimChatter(joined, leading: false, last: b == blocks.Count - 1) : joined;
        }

        return blocks;
    }

    /// <summary>
    /// Whether the next line with text is a question or topic label: a markdown heading is a conversation's title only
    /// then; a heading inside a long answer ("### Safety tips" then text) stays part of the answer.
    /// </summary>
    private static bool QuestionOrTopicFollows(List<string> lines, int from)
    {
        for (int i = from; i < lines.Count; i++)
        {
            if (lines[i].Trim().Length == 0 || Rule().IsMatch(lines[i]) || Fence().IsMatch(lines[i]))
            {
                continue;
            }

            var label = LabelLine().Match(lines[i]);
            return (label.Success && KindOf(label.Groups["label"].Value) != BlockKind.Answer)
                || TopicHeading().IsMatch(lines[i]) || NumberedQuestion().IsMatch(lines[i]);
        }

        return false;
    }

    /// <summary>
    /// "1. What is ...?" followed by "Answer: ...": the numbered question line (the last non-blank line before the
    /// answer label) becomes a question block.
    /// </summary>
    private static void DetachNumberedQuestion(List<string>? lines, List<Block> blocks, int answerLine)
    {
        if (lines is null)
        {
            return;
        }

        int last = lines.FindLastIndex(l => l.Trim().Length > 0);
        if (last < 0 || NumberedQuestion().Match(lines[last]) is not { Success: true } m)
        {
            return;
        }

        int lineNumber = answerLine - (lines.Count - last);
        lines.RemoveRange(last, lines.Count - last);
        var question = new Block(BlockKind.Question, lineNumber);
        question.Lines.Add(m.Groups["q"].Value);
        blocks.Add(question);
    }

    private static BlockKind KindOf(string label) => label.ToLowerInvariant() switch
    {
        "question" or "q" or "user" or "human" => BlockKind.Question,
        "topic" or "conversation" => BlockKind.Topic,
        _ => BlockKind.Answer,
    };

    /// <summary>Drops a trailing <c>**</c> or <c>__</c> left over from a bold label (<c>**Q: text**</c>).</summary>
    private static string StripClosingBold(string rest)
    {
        rest = rest.TrimEnd();
        foreach (string mark in (ReadOnlySpan<string>)["**", "__"])
        {
            if (rest.EndsWith(mark, StringComparison.Ordinal) && Occurrences(rest, mark) % 2 == 1)
            {
                return rest[..^mark.Length].TrimEnd();
            }
        }

        return rest;
    }

    private static int Occurrences(string text, string mark)
    {
        int count = 0;
        for (int i = text.IndexOf(mark, StringComparison.Ordinal); i >= 0; i = text.IndexOf(mark, i + mark.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string? CleanTopic(string text)
    {
        string topic = text.Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal)
            .Trim().TrimStart('#').Trim().Trim('"', '\'', '“', '”').TrimEnd(':').Trim();
        return topic.Length == 0 ? null : topic;
    }

    /// <summary>Cuts paragraphs of chatter off the end (and, when asked, the start) of a text.</summary>
    private static string TrimChatter(string text, bool leading, bool last = true)
    {
        while (true)
        {
            var breaks = ParagraphBreak().Matches(text);
            if (breaks.Count == 0)
            {
                break;
            }

            var lastBreak = breaks[^1];
            string tail = text[(lastBreak.Index + lastBreak.Length)..];
            if (!ClosingChatter().IsMatch(tail))
            {
                break;
            }

            text = text[..lastBreak.Index].TrimEnd();
        }

        if (last)
        {
            // The last answer may end with a chatter line without a blank line before it.
            int newline = text.LastIndexOf('\n');
            if (newline > 0 && ClosingChatter().IsMatch(text[(newline + 1)..]))
            {
                text = text[..newline].TrimEnd();
            }
        }

        if (leading)
        {
            var first = ParagraphBreak().Match(text);
            if (first.Success)
            {
                string head = text[..first.Index];
                bool colon = head.TrimEnd().EndsWith(':');
                if ((OpeningChatter().IsMatch(head) && (colon || head.Split(' ').Length <= 30)) || (HereIs().IsMatch(head) && colon))
                {
                    text = text[(first.Index + first.Length)..].Trim();
                }
            }
        }

        return text;
    }

    private static List<string> SplitLines(string text) =>
        [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')];

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A labelled line: bullets, quote marks, headings, numbering and bold around the label are allowed.</summary>
    [GeneratedRegex(@"^[ \t]*(?:(?:[-*+•>][ \t]+|#{1,6}[ \t]*))*(?:\(?[0-9]{1,3}[.)][ \t]*)?(?:\*\*|__)?[ \t]*(?<label>question|answer|q|a|user|human|gpt|assistant|ai|response|topic|conversation)(?:[ \t]*\#?(?<num>[0-9]{1,3}))?[ \t]*(?:\*\*|__)?[ \t]*(?:[:：]|(?<=[0-9](?:\*\*|__)?[ \t]*)[.)])(?:[ \t]*(?:\*\*|__)(?=[ \t]|$))?[ \t]*(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LabelLine();

    /// <summary>A topic line without a colon: <c>### Conversation 2</c>, <c>**Topic 1 - Safety**</c>, <c>Conversation 3</c>.</summary>
    [GeneratedRegex(@"^[ \t]*(?<mark>#{1,6}[ \t]*|\*\*|__)?[ \t]*(?:topic|conversation)[ \t]*\#?(?<num>[0-9]{1,3})?[ \t]*(?:[-–—][ \t]*(?<rest>.*?))?[ \t]*(?:\*\*|__)?[ \t]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TopicHeading();

    [GeneratedRegex(@"^[ \t]*#{1,6}[ \t]+\S")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[ \t]*(?:\*\*|__)[^*_]+(?:\*\*|__)[ \t]*:?[ \t]*$")]
    private static partial Regex LoneBold();

    [GeneratedRegex(@"^[ \t]*(?:```|~~~)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^[ \t]*(?:={3,}|-{3,}|\*{3,}|_{3,})[ \t]*$")]
    private static partial Regex Rule();

    /// <summary>The answer label inside a question line: <c>Q: ... A: ...</c>, <c>Question: ... Answer: ...</c>.</summary>
    [GeneratedRegex(@"[ \t]+(?:\*\*|__)?(?:Answer|ANSWER|answer|A|GPT|Assistant)(?:[ \t]*[0-9]{1,3})?(?:\*\*|__)?[ \t]*[:：](?:[ \t]*(?:\*\*|__))?[ \t]*", RegexOptions.CultureInvariant)]
    private static partial Regex InlineAnswer();

    [GeneratedRegex(@"^[ \t]*(?:[-*+•][ \t]+)?(?:\*\*|__)?[ \t]*\(?[0-9]{1,3}[.)][ \t]*(?:\*\*|__)?[ \t]*(?<q>[^\n]*\?)[ \t]*(?:\*\*|__)?[ \t]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedQuestion();

    [GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"^\s*(?:let me know|i hope|hope (?:this|these|that)|feel free|if you (?:need|want|have|would|'d)|is there anything|these (?:questions|conversations|pairs|question-answer)|this (?:concludes|set of)|that'?s all|enjoy|happy to help)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClosingChatter();

    [GeneratedRegex(@"^\s*(?:sure|certainly|of course|absolutely|okay|ok|alright|great)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpeningChatter();

    [GeneratedRegex(@"^\s*(?:here(?:'s| is| are)|below is|the following is)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HereIs();

    [GeneratedRegex(@"^(?:\*\*|__)?[ \t]*(?:detailed[ \t]+)?(?:description|answer|response)[ \t]*(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DescriptionLabel();

    [GeneratedRegex(@"bounding box(?:es)?|\bcoordinates?\b|\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\]|\bthe (?:given|provided) (?:captions?|descriptions?|information|annotations?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnnotationMention();
}
