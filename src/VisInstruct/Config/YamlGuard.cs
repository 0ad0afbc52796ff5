using System.Globalization;
using System.Text;
using VisInstruct.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VisInstruct.Config;

/// <summary>
/// Checks a YAML document event by event, before anything builds objects from it: nesting depth, the number of nodes
/// once aliases are expanded (a few hundred bytes of nested aliases can stand for billions of nodes), and keys that
/// appear twice in one mapping. The parser keeps its own stack, so a deeply nested file costs no recursion here; the
/// deserializer and the representation model, which do recurse, only ever see a document that passed.
/// </summary>
public static class YamlGuard
{
    /// <summary>The deepest nesting of mappings and sequences a configuration may have.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most nodes a configuration may have, every alias counted as the nodes it stands for.</summary>
    public const long MaxNodes = 100_000;

    /// <summary>Decodes a configuration file as strict UTF-8: a byte that is not UTF-8 is named by its offset.</summary>
    public static string DecodeUtf8(byte[] bytes, string file)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, start,
                bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            long offset = start + Math.Max(0, ex.Index);
            long line = 1;
            long lineStart = 0;
            for (long i = 0; i < offset && i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            string value = offset < bytes.Length ? string.Create(CultureInfo.InvariantCulture, $"0x{bytes[offset]:X2}")
                : "a cut-off character";
            throw new InputFormatException(file, $"byte {value} is not UTF-8 text; save the file as UTF-8",
                new SourcePosition(line, offset - lineStart + 1, offset), innerException: ex);
        }
    }

    /// <summary>A parser mark (line, character column, character index) as a place in the file's UTF-8 bytes.</summary>
    public static SourcePosition PositionAt(string yaml, Mark mark)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        int index = (int)Math.Clamp(mark.Index, 0, yaml.Length);
        int lineStart = index == 0 ? 0 : yaml.LastIndexOf('\n', index - 1) + 1;
        long offset = Encoding.UTF8.GetByteCount(yaml.AsSpan(0, index));
        long column = Encoding.UTF8.GetByteCount(yaml.AsSpan(lineStart, index - lineStart)) + 1;
        return new SourcePosition(mark.Line, column, offset);
    }

    private sealed class Frame(bool mapping, string path, string? anchor)
    {
        public bool Mapping { get; } = mapping;

        public string Path { get; } = path;

        public string? Anchor { get; } = anchor;

        public bool ExpectKey { get; set; } = true;

        public string? CurrentKey { get; set; }

        public int Index { get; set; }

        public long Nodes { get; set; } = 1;

        public Dictionary<string, long> Keys { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Refuses a document that is too deep, too large once expanded, or has a key twice in one mapping.</summary>
    public static void Check(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var parser = new Parser(new StringReader(yaml));
        var frames = new Stack<Frame>();
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;

        SourcePosition At(Mark mark) => PositionAt(yaml, mark);

        string ChildPath()
        {
            if (frames.Count == 0)
            {
                return "";
            }

            var frame = frames.Peek();
            if (frame.Mapping)
            {
                string key = frame.CurrentKey ?? "?";
                return frame.Path.Length == 0 ? key : frame.Path + "." + key;
            }

            return string.Create(CultureInfo.InvariantCulture, $"{frame.Path}[{frame.Index}]");
        }

        // A whole node (a scalar, an alias, a closed collection) of this many nodes was added to the current collection.
        void Completed(long nodes, ParsingEvent at)
        {
            total += nodes;
            if (total > MaxNodes)
            {
                throw new InputFormatException(file,
                    string.Create(CultureInfo.InvariantCulture,
                        $"the document has more than {MaxNodes} values once its aliases (*name) are expanded; a configuration needs far " +
                            $"fewer, so this is refused"),
                    At(at.Start), ChildPath());
            }

            if (frames.Count == 0)
            {
                return;
            }

            var frame = frames.Peek();
            frame.Nodes += nodes;
            if (frame.Mapping)
            {
                frame.ExpectKey = !frame.ExpectKey;
            }
            else
            {
                frame.Index++;
            }
        }

        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                bool isKey = frames.Count > 0 && frames.Peek().Mapping && frames.Peek().ExpectKey;
                switch (current)
                {
                    case Scalar scalar:
                        if (isKey)
                        {
                            var frame = frames.Peek();
                            if (scalar.Value != "<<" && frame.Keys.TryGetValue(scalar.Value, out long firstLine))
                            {
                                string key = frame.Path.Length == 0 ? scalar.Value : frame.Path + "." + scalar.Value;
                                throw new InputFormatException(file,
                                    string.Create(CultureInfo.InvariantCulture,
                                        $"key \"{scalar.Value}\" appears twice in the same section, on line {firstLine} and on line " +
                                            $"{scalar.Start.Line}; keep one"),
                                    At(scalar.Start), key);
                            }

                            frame.Keys[scalar.Value] = scalar.Start.Line;
                            frame.CurrentKey = scalar.Value;
                        }

                        if (!scalar.Anchor.IsEmpty)
                        {
                            anchors[scalar.Anchor.Value] = 1;
                        }

                        Completed(1, scalar);
                        break;
                    case AnchorAlias alias:
                        if (isKey)
                        {
                            throw new InputFormatException(file, "an alias (*name) cannot be a key", At(alias.Start), ChildPath());
                        }

                        if (!anchors.TryGetValue(alias.Value.Value, out long size))
                        {
                            throw new InputFormatException(file,
                                $"alias *{alias.Value.Value} names no anchor (&{alias.Value.Value}) above it",
                                At(alias.Start), ChildPath());
                        }

                        Completed(size, alias);
                        break;
                    case MappingStart or SequenceStart:
                        if (isKey)
                        {
                            throw new InputFormatException(file, "a key must be a plain name, not a list or a section", At(current.Start),
                                ChildPath());
                        }

                        if (frames.Count >= MaxDepth)
                        {
                            throw new InputFormatException(file,
                                string.Create(CultureInfo.InvariantCulture,
                                    $"nested deeper than {MaxDepth} levels; a configuration needs only a few"),
                                At(current.Start), ChildPath());
                        }

                        var anchor = ((NodeEvent)current).Anchor;
                        frames.Push(new Frame(current is MappingStart, ChildPath(), anchor.IsEmpty ? null : anchor.Value));
                        break;
                    case MappingEnd or SequenceEnd:
                        var closed = frames.Pop();
                        if (closed.Anchor is not null)
                        {
                            anchors[closed.Anchor] = closed.Nodes;
                        }

                        // The collection's own children were counted as they came; only the collection node itself is new.
                        total -= closed.Nodes - 1;
                        Completed(closed.Nodes, current);
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            string message = ex.Message.StartsWith("(Line", StringComparison.Ordinal)
                && ex.Message.Contains("): ", StringComparison.Ordinal)
                ? ex.Message[(ex.Message.IndexOf("): ", StringComparison.Ordinal) + 3)..]
                : ex.Message;
            throw new InputFormatException(file, "not valid YAML: " + message, At(ex.Start), innerException: ex);
        }
    }
}
