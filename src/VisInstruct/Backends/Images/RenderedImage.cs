using VisInstruct.Rendering;

namespace VisInstruct.Backends.Images;

/// <summary>A saved image: where it is, its provenance, and (for procedural images) its exact scene.</summary>
public sealed record RenderedImage(string Path, ImageProvenance Provenance, SceneSpec? Scene);
