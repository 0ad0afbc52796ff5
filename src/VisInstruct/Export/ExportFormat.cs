namespace VisInstruct.Export;

/// <summary>The formats <c>visinstruct export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>LLaMA-Factory's multimodal ShareGPT JSON with its <c>dataset_info.json</c> entry (out: a folder).</summary>
    ShareGpt,

    /// <summary>Hugging Face datasets' Parquet layout with the images' bytes inside (out: a file, sharded beside it).</summary>
    Parquet,

    /// <summary>WebDataset tar shards (out: a folder).</summary>
    WebDataset,

    /// <summary>OpenAI chat fine-tuning JSONL with images as data URLs (out: a file).</summary>
    OpenAi,

    /// <summary>LLaVA JSON with image paths rebased to a new root (out: a folder).</summary>
    Llava,
}

/// <summary>How an export that names image files (ShareGPT, LLaVA) points at them.</summary>
public enum ImageHandling
{
    /// <summary>Absolute paths to the source's image files: nothing copied.</summary>
    Absolute,

    /// <summary>The image files copied into the output's <c>images/</c> folder, keeping their relative layout.</summary>
    Copy,

    /// <summary>Symbolic links to the source's image files in the output's <c>images/</c> folder.</summary>
    Link,
}

public static class ExportFormats
{
    /// <summary>The names on the command line, in the order they are listed.</summary>
    public static readonly IReadOnlyList<string> Names = ["sharegpt", "parquet", "webdataset", "openai", "llava"];

    public static ExportFormat Parse(string name) => name switch
    {
        "sharegpt" => ExportFormat.ShareGpt,
        "parquet" => ExportFormat.Parquet,
        "webdataset" => ExportFormat.WebDataset,
        "openai" => ExportFormat.OpenAi,
        "llava" => ExportFormat.Llava,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an export format"),
    };

    public static string Name(this ExportFormat format) => Names[(int)format];

    /// <summary>True where <c>--out</c> is a file (Parquet, OpenAI); the others write a folder.</summary>
    public static bool WritesFile(this ExportFormat format) => format is ExportFormat.Parquet or ExportFormat.OpenAi;

    /// <summary>True where the images' bytes go into the output (Parquet, WebDataset, OpenAI).</summary>
    public static bool EmbedsImages(this ExportFormat format) =>
        format is ExportFormat.Parquet or ExportFormat.WebDataset or ExportFormat.OpenAi;
}
