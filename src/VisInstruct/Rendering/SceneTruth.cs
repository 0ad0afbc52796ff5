using VisInstruct.Json;
using VisInstruct.Python;

namespace VisInstruct.Rendering;

/// <summary>
/// Writes a scene's ground truth as JSON: each object's shape, colour, size, box (pixels and normalised), texture and
/// material, the background in words, and which objects partly cover which (with the covered share of the back one).
/// </summary>
public static class SceneTruth
{
    public static void Write(PythonJsonWriter writer, SceneSpec scene)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scene);
        writer.WriteStartObject();
        writer.WriteNumber("width", scene.Width);
        writer.WriteNumber("height", scene.Height);
        writer.WriteString("background",
            $"{scene.Background.Kind.ToString().ToLowerInvariant()} {scene.Background.Primary.Name}/{scene.Background.Secondary.Name}");
        writer.WriteString("style", scene.Style.ToString().ToLowerInvariant());
        writer.WritePropertyName("objects");
        writer.WriteStartArray();
        foreach (var item in scene.Objects)
        {
            writer.WriteStartObject();
            writer.WriteString("shape", item.ShapeName);
            writer.WriteString("color", item.Color.Name);
            writer.WriteString("size", item.Size.ToString().ToLowerInvariant());
            writer.WritePropertyName("box_px");
            writer.WriteStartArray();
            foreach (int v in new[] { item.Box.X1, item.Box.Y1, item.Box.X2, item.Box.Y2 })
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("box");
            writer.WriteStartArray();
            foreach (double v in item.Box.Normalized(scene.Width, scene.Height))
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
            writer.WriteString("texture", SceneTerms.Texture(item.Texture));
            writer.WriteString("material", SceneTerms.Material(item.Material));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("background_words", SceneTerms.Background(scene.Background));
        writer.WritePropertyName("occlusions");
        writer.WriteStartArray();
        foreach (var occlusion in scene.Occlusions)
        {
            writer.WriteStartObject();
            writer.WriteNumber("front", occlusion.Front);
            writer.WriteNumber("back", occlusion.Back);
            writer.WriteNumber("covered", PythonFloat.Round(occlusion.Covered, 3));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
