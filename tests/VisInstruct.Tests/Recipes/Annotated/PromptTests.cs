using System.Text;
using VisInstruct.Json;
using VisInstruct.Recipes.Annotated;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes.Annotated;

public class PromptTests
{
    private static string SvitPrompts => Paths.External("svit", "prompts");

    private static string LlavaPrompts => Paths.External("llava", "playground", "data", "prompts");

    private static IReadOnlyList<AnnotatedTask> SvitTasks => [.. SvitRecipe.Instance.TaskWriters.Select(t => t.Task)];

    private static IReadOnlyList<AnnotatedTask> LlavaTasks => [.. LlavaInstructRecipe.Instance.TaskWriters.Select(t => t.Task)];

    [Fact]
    public void Tasks_HaveTheirFileNames()
    {
        Assert.Equal(["conversation", "complex_reasoning", "detail_description", "referring_qa"], SvitTasks.Select(t => t.FileName()));
        Assert.Equal(3, LlavaTasks.Count);
        Assert.DoesNotContain(AnnotatedTask.ReferringQa, LlavaTasks);
        Assert.True(AnnotatedTasks.TryParse("referring-qa", out var task));
        Assert.Equal(AnnotatedTask.ReferringQa, task);
        Assert.False(AnnotatedTasks.TryParse("captioning", out _));
        Assert.Equal(new TaskShape(3, 5), SvitRecipe.Instance.Writer(AnnotatedTask.Conversation).Shape);
        Assert.Equal(15, SvitRecipe.Instance.Writer(AnnotatedTask.ComplexReasoning).Shape.TotalPairs);
        Assert.Null(LlavaInstructRecipe.Instance.Writer(AnnotatedTask.Conversation).Shape.TotalPairs);
        Assert.Throws<ArgumentException>(() => LlavaInstructRecipe.Instance.Writer(AnnotatedTask.ReferringQa));
    }

    [Fact]
    public void SvitDefaults_AskForTheTasksAndFormatsTheParserReads()
    {
        var set = PromptSet.Defaults(SvitRecipe.Instance);
        Assert.Equal(4, set.Tasks.Count);
        foreach (var (task, prompt) in set.Tasks)
        {
            Assert.Empty(prompt.FewShot);
            Assert.StartsWith("built-in default", prompt.Source, StringComparison.Ordinal);
            Assert.False(prompt.System.EndsWith('\n'));
            Assert.Contains("[x1, y1, x2, y2]", prompt.System, StringComparison.Ordinal);
            Assert.Contains("(1) captions", prompt.System, StringComparison.Ordinal);
            Assert.Contains("(3) regions", prompt.System, StringComparison.Ordinal);
            Assert.Contains("as if you were looking at the picture", prompt.System, StringComparison.Ordinal);
        }

        Assert.Contains("three separate conversations", set[AnnotatedTask.Conversation].System, StringComparison.Ordinal);
        Assert.Contains("exactly five questions", set[AnnotatedTask.Conversation].System, StringComparison.Ordinal);
        Assert.Contains("Topic: <topic", set[AnnotatedTask.Conversation].System, StringComparison.Ordinal);
        Assert.Contains("User: <question>\nGPT: <answer>", set[AnnotatedTask.Conversation].System, StringComparison.Ordinal);
        Assert.Contains("Write 15 question-and-answer pairs", set[AnnotatedTask.ComplexReasoning].System, StringComparison.Ordinal);
        Assert.EndsWith("Question: <question>\nAnswer: <answer>", set[AnnotatedTask.ComplexReasoning].System, StringComparison.Ordinal);
        Assert.Contains("Write 10 question-and-answer pairs", set[AnnotatedTask.ReferringQa].System, StringComparison.Ordinal);
        Assert.Contains("<st>dog<ed> [0.12, 0.4, 0.47, 0.93]", set[AnnotatedTask.ReferringQa].System, StringComparison.Ordinal);
        Assert.Contains("<st>cups<ed> [x1, y1, x2, y2], [x1, y1, x2, y2]", set[AnnotatedTask.ReferringQa].System, StringComparison.Ordinal);
        Assert.Contains("at least one object", set[AnnotatedTask.ReferringQa].System, StringComparison.Ordinal);
        Assert.Contains("Describe the picture in detail", set[AnnotatedTask.DetailDescription].System, StringComparison.Ordinal);
    }

    [Fact]
    public void LlavaDefaults_HaveOwnFewShotExamplesThatParse()
    {
        var set = PromptSet.Defaults(LlavaInstructRecipe.Instance);
        Assert.Equal(3, set.Tasks.Count);
        foreach (var (_, prompt) in set.Tasks)
        {
            Assert.Single(prompt.FewShot);
            Assert.False(prompt.FewShot[0].User.EndsWith('\n'));
            Assert.False(prompt.FewShot[0].Assistant.EndsWith('\n'));
        }

        Assert.DoesNotContain("\n\n", set[AnnotatedTask.Conversation].FewShot[0].User, StringComparison.Ordinal);
        Assert.Contains("\n\nperson: [", set[AnnotatedTask.ComplexReasoning].FewShot[0].User, StringComparison.Ordinal);
        var conversation = ResponseParser.ParseConversations(set[AnnotatedTask.Conversation].FewShot[0].Assistant, 1, null);
        Assert.Empty(conversation.Problems);
        Assert.Equal(4, conversation.PairCount);
        var complex = ResponseParser.ParseQa(set[AnnotatedTask.ComplexReasoning].FewShot[0].Assistant, 1);
        Assert.Empty(complex.Problems);
        var detail = ResponseParser.ParseDetail(set[AnnotatedTask.DetailDescription].FewShot[0].Assistant);
        Assert.Empty(detail.Problems);
        Assert.Equal(set[AnnotatedTask.DetailDescription].FewShot[0].Assistant, detail.Description);
        Assert.Contains("===\nAnswer:\n<answer>", set[AnnotatedTask.Conversation].System, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreTheProjectsOwnWords()
    {
        // No sentence of the original prompts appears in the defaults.
        var originals =
            Directory.EnumerateFiles(SvitPrompts).Concat(Directory.EnumerateFiles(LlavaPrompts, "*.txt", SearchOption.AllDirectories))
            .SelectMany(f => File.ReadAllText(f).Split(['.', '\n', '!', '?'], StringSplitOptions.TrimEntries))
            .Where(s => s.Length >= 30)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(originals.Count > 50);
        var ours =
            PromptSet.Defaults(SvitRecipe.Instance).Tasks.Values.Concat(PromptSet.Defaults(LlavaInstructRecipe.Instance).Tasks.Values)
            .SelectMany(p => p.FewShot.SelectMany(f => new[] { f.User, f.Assistant }).Append(p.System))
            .Concat(DetailQuestions.Default)
            .ToList();
        foreach (string text in ours)
        {
            foreach (string sentence in originals)
            {
                Assert.DoesNotContain(sentence, text, StringComparison.OrdinalIgnoreCase);
            }
        }

        var svitQuestions = DetailQuestions.Load(Paths.External("svit", "data", "questions.txt"));
        Assert.Empty(DetailQuestions.Default.Intersect(svitQuestions, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Load_SvitFolderGivesTheFilesBytesAsTheyAre()
    {
        var set = PromptSet.Load(SvitPrompts, SvitRecipe.Instance);
        foreach (var task in SvitTasks)
        {
            string path = Path.Combine(SvitPrompts, task.FileName() + ".txt");
            Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(path)), set[task].System);
            Assert.Equal(path, set[task].Source);
            Assert.Empty(set[task].FewShot);
        }

        var messages = set.BuildMessages(AnnotatedTask.ComplexReasoning, "(1) captions:\n(2) objects:\n(3) regions:");
        Assert.Equal(2, messages.Count);
        Assert.Equal(("system", set[AnnotatedTask.ComplexReasoning].System), messages[0]);
        Assert.Equal(("user", "(1) captions:\n(2) objects:\n(3) regions:"), messages[1]);
    }

    [Fact]
    public void Load_LlavaFolderGivesSystemAndPairsInOrder()
    {
        var set = PromptSet.Load(LlavaPrompts, LlavaInstructRecipe.Instance);
        var complex = set[AnnotatedTask.ComplexReasoning];
        Assert.Equal(3, complex.FewShot.Count);
        for (int i = 0; i < 3; i++)
        {
            string stem = Path.Combine(LlavaPrompts, "complex_reasoning", $"00{i}");
            Assert.Equal(File.ReadAllText(stem + "_caps.txt"), complex.FewShot[i].User);
            Assert.Equal(File.ReadAllText(stem + "_conv.txt"), complex.FewShot[i].Assistant);
        }

        Assert.Equal(File.ReadAllText(Path.Combine(LlavaPrompts, "complex_reasoning", "system_message.txt")), complex.System);
        Assert.Equal(2, set[AnnotatedTask.Conversation].FewShot.Count);
        Assert.Equal(3, set[AnnotatedTask.DetailDescription].FewShot.Count);

        var messages = set.BuildMessages(AnnotatedTask.Conversation, "five\ncaptions");
        Assert.Equal(["system", "user", "assistant", "user", "assistant", "user"], messages.Select(m => m.Role));
        Assert.Equal(set[AnnotatedTask.Conversation].FewShot[1].Assistant, messages[4].Content);
        Assert.Equal("five\ncaptions", messages[^1].Content);
        Assert.Throws<ArgumentException>(() => set.BuildMessages(AnnotatedTask.ReferringQa, "x"));
    }

    [Fact]
    public void Load_MissingTaskFallsBackToTheDefaultAndSaysSo()
    {
        using var temp = new TempDir();
        temp.Write("complex_reasoning.txt", "My own prompt.\n");
        var set = PromptSet.Load(temp.Path, SvitRecipe.Instance);
        Assert.Equal("My own prompt.\n", set[AnnotatedTask.ComplexReasoning].System);
        var fallback = set[AnnotatedTask.ReferringQa];
        Assert.Equal(PromptSet.Defaults(SvitRecipe.Instance)[AnnotatedTask.ReferringQa].System, fallback.System);
        Assert.Contains("built-in default", fallback.Source, StringComparison.Ordinal);
        Assert.Contains("no referring_qa.txt in", fallback.Source, StringComparison.Ordinal);

        var llava = PromptSet.Load(temp.Path, LlavaInstructRecipe.Instance);
        Assert.All(llava.Tasks.Values, p => Assert.Contains("built-in default (no ", p.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_PairsInNumericOrder()
    {
        using var temp = new TempDir();
        temp.Write("detail_description/system_message.txt", "system");
        foreach (string n in new[] { "10", "2", "001" })
        {
            temp.Write($"detail_description/{n}_caps.txt", "caps " + n);
            temp.Write($"detail_description/{n}_conv.txt", "conv " + n);
        }

        temp.Write("detail_description/notes.md", "ignored");
        var prompt = PromptSet.Load(temp.Path, LlavaInstructRecipe.Instance)[AnnotatedTask.DetailDescription];
        Assert.Equal([("caps 001", "conv 001"), ("caps 2", "conv 2"), ("caps 10", "conv 10")], prompt.FewShot);
        Assert.Equal("system", prompt.System);
    }

    [Fact]
    public void Load_BadFilesNameTheFile()
    {
        using var temp = new TempDir();
        string empty = temp.Write("conversation.txt", "  \n");
        var ex = Assert.Throws<InputFormatException>(() => PromptSet.Load(temp.Path, SvitRecipe.Instance));
        Assert.Equal(empty, ex.File);
        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);

        string invalid = temp.Write("conversation.txt", [0x48, 0xFF, 0x48]);
        ex = Assert.Throws<InputFormatException>(() => PromptSet.Load(temp.Path, SvitRecipe.Instance));
        Assert.Equal(invalid, ex.File);
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);

        temp.Write("conversation/system_message.txt", "system");
        string caps = temp.Write("conversation/003_caps.txt", "caps");
        ex = Assert.Throws<InputFormatException>(() => PromptSet.Load(temp.Path, LlavaInstructRecipe.Instance));
        Assert.Equal(caps, ex.File);
        Assert.Contains("003_conv.txt", ex.Message, StringComparison.Ordinal);

        File.Delete(caps);
        string conv = temp.Write("conversation/004_conv.txt", "conv");
        ex = Assert.Throws<InputFormatException>(() => PromptSet.Load(temp.Path, LlavaInstructRecipe.Instance));
        Assert.Equal(conv, ex.File);

        File.Delete(conv);
        File.Delete(temp.File("conversation", "system_message.txt"));
        ex = Assert.Throws<InputFormatException>(() => PromptSet.Load(temp.Path, LlavaInstructRecipe.Instance));
        Assert.Equal(temp.File("conversation", "system_message.txt"), ex.File);

        ex = Assert.Throws<InputFormatException>(() => PromptSet.Load(temp.File("nowhere"), SvitRecipe.Instance));
        Assert.Equal(temp.File("nowhere"), ex.File);
    }

    [Fact]
    public void DetailQuestions_DefaultsAndSvitFile()
    {
        Assert.True(DetailQuestions.Default.Count >= 20);
        Assert.Equal(DetailQuestions.Default.Count, DetailQuestions.Default.Distinct(StringComparer.Ordinal).Count());
        Assert.All(DetailQuestions.Default, q => Assert.Equal(q.Trim(), q));

        var svit = DetailQuestions.Load(Paths.External("svit", "data", "questions.txt"));
        Assert.Equal(34, svit.Count);
        Assert.Equal("Can you provide a comprehensive description of the image?", svit[0]);
        Assert.Equal("Disclose every detail you see in the image.", svit[^1]);

        using var temp = new TempDir();
        Assert.Equal(["One?", "Two."], DetailQuestions.Load(temp.Write("q.txt", "One?\r\n\r\n  \nTwo.\n")));
        string blank = temp.Write("blank.txt", "\n\n");
        Assert.Equal(blank, Assert.Throws<InputFormatException>(() => DetailQuestions.Load(blank)).File);
        Assert.Equal(temp.File("none.txt"), Assert.Throws<InputFormatException>(() => DetailQuestions.Load(temp.File("none.txt"))).File);
    }
}
