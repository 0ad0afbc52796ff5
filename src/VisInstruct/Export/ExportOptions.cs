namespace VisInstruct.Export;

/// <summary>What <c>visinstruct export</c> was asked to do.</summary>
public sealed record ExportOptions
{
    /// <summary>500 MB, the shard size Hugging Face's <c>push_to_hub</c> uses.</summary>
    public const long DefaultShardSize = 500_000_000;

    /// <summary>A dataset folder or a LLaVA JSON/JSONL file.</summary>
    public required string Source { get; init; }

    /// <summary>The folder the source's image paths are relative to (LLaVA's <c>--image_folder</c>), when not the dataset's own.</summary>
    public string? ImageFolder { get; init; }

    public required ExportFormat Format { get; init; }

    /// <summary>A file for Parquet and OpenAI, a folder for the others.</summary>
    public required string Out { get; init; }

    /// <summary>The dataset's name (ShareGPT's <c>dataset_info.json</c> key, shard names); null: from <see cref="Out"/>.</summary>
    public string? Name { get; init; }

    public ImageHandling Images { get; init; } = ImageHandling.Absolute;

    /// <summary>LLaVA only: write image paths relative to this folder (the trainer's <c>--image_folder</c>).</summary>
    public string? ImageRoot { get; init; }

    /// <summary>Parquet and WebDataset: the most bytes a shard holds (a single larger sample gets a shard of its own).</summary>
    public long ShardSize { get; init; } = DefaultShardSize;

    /// <summary>
    /// Parquet only: <c>messages</c> of <c>{role, content}</c> (user/assistant) instead of <c>conversations</c> of
    /// <c>{from, value}</c>.
    /// </summary>
    public bool OpenAiRoles { get; init; }

    /// <summary>
    /// Told a line every <see cref="ProgressEvery"/> samples read (samples read, written, refused, elapsed time), or
    /// null for none.
    /// </summary>
    public Action<string>? Progress { get; init; }

    /// <summary>How many samples between two progress lines.</summary>
    public int ProgressEvery { get; init; } = 10_000;

    /// <summary>The name the outputs are written under.</summary>
    public string ResolvedName
    {
        get
        {
            if (Name is { Length: > 0 } name)
            {
                return name;
            }

            string full = Path.GetFullPath(Out).TrimEnd(Path.DirectorySeparatorChar);
            return Format.WritesFile() ? Path.GetFileNameWithoutExtension(full) : Path.GetFileName(full);
        }
    }
}
