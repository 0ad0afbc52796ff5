using System.Globalization;
using VisInstruct.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VisInstruct.Config;

/// <summary>Dotted key paths (<c>llm.endpoints[0]</c>) and where they are in a YAML document.</summary>
internal static class YamlPaths
{
    /// <summary>The dotted path of the key at a place in the document, if one is there.</summary>
    public static string? FieldAt(string yaml, Mark mark)
    {
        string? found = null;
        Walk(yaml, (path, node) =>
        {
            if (node.Start.Line == mark.Line && node.Start.Column <= mark.Column)
            {
                found = path;
            }
        });
        return found;
    }

    /// <summary>Where the value of a dotted key is in the document (its key line when the value is a section).</summary>
    public static SourcePosition? PositionOf(string yaml, string field)
    {
        SourcePosition? position = null;
        Walk(yaml, (path, node) =>
        {
            if (position is null && path == field)
            {
                position = YamlGuard.PositionAt(yaml, node.Start);
            }
        });
        return position;
    }

    private static void Walk(string yaml, Action<string, YamlNode> visit)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            return;
        }

        if (stream.Documents.Count == 0)
        {
            return;
        }

        void Visit(YamlNode node, string path)
        {
            if (node is YamlMappingNode mapping)
            {
                foreach (var (key, value) in mapping.Children)
                {
                    string name = key is YamlScalarNode scalar ? scalar.Value ?? "" : "?";
                    string child = path.Length == 0 ? name : path + "." + name;
                    visit(child, value is YamlScalarNode ? value : key);
                    Visit(value, child);
                }
            }
            else if (node is YamlSequenceNode sequence)
            {
                int index = 0;
                foreach (var item in sequence.Children)
                {
                    string child = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
                    visit(child, item);
                    Visit(item, child);
                }
            }
        }

        Visit(stream.Documents[0].RootNode, "");
    }
}
