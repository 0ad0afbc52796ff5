using VisInstruct.Json;

namespace VisInstruct.Backends.Images;

/// <summary>Where an image came from: backend, model, every parameter, the seed, and the SHA-256 of the saved file.</summary>
public sealed record ImageProvenance
{
    /// <summary>The file, relative to the output folder.</summary>
    public required string File { get; init; }

    public required string Sha256 { get; init; }

    public required string Backend { get; init; }

    public required string Model { get; init; }

    public required ImageRequest Request { get; init; }

    /// <summary>The seed the image was made with (as the backend reports it).</summary>
    public required long Seed { get; init; }

    public bool SeedHonoured { get; init; } = true;

    public IReadOnlyDictionary<string, string> Reported { get; init; } = new Dictionary<string, string>();

    public bool Equals(ImageProvenance? other) => other is not null && File == other.File && Sha256 == other.Sha256
        && Backend == other.Backend
        && Model == other.Model && Request == other.Request && Seed == other.Seed && SeedHonoured == other.SeedHonoured
        && Reported.Count == other.Reported.Count && Reported.All(p => other.Reported.TryGetValue(p.Key, out var v) && v == p.Value);

    public override int GetHashCode() => HashCode.Combine(File, Sha256, Seed);

    public void Write(PythonJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("file", File);
        writer.WriteString("sha256", Sha256);
        writer.WriteString("backend", Backend);
        writer.WriteString("model", Model);
        writer.WriteString("prompt", Request.Prompt);
        writer.WriteString("negative_prompt", Request.NegativePrompt);
        writer.WriteNumber("width", Request.Width);
        writer.WriteNumber("height", Request.Height);
        writer.WriteNumber("steps", Request.Steps);
        writer.WriteNumber("guidance", Request.Guidance);
        if (Request.Sampler is not null)
        {
            writer.WriteString("sampler", Request.Sampler);
        }

        writer.WriteNumber("seed", Seed);
        writer.WritePropertyName("seed_honoured");
        writer.WriteBooleanValue(SeedHonoured);
        if (Reported.Count > 0)
        {
            writer.WritePropertyName("reported");
            writer.WriteStartObject();
            foreach (var (key, value) in Reported.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
