using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The dialogue of a multi-image sample rewritten for its composite image (<c>--multi-image composite</c>): "the first
/// image" becomes "the left image" (in a grid "the top-left image"), "these two images" "the left and right images",
/// and in a multi-turn sample, where turn k is about image k, "this image" / "this one" name that image's place.
/// </summary>
internal static class CompositeWording
{
    private static readonly string[] Ordinals = ["first", "second", "third", "fourth"];

    public static IReadOnlyList<QaPair> Rewrite(IReadOnlyList<QaPair> turns, int images, bool turnPerImage) =>
        [.. turns.Select((t, k) => t with
        {
            Question = Rewrite(t.Question, images, turnPerImage && k < images ? k : null),
            Answer = Rewrite(t.Answer, images, turnPerImage && k < images ? k : null),
        })];

    /// <summary>One text; <paramref name="image"/> is the image "this image" means (multi-turn), or null.</summary>
    public static string Rewrite(string text, int images, int? image)
    {
        ArgumentNullException.ThrowIfNull(text);
        string Place(int i) => ImageComposite.Position(i, images);
        var pairs = new List<(string From, string To)>();
        if (images == 2)
        {
            pairs.AddRange([("these two images", "the left and right images"), ("these two pictures", "the left and right pictures"),
                ("the two images", "the left and right images"), ("the two pictures", "the left and right pictures")]);
        }

        if (images >= 3)
        {
            pairs.Add(("the first two together", $"the {Place(0)} and {Place(1)} images together"));
        }

        for (int i = 0; i < Math.Min(images, Ordinals.Length); i++)
        {
            pairs.Add(($"the {Ordinals[i]} image", $"the {Place(i)} image"));
            pairs.Add(($"the {Ordinals[i]} picture", $"the {Place(i)} picture"));
            pairs.Add(($"the {Ordinals[i]} one", $"the {Place(i)} one"));
        }

        pairs.Add(("the last image", $"the {Place(images - 1)} image"));
        if (image is int k)
        {
            string here = $"the {Place(k)} image";
            pairs.AddRange([("this last image", here), ("this image", here), ("this one", here), ("this picture", here)]);
        }

        for (int i = 0; i < Math.Min(images, Ordinals.Length); i++)
        {
            // The bare ordinal, after the forms with a noun ("the first has one", "differ from the first").
            pairs.Add(($"the {Ordinals[i]}", $"the {Place(i)} one"));
        }

        foreach (var (from, to) in pairs)
        {
            text = text.Replace(from, to, StringComparison.Ordinal)
                .Replace(Capital(from), Capital(to), StringComparison.Ordinal);
        }

        if (image is int j && text.StartsWith("Here ", StringComparison.Ordinal))
        {
            text = $"In the {Place(j)} image, " + text["Here ".Length..];
        }

        return text;
    }

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
