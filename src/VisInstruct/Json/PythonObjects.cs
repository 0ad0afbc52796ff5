using System.Text.Json;

namespace VisInstruct.Json;

/// <summary>How Python's <c>json.load</c> sees a JSON object.</summary>
public static class PythonObjects
{
    /// <summary>
    /// The properties as a Python dict holds them: a repeated key keeps its first position and its last value.
    /// </summary>
    public static IReadOnlyList<JsonProperty> Properties(JsonElement element)
    {
        var list = new List<JsonProperty>();
        Dictionary<string, int>? positions = null;
        foreach (var property in element.EnumerateObject())
        {
            list.Add(property);
        }

        if (list.Count < 2)
        {
            return list;
        }

        if (list.Count <= 8)
        {
            // Small objects (almost all): compare the names' bytes pairwise, no dictionary and no name strings.
            for (int i = 1; i < list.Count; i++)
            {
                for (int first = 0; first < i; first++)
                {
                    if (SameName(list[first], list[i]))
                    {
                        list[first] = list[i];
                        list.RemoveAt(i);
                        i--;
                        break;
                    }
                }
            }

            return list;
        }

        for (int i = 0; i < list.Count; i++)
        {
            positions ??= new Dictionary<string, int>(StringComparer.Ordinal);
            if (positions.TryGetValue(list[i].Name, out int first))
            {
                list[first] = list[i];
                list.RemoveAt(i);
                i--;
            }
            else
            {
                positions[list[i].Name] = i;
            }
        }

        return list;
    }

    private static bool SameName(JsonProperty a, JsonProperty b)
    {
        ReadOnlySpan<byte> x = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(a);
        ReadOnlySpan<byte> y = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(b);
        return x.IndexOf((byte)'\\') < 0 && y.IndexOf((byte)'\\') < 0
            ? x.SequenceEqual(y)
            : string.Equals(a.Name, b.Name, StringComparison.Ordinal);
    }
}
