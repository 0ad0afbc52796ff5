using System.Text;
using VisInstruct.Json;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The instructions a detail description is paired with (one is picked per image): VisInstruct's own list, or a file
/// with one per line such as SVIT's <c>data/questions.txt</c>.
/// </summary>
public static class DetailQuestions
{
    private static readonly Lazy<IReadOnlyList<string>> BuiltIn = new(() =>
        Lines(PromptSet.BuiltInText("detail_questions.txt")
            ?? throw new InvalidOperationException("the built-in detail questions are missing from the assembly")));

    /// <summary>VisInstruct's own instructions asking for a detailed description.</summary>
    public static IReadOnlyList<string> Default => BuiltIn.Value;

    /// <summary>
    /// Instructions from a file: one per line (LF or CRLF), surrounding spaces trimmed, blank lines ignored; the last line
    /// needs no newline.
    /// </summary>
    public static IReadOnlyList<string> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new InputFormatException(path, "this is a folder; the detail questions are a text file, one per line");
        }

        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(path, "detail questions file not found", innerException: ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new InputFormatException(path, "cannot read the detail questions file: " + ex.Message, innerException: ex);
        }

        var lines = Lines(text);
        return lines.Count == 0 ? throw new InputFormatException(path, "the detail questions file has no questions") : lines;
    }

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
