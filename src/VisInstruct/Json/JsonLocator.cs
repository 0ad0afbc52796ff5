using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VisInstruct.Json;

/// <summary>
/// Finds where things are inside one JSON record: the field path at a byte, or the byte where a field's value starts.
/// Used on error paths only, so it favours clarity over speed.
/// </summary>
public static class JsonLocator
{
    /// <summary>
    /// The path (<c>conversations[1].value</c>) of the innermost value containing <paramref name="offset"/>; "" for the record itself.
    /// </summary>
    public static string PathAt(ReadOnlySpan<byte> json, int offset)
    {
        // Children are visited before the containers that hold them, so the first range that contains the offset is
        // the innermost one.
        string result = "";
        Walk(json, (path, start, end) =>
        {
            if (start <= offset && offset < end)
            {
                result = path;
                return false;
            }

            return true;
        });
        return result;
    }

    /// <summary>The byte offset where the value at <paramref name="path"/> starts, or null when there is no such value.</summary>
    public static int? OffsetOf(ReadOnlySpan<byte> json, string path)
    {
        int? found = null;
        Walk(json, (p, start, _) =>
        {
            if (found is null && p == path)
            {
                found = start;
            }

            return found is null;
        });
        return found;
    }

    /// <summary>Appends a property to a path, quoting it when it is not a plain identifier.</summary>
    public static string Property(string parent, string name)
    {
        bool plain = name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (plain)
        {
            return parent.Length == 0 ? name : parent + "." + name;
        }

        return parent + "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }

    /// <summary>Appends an array index to a path.</summary>
    public static string Index(string parent, long index) => string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    /// <summary>Turns System.Text.Json's exception path (<c>$.a[1].b</c>) into this project's form (<c>a[1].b</c>).</summary>
    public static string FromJsonExceptionPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "";
        }

        string trimmed = path.StartsWith('$') ? path[1..] : path;
        return trimmed.StartsWith('.') ? trimmed[1..] : trimmed;
    }

    private delegate bool Visitor(string path, int start, int end);

    /// <summary>Calls <paramref name="visit"/> for every value with its path and byte range; stops when it returns false.</summary>
    private static void Walk(ReadOnlySpan<byte> json, Visitor visit)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var stack = new Stack<Frame>();
        string? pendingProperty = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingProperty = Unescape(ref reader);
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        var done = stack.Pop();
                        if (!visit(done.Path, done.Start, (int)reader.BytesConsumed))
                        {
                            return;
                        }

                        continue;
                }

                string path = CurrentPath(stack, pendingProperty);
                pendingProperty = null;
                int start = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    stack.Push(new Frame(path, start, reader.TokenType == JsonTokenType.StartArray));
                    continue;
                }

                if (!visit(path, start, (int)reader.BytesConsumed))
                {
                    return;
                }
            }
        }
        catch (JsonException)
        {
            // A record that does not parse has no paths past the error; what was seen stands.
        }
    }

    private static string CurrentPath(Stack<Frame> stack, string? property)
    {
        if (stack.Count == 0)
        {
            return "";
        }

        var parent = stack.Peek();
        if (parent.IsArray)
        {
            return Index(parent.Path, parent.NextIndex++);
        }

        return Property(parent.Path, property ?? "");
    }

    private static string Unescape(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 in a property name: show what can be shown.
            return Encoding.UTF8.GetString(reader.ValueSpan);
        }
    }

    private sealed class Frame(string path, int start, bool isArray)
    {
        public string Path { get; } = path;

        public int Start { get; } = start;

        public bool IsArray { get; } = isArray;

        public long NextIndex { get; set; }
    }
}
