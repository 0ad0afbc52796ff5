using System.Text.Json;
using VisInstruct.Evaluation;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Evaluation;

/// <summary>Answer files for the scorer tests, written as LLaVA's model_vqa writes them.</summary>
internal static class EvalFiles
{
    public static IReadOnlyList<ModelAnswer> Answers(TempDir temp, params (object Id, string Text)[] answers) =>
        Answers(temp, answers.Select(a => (a.Id, "", a.Text)).ToArray());

    public static IReadOnlyList<ModelAnswer> Answers(TempDir temp, (object Id, string Prompt, string Text)[] answers)
    {
        string path = temp.File("answers.jsonl");
        File.WriteAllLines(path, answers.Select(a => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["question_id"] = a.Id, ["prompt"] = a.Prompt, ["text"] = a.Text, ["answer_id"] = "x", ["model_id"] = "m",
            ["metadata"] = new Dictionary<string, object>(),
        })));
        return AnswerFile.Read(path);
    }

    public static string Write(TempDir temp, string name, string text)
    {
        string path = temp.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public static string Lines(params object[] records) => string.Join("\n", records.Select(r => JsonSerializer.Serialize(r))) + "\n";
}
