using System.Text;
using VisInstruct.Annotations;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The LLaVA-Instruct user message for one image, as LLaVA's own scripts build it (FORMATS.md sections 3.2 and 7):
/// <c>"\n".join(captions) + "\n\n" + "\n".join(f"{category}: {bbox}")</c>. An image without instances therefore ends
/// in <c>"\n\n"</c>. The conversation task gets the captions alone (no blank line, no boxes). Regions are not used
/// (COCO has none).
/// </summary>
public static class LlavaInstructContext
{
    public static string Build(ImageAnnotations a, bool withBoxes)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Layout(a.Captions, withBoxes ? a.Objects.Select(o => (o.Name, o.Box.Normalize(a.Width, a.Height))) : null);
    }

    /// <summary>The layout from captions and boxes that are already normalised; <paramref name="instances"/> null: captions only.</summary>
    public static string Layout(IEnumerable<string> captions, IEnumerable<(string Name, NormalizedBox Box)>? instances)
    {
        ArgumentNullException.ThrowIfNull(captions);
        var sb = new StringBuilder();
        sb.AppendJoin('\n', captions);
        if (instances is null)
        {
            return sb.ToString();
        }

        sb.Append("\n\n");
        bool first = true;
        foreach (var (name, box) in instances)
        {
            if (!first)
            {
                sb.Append('\n');
            }

            first = false;
            sb.Append(name).Append(": ").Append(box.ToString());
        }

        return sb.ToString();
    }
}
