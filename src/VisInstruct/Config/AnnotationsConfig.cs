namespace VisInstruct.Config;

/// <summary>Annotation files for the SVIT and LLaVA-Instruct recipes (paths relative to the configuration file).</summary>
public sealed class AnnotationsConfig
{
    public string? VgImageData { get; set; }

    public string? VgObjects { get; set; }

    public string? VgRegions { get; set; }

    public string? VgAttributes { get; set; }

    public List<string>? CocoCaptions { get; set; }

    public List<string>? CocoInstances { get; set; }
}
