using VisInstruct.Backends.Images;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>A sample once its images are made (and, with a vision check, passed it).</summary>
internal sealed record RenderedSample(PreparedSample Prepared, IReadOnlyList<RenderedImage> Images);
