using System.Text.RegularExpressions;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The line-level reading of a model's answer for <see cref="ResponseParser"/>: labelled lines (questions, answers,
/// topics) into blocks, separators and code fences skipped, chatter trimmed off. The patterns of what models write live here.
/// </summary>
internal static partial class AnswerText
{
    internal enum BlockKind
    {
        Topic,
        Question,
        Answer,
    }

    internal sealed class Block(BlockKind kind, int line)
    {
        public BlockKind Kind { get; } = kind;

        public int Line { get; } = line;

        public List<string> Lines { get; } = [];

        /// <summary>A question written wholly in bold (<c>**Q1: ...?**</c>): unlabelled lines after it are its answer.</summary>
        public bool AnswerFollows { get; init; }

        public string Text { get; set; } = "";
    }

    internal static List<Block> Tokenize(string text)
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
                    var before = current is null ? preamble : current.Kind == BlockKind.Question ? null : current.Lines;
                    DetachNumberedQuestion(before, blocks, number);
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

    internal static BlockKind KindOf(string label) => label.ToLowerInvariant() switch
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
        for (int i = text.IndexOf(mark, StringComparison.Ordinal); i >= 0;
            i = text.IndexOf(mark, i + mark.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    internal static string? CleanTopic(string text)
    {
        string topic = text.Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal)
            .Trim().TrimStart('#').Trim().Trim('"', '\'', '“', '”').TrimEnd(':').Trim();
        return topic.Length == 0 ? null : topic;
    }

    /// <summary>Cuts paragraphs of chatter off the end (and, when asked, the start) of a text.</summary>
    internal static string TrimChatter(string text, bool leading, bool last = true)
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

    internal static List<string> SplitLines(string text) =>
        [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')];

    /// <summary>A labelled line: bullets, quote marks, headings, numbering and bold around the label are allowed.</summary>
    [GeneratedRegex(
        @"^[ \t]*(?:(?:[-*+•>][ \t]+|#{1,6}[ \t]*))*(?:\(?[0-9]{1,3}[.)][ \t]*)?(?:\*\*|__)?[ \t]*"
        + @"(?<label>question|answer|q|a|user|human|gpt|assistant|ai|response|topic|conversation)(?:[ \t]*\#?"
        + @"(?<num>[0-9]{1,3}))?[ \t]*(?:\*\*|__)?[ \t]*(?:[:：]|(?<=[0-9](?:\*\*|__)?[ \t]*)[.)])(?:[ \t]*"
        + @"(?:\*\*|__)(?=[ \t]|$))?[ \t]*(?<rest>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex LabelLine();

    /// <summary>A topic line without a colon: <c>### Conversation 2</c>, <c>**Topic 1 - Safety**</c>, <c>Conversation 3</c>.</summary>
    [GeneratedRegex(
        @"^[ \t]*(?<mark>#{1,6}[ \t]*|\*\*|__)?[ \t]*(?:topic|conversation)[ \t]*\#?(?<num>[0-9]{1,3})?[ \t]*"
        + @"(?:[-–—][ \t]*(?<rest>.*?))?[ \t]*(?:\*\*|__)?[ \t]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TopicHeading();

    [GeneratedRegex(@"^[ \t]*#{1,6}[ \t]+\S")]
    internal static partial Regex Heading();

    [GeneratedRegex(@"^[ \t]*(?:\*\*|__)[^*_]+(?:\*\*|__)[ \t]*:?[ \t]*$")]
    internal static partial Regex LoneBold();

    [GeneratedRegex(@"^[ \t]*(?:```|~~~)")]
    internal static partial Regex Fence();

    [GeneratedRegex(@"^[ \t]*(?:={3,}|-{3,}|\*{3,}|_{3,})[ \t]*$")]
    private static partial Regex Rule();

    /// <summary>The answer label inside a question line: <c>Q: ... A: ...</c>, <c>Question: ... Answer: ...</c>.</summary>
    [GeneratedRegex(
        @"[ \t]+(?:\*\*|__)?(?:Answer|ANSWER|answer|A|GPT|Assistant)(?:[ \t]*[0-9]{1,3})?(?:\*\*|"
        + @"__)?[ \t]*[:：](?:[ \t]*(?:\*\*|__))?[ \t]*",
        RegexOptions.CultureInvariant)]
    private static partial Regex InlineAnswer();

    [GeneratedRegex(
        @"^[ \t]*(?:[-*+•][ \t]+)?(?:\*\*|__)?[ \t]*\(?[0-9]{1,3}[.)][ \t]*(?:\*\*|__)?[ \t]*"
        + @"(?<q>[^\n]*\?)[ \t]*(?:\*\*|__)?[ \t]*$",
        RegexOptions.CultureInvariant)]
    private static partial Regex NumberedQuestion();

    [GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(
        @"^\s*(?:let me know|i hope|hope (?:this|these|that)|feel free|if you (?:need|want|have|would|'d)|"
        + @"is there anything|these (?:questions|conversations|pairs|question-answer)|this (?:concludes|set of)|"
        + @"that'?s all|enjoy|happy to help)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClosingChatter();

    [GeneratedRegex(
        @"^\s*(?:sure|certainly|of course|absolutely|okay|ok|alright|great)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpeningChatter();

    [GeneratedRegex(@"^\s*(?:here(?:'s| is| are)|below is|the following is)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HereIs();
}
