namespace VisInstruct.Backends.Images;

/// <summary>Settings of an <see cref="ImageService"/>.</summary>
public sealed record ImageServiceOptions
{
    /// <summary>The backend lane the calls use (its engine concurrency limit). Default <c>images</c>.</summary>
    public string Name { get; init; } = BackendLane.Images.Name;

    /// <summary>Quality of JPEG files written from another format (1 to 100). Default 95.</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary>
    /// Where files are staged before they are moved into place (same filesystem; the run's temp folder). Default null:
    /// beside the destination.
    /// </summary>
    public string? TempDirectory { get; init; }

    /// <summary>These settings, if they make sense; otherwise an <see cref="ArgumentException"/> naming the one that does not.</summary>
    public ImageServiceOptions Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name, nameof(Name));
        OptionChecks.Range(JpegQuality, 1, 100, nameof(JpegQuality));
        return this;
    }
}
