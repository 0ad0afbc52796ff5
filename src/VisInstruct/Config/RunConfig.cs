namespace VisInstruct.Config;

/// <summary>
/// The run configuration (<c>--config run.yaml</c>). Every key is optional; a section that is absent means the
/// built-in backend for it. Key names are the contract in docs/DESIGN.md; secrets are never in it (only the names of
/// the environment variables that hold them).
/// </summary>
public sealed class RunConfig
{
    public ulong? Seed { get; set; }

    /// <summary>How many samples (StableLLaVA: per ability) or images (SVIT) to make.</summary>
    public int? Count { get; set; }

    /// <summary>Above this share of failed items the run exits with code 1 (default 0.05).</summary>
    public double? MaxFailureRatio { get; set; }

    /// <summary>Warn after this many seconds without progress (default 120).</summary>
    public double? StallWarningSeconds { get; set; }

    public LlmConfig? Llm { get; set; }

    /// <summary>A vision-language model for check and evaluation stages (same keys as <see cref="Llm"/>).</summary>
    public LlmConfig? Vision { get; set; }

    public ImagesConfig? Images { get; set; }

    public AnnotationsConfig? Annotations { get; set; }

    /// <summary>Per model: USD per million input/output tokens, per image, per image-second.</summary>
    public Dictionary<string, PriceConfig>? Prices { get; set; }

    public OutputConfig? Output { get; set; }

    /// <summary>StableLLaVA recipe settings.</summary>
    public StableLlavaConfig? Stablellava { get; set; }

    /// <summary>SVIT recipe settings (Visual Genome + COCO annotations to the four SVIT tasks).</summary>
    public AnnotatedRecipeConfig? Svit { get; set; }

    /// <summary>LLaVA-Instruct recipe settings (COCO captions and boxes to LLaVA's three tasks).</summary>
    public AnnotatedRecipeConfig? LlavaInstruct { get; set; }
}

/// <summary>Settings of the annotation recipes (<c>svit:</c> and <c>llava_instruct:</c>).</summary>
public sealed class AnnotatedRecipeConfig
{
    /// <summary>The tasks to make (default: all of the recipe's); --tasks overrides.</summary>
    public List<string>? Tasks { get; set; }

    /// <summary>A folder of prompt files in the original layout (SVIT's prompts/, LLaVA's playground/data/prompts/); --prompts overrides.</summary>
    public string? Prompts { get; set; }

    /// <summary>Detail-description instructions, one per line (SVIT's data/questions.txt); --detail-questions overrides.</summary>
    public string? DetailQuestions { get; set; }

    /// <summary>Only these image ids, one per line; --image-ids overrides.</summary>
    public string? ImageIds { get; set; }

    /// <summary>Never these image ids, one per line (SVIT's data/test_image_ids.txt); --exclude-image-ids overrides.</summary>
    public string? ExcludeImageIds { get; set; }

    /// <summary>Deprecated: the most tokens an image's annotation context may take (0: no limit). Use <c>llm.context_tokens</c>, the model's window, instead.</summary>
    public int? ContextTokens { get; set; }

    /// <summary>The IoU a referring box needs with an annotated box to count as grounded (default 0.5).</summary>
    public double? GroundingIou { get; set; }
}

/// <summary>Settings of the StableLLaVA recipe.</summary>
public sealed class StableLlavaConfig
{
    /// <summary>A YAML file of abilities laid over the built-in ones (changed or added abilities, instructions).</summary>
    public string? AbilitiesFile { get; set; }

    /// <summary>The abilities to generate (default: all that the configured backends can make); --abilities overrides.</summary>
    public List<string>? Abilities { get; set; }

    /// <summary>Caption questions, one per line (for example the original LLaVA list), instead of the built-in ones.</summary>
    public string? CaptionInstructionsFile { get; set; }

    /// <summary>Samples per prompt-writing lane: the update loop runs within a lane (default 16).</summary>
    public int? LaneSize { get; set; }

    /// <summary>Prompts asked for per prompt-writer request (default 8).</summary>
    public int? BatchSize { get; set; }

    /// <summary>Check rendered images with the vision model (default: yes when a vision model is configured).</summary>
    public bool? Check { get; set; }

    /// <summary>Re-renders (with new seeds) before a sample whose image fails the check is dropped (default 2).</summary>
    public int? CheckRetries { get; set; }

    /// <summary>Write dialogues with the vision model looking at the rendered image(s), not from the prompt alone.</summary>
    public bool? DialogueSeesImage { get; set; }
}

/// <summary>An OpenAI-compatible chat endpoint (vLLM, SGLang, Ollama, llama.cpp server, OpenAI).</summary>
public sealed class LlmConfig
{
    /// <summary>Base URLs (<c>http://127.0.0.1:8000/v1</c>); several serve the same model together.</summary>
    public List<string>? Endpoints { get; set; }

    public string? Model { get; set; }

    /// <summary>The name of the environment variable holding the API key (never the key itself).</summary>
    public string? ApiKeyEnv { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? MaxTokens { get; set; }

    /// <summary>Seconds one request may take (default 600).</summary>
    public double? TimeoutSeconds { get; set; }

    /// <summary>Seconds a request may wait for a free slot before it fails (default: no limit).</summary>
    public double? QueueTimeoutSeconds { get; set; }

    /// <summary>Requests in flight across all endpoints (default 64; <c>--concurrency</c> overrides).</summary>
    public int? Concurrency { get; set; }

    /// <summary>Ask the server for JSON-schema structured output (default true; turned off for servers that refuse it).</summary>
    public bool? StructuredOutput { get; set; }

    /// <summary>Pass images as <c>file://</c> paths (servers started with local media allowed) instead of base64.</summary>
    public bool? LocalMedia { get; set; }

    /// <summary>The served model's window in tokens (prompt and answer); overrides what <c>GET /v1/models</c> reports.</summary>
    public int? ContextTokens { get; set; }

    /// <summary>Retries of a failed request (429, 5xx, timeouts, resets) before the sample fails (default 4).</summary>
    public int? Retries { get; set; }
}

/// <summary>An image backend: <c>comfyui</c>, <c>a1111</c>, <c>openai</c> or <c>procedural</c> (the built-in renderer).</summary>
public sealed class ImagesConfig
{
    public string? Backend { get; set; }

    public List<string>? Endpoints { get; set; }

    public string? Model { get; set; }

    /// <summary>ComfyUI: the API-format workflow JSON to fill in (the built-in SD-XL base workflow when absent).</summary>
    public string? Workflow { get; set; }

    /// <summary>ComfyUI: which node ids take which value (prompt, negative, seed, steps, cfg, width, height, sampler).</summary>
    public Dictionary<string, string>? Nodes { get; set; }

    public int? Width { get; set; }

    public int? Height { get; set; }

    public int? Steps { get; set; }

    public double? Guidance { get; set; }

    public string? Sampler { get; set; }

    public string? NegativePrompt { get; set; }

    public string? ApiKeyEnv { get; set; }

    /// <summary>AUTOMATIC1111 basic auth: the names of the variables holding user and password.</summary>
    public string? UsernameEnv { get; set; }

    public string? PasswordEnv { get; set; }

    public double? TimeoutSeconds { get; set; }

    public int? Concurrency { get; set; }

    public int? Retries { get; set; }

    /// <summary>Saved image format: <c>jpg</c> (default, as StableLLaVA) or <c>png</c>.</summary>
    public string? Format { get; set; }

    /// <summary>JPEG quality for saved images (default 95).</summary>
    public int? Quality { get; set; }
}

/// <summary>Annotation files for the SVIT and LLaVA-Instruct recipes.</summary>
public sealed class AnnotationsConfig
{
    public string? VgImageData { get; set; }

    public string? VgObjects { get; set; }

    public string? VgRegions { get; set; }

    public string? VgAttributes { get; set; }

    public List<string>? CocoCaptions { get; set; }

    public List<string>? CocoInstances { get; set; }
}

/// <summary>One model's prices in USD.</summary>
public sealed class PriceConfig
{
    public decimal? Input { get; set; }

    public decimal? Output { get; set; }

    public decimal? Image { get; set; }

    public decimal? ImageSecond { get; set; }
}

/// <summary>How dataset files are laid out.</summary>
public sealed class OutputConfig
{
    /// <summary>Python's indent= for the dataset files (default: one line, as json.dump).</summary>
    public int? Indent { get; set; }

    /// <summary>Python's ensure_ascii= (default false: readable UTF-8).</summary>
    public bool? Ascii { get; set; }
}
