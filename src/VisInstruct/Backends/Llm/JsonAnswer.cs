using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace VisInstruct.Backends.Llm;

/// <summary>How a model's answer is read as JSON: leniently, the way LLMs write it.</summary>
public static class JsonAnswer
{
    /// <summary>Reads a JSON answer the way LLMs write them: in code fences, with prose around, trailing commas.</summary>
    public static bool TryRead<T>(string text, JsonTypeInfo<T> type, Func<T, string?>? validate, out T value, out string reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(type);
        value = default!;
        string? json = ExtractJson(ReplyText.WithoutReasoning(text));
        if (json is null)
        {
            reason = text.Trim().Length == 0 ? "the answer is empty" : "the answer contains no JSON object or array";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip });
            // Re-written strictly (no trailing commas, no comments) before the typed read, whose options are strict.
            var clean = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(clean))
            {
                document.RootElement.WriteTo(writer);
            }

            var parsed = JsonSerializer.Deserialize(clean.WrittenSpan, type);
            if (parsed is null)
            {
                reason = "the answer is JSON null";
                return false;
            }

            if (validate?.Invoke(parsed) is { } problem)
            {
                reason = problem;
                return false;
            }

            value = parsed;
            reason = "";
            return true;
        }
        catch (JsonException ex)
        {
            reason = "the JSON does not match: " + ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
            return false;
        }
    }

    /// <summary>
    /// The JSON value in an answer: the content of the first code fence that holds one, else the first complete
    /// object or array in the text (brackets balanced outside strings) that parses, else the span from the first
    /// bracket to the last (which the caller reports as broken JSON).
    /// </summary>
    internal static string? ExtractJson(string text)
    {
        string trimmed = text.Trim();
        foreach (string block in FencedBlocks(trimmed))
        {
            if (FirstValue(block) is { } fenced)
            {
                return fenced;
            }
        }

        if (FirstValue(trimmed) is { } value)
        {
            return value;
        }

        int open = trimmed.IndexOfAny(['{', '[']);
        if (open < 0)
        {
            return null;
        }

        char close = trimmed[open] == '{' ? '}' : ']';
        int last = trimmed.LastIndexOf(close);
        return last > open ? trimmed[open..(last + 1)] : trimmed[open..];
    }

    private static IEnumerable<string> FencedBlocks(string text)
    {
        int at = 0;
        while (true)
        {
            int fence = text.IndexOf("```", at, StringComparison.Ordinal);
            if (fence < 0)
            {
                yield break;
            }

            int start = text.IndexOf('\n', fence);
            if (start < 0)
            {
                yield break;
            }

            int end = text.IndexOf("```", start, StringComparison.Ordinal);
            if (end < 0)
            {
                yield return text[(start + 1)..];
                yield break;
            }

            yield return text[(start + 1)..end];
            at = end + 3;
        }
    }

    /// <summary>The first balanced object or array in the text that parses as (lenient) JSON.</summary>
    private static string? FirstValue(string text)
    {
        for (int open = text.IndexOfAny(['{', '[']); open >= 0; open = text.IndexOfAny(['{', '['], open + 1))
        {
            int end = BalancedEnd(text, open);
            if (end < 0)
            {
                continue;
            }

            string candidate = text[open..(end + 1)];
            try
            {
                using var _ = JsonDocument.Parse(candidate, new JsonDocumentOptions { AllowTrailingCommas = true,
                    CommentHandling = JsonCommentHandling.Skip });
                return candidate;
            }
            catch (JsonException)
            {
                // Prose in brackets, or broken JSON: try the next bracket.
            }
        }

        return null;
    }

    private static int BalancedEnd(string text, int open)
    {
        int depth = 0;
        bool inString = false;
        for (int i = open; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }
}
