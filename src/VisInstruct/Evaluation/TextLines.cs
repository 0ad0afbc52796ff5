using System.Text;
using VisInstruct.Json;

namespace VisInstruct.Evaluation;

/// <summary>One line of a text file, with where it starts (1-based line, 0-based byte offset) for error messages.</summary>
public readonly record struct TextLine(int Number, long Offset, string Text)
{
    /// <summary>An error about this line of <paramref name="file"/>.</summary>
    public InputFormatException Error(string file, string message, string? field = null) =>
        new(file, message, new SourcePosition(Number, 1, Offset), field, Number - 1);
}

/// <summary>Reads a UTF-8 text file line by line (<c>\n</c> or <c>\r\n</c>), keeping each line's byte offset.</summary>
public static class TextLines
{
    public static IEnumerable<TextLine> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = File.ReadAllBytes(path);
        int start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        int number = 0;
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            int stop = end < 0 ? bytes.Length : end;
            int length = stop - start;
            if (length > 0 && bytes[stop - 1] == '\r')
            {
                length--;
            }

            number++;
            yield return new TextLine(number, start, Encoding.UTF8.GetString(bytes, start, length));
            start = stop + 1;
        }
    }
}
