namespace VisInstruct.Rendering;

/// <summary>
/// The words for a scene's textures, materials and backgrounds, shared by the ground-truth record and the dialogue
/// words (so that what the record says and what a dialogue says are the same words).
/// </summary>
public static class SceneTerms
{
    /// <summary><c>striped</c>, <c>dotted</c>, <c>checkered</c>; <c>plain</c> for none.</summary>
    public static string Texture(Texture texture) => texture switch
    {
        Rendering.Texture.Striped => "striped",
        Rendering.Texture.Dotted => "dotted",
        Rendering.Texture.Checked => "checkered",
        _ => "plain",
    };

    /// <summary><c>glossy</c>, <c>metallic</c>, <c>glass</c>; <c>matte</c> for none.</summary>
    public static string Material(Material material) => material switch
    {
        Rendering.Material.Glossy => "glossy",
        Rendering.Material.Metallic => "metallic",
        Rendering.Material.Glass => "glass",
        _ => "matte",
    };

    /// <summary>
    /// The words before an object's colour: its texture and material where they are not plain and matte, each followed by
    /// a space (<c>striped glossy </c>), or nothing.
    /// </summary>
    public static string Finish(SceneObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return (item.Texture == Rendering.Texture.Plain ? "" : Texture(item.Texture) + " ")
            + (item.Material == Rendering.Material.Matte ? "" : Material(item.Material) + " ");
    }

    /// <summary>A background in words: <c>a plain cream background</c>, <c>a pale blue background with beige dots</c>.</summary>
    public static string Background(Background background)
    {
        ArgumentNullException.ThrowIfNull(background);
        string p = background.Primary.Name;
        string s = background.Secondary.Name;
        return background.Kind switch
        {
            BackgroundKind.Plain => $"a plain {p} background",
            BackgroundKind.Gradient => $"a background fading from {p} to {s}",
            BackgroundKind.Checker => $"a {p} and {s} checkered background",
            BackgroundKind.Stripes => $"a {p} and {s} striped background",
            BackgroundKind.Dots => $"a {p} background with {s} dots",
            BackgroundKind.Grid => $"a {p} background with a {s} grid",
            BackgroundKind.Diagonal => $"a {p} and {s} diagonally striped background",
            BackgroundKind.Horizon => $"a horizon background, {p} sky above {s} ground",
            _ => $"a {p} background with {s} waves",
        };
    }
}
