using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VisInstruct.Backends.Images;

/// <summary>
/// ComfyUI: fills the request into an API-format workflow (prompt, negative prompt, seed, steps, cfg, sampler, width,
/// height, checkpoint), queues it with <c>POST /prompt</c>, polls <c>GET /history/{id}</c> until it finishes or fails,
/// and downloads the image through <c>GET /view</c>. The nodes to fill are named in the config or found from the
/// sampler node's links; the built-in template is SD-XL base (1024x1024, 50 steps, cfg 5.0, euler).
/// </summary>
internal sealed class ComfyUiProducer : HttpImageBackend
{
    private readonly JsonObject _template;
    private readonly WorkflowNodes _nodes;
    private readonly string _clientId = "visinstruct-" + Guid.NewGuid().ToString("N")[..12];

    public ComfyUiProducer(ImageEndpointsOptions options, string? workflowJson = null, IReadOnlyDictionary<string, string>? nodes = null)
        : base(options)
    {
        _template = ParseWorkflow(workflowJson ?? DefaultWorkflow());
        _nodes = WorkflowNodes.Find(_template, nodes);
    }

    public override string Kind => "comfyui";

    protected override string PreflightPath => "system_stats";

    protected override string BaseUrlHint => "(ComfyUI answers at the server root, e.g. http://host:8188)";

    public override string Model => Options.Model
        ?? (_nodes.Checkpoint is { } checkpoint ? _template[checkpoint]!["inputs"]!["ckpt_name"]?.GetValue<string>() : null)
        ?? "(workflow)";

    /// <summary>The SD-XL base workflow shipped with VisInstruct.</summary>
    public static string DefaultWorkflow()
    {
        using var stream = typeof(ComfyUiProducer).Assembly.GetManifestResourceStream("VisInstruct.sdxl_base_api.json")
            ?? throw new InvalidOperationException("the built-in ComfyUI workflow is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The workflow as it will be sent for <paramref name="request"/>.</summary>
    public JsonObject Fill(ImageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workflow = (JsonObject)_template.DeepClone();
        var sampler = Inputs(workflow, _nodes.Sampler);
        sampler[sampler.ContainsKey("noise_seed") ? "noise_seed" : "seed"] = request.Seed & long.MaxValue;
        sampler["steps"] = request.Steps;
        sampler["cfg"] = request.Guidance;
        if (request.Sampler is not null)
        {
            sampler["sampler_name"] = request.Sampler;
        }

        SetText(Inputs(workflow, _nodes.Positive), request.Prompt);
        if (_nodes.Negative is { } negative)
        {
            SetText(Inputs(workflow, negative), request.NegativePrompt);
        }

        if (_nodes.Latent is { } latent)
        {
            var inputs = Inputs(workflow, latent);
            inputs["width"] = request.Width;
            inputs["height"] = request.Height;
            inputs["batch_size"] = 1;
        }

        if (_nodes.Checkpoint is { } checkpoint && Options.Model is { } model)
        {
            Inputs(workflow, checkpoint)["ckpt_name"] = model;
        }

        return workflow;
    }

    public override async Task<ProducedImage> ProduceOnAsync(Uri endpoint, ImageRequest request, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["prompt"] = Fill(request), ["client_id"] = _clientId };
        using var queue = new HttpRequestMessage(HttpMethod.Post, Under(endpoint, "prompt"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        byte[] queued;
        try
        {
            queued = await SendAsync(endpoint, queue, cancellationToken).ConfigureAwait(false);
        }
        catch (BackendException ex) when (ex.Kind == FailureKind.ClientError && ex.Body is not null)
        {
            throw new BackendException(FailureKind.ClientError,
                $"{endpoint}: ComfyUI refused the workflow: {ValidationError(ex.Body)}", endpoint, ex.Status, body: ex.Body,
                innerException: ex);
        }

        string promptId;
        using (var document = ParseJson(endpoint, queued, "/prompt"))
        {
            if (!document.RootElement.TryGetProperty("prompt_id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new BackendException(FailureKind.BadResponse, $"{endpoint}: /prompt answered without a prompt_id", endpoint);
            }

            promptId = id.GetString()!;
        }

        var (filename, subfolder, type) = await WaitForImageAsync(endpoint, promptId, cancellationToken).ConfigureAwait(false);
        string query = $"view?filename={Uri.EscapeDataString(filename)}&subfolder={Uri.EscapeDataString(subfolder)}"
            + $"&type={Uri.EscapeDataString(type)}";
        using var view = new HttpRequestMessage(HttpMethod.Get, Under(endpoint, query));
        byte[] image = await SendAsync(endpoint, view, cancellationToken).ConfigureAwait(false);
        return new ProducedImage
        {
            Bytes = image,
            MediaType = SniffMediaType(image),
            Seed = request.Seed & long.MaxValue,
            Reported = new Dictionary<string, string> { ["prompt_id"] = promptId, ["filename"] = filename },
        };
    }

    private async Task<(string Filename, string Subfolder, string Type)> WaitForImageAsync(Uri endpoint, string promptId,
        CancellationToken cancellationToken)
    {
        var delay = Options.PollInterval;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Under(endpoint, "history/" + Uri.EscapeDataString(promptId)));
            byte[] body = await SendAsync(endpoint, request, cancellationToken).ConfigureAwait(false);
            using var document = ParseJson(endpoint, body, "/history");
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(promptId, out var entry))
            {
                if (Finished(endpoint, entry) is { } image)
                {
                    return image;
                }
            }

            await Task.Delay(delay, Options.Time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(2000, delay.TotalMilliseconds * 1.5));
        }
    }

    /// <summary>The image of a finished job; null while it runs; throws when it failed.</summary>
    private (string, string, string)? Finished(Uri endpoint, JsonElement entry)
    {
        string? status = entry.TryGetProperty("status", out var s) && s.TryGetProperty("status_str", out var str) ? str.GetString() : null;
        bool completed = entry.TryGetProperty("status", out var s2) && s2.TryGetProperty("completed", out var c)
            && c.ValueKind == JsonValueKind.True;
        if (status == "error")
        {
            throw new BackendException(FailureKind.JobFailed, $"{endpoint}: the ComfyUI job failed: {ExecutionError(entry)}",
                endpoint, body: entry.GetRawText()[..Math.Min(entry.GetRawText().Length, 1000)]);
        }

        if (!entry.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var candidates = outputs.EnumerateObject()
            .OrderBy(o => o.Name == _nodes.Output ? 0 : 1)
            .Select(o => o.Value.TryGetProperty("images", out var images) && images.ValueKind == JsonValueKind.Array
                && images.GetArrayLength() > 0 ? images[0] : (JsonElement?)null)
            .Where(i => i is not null)
            .ToList();
        if (candidates.Count == 0)
        {
            return completed || status == "success"
                ? throw new BackendException(FailureKind.JobFailed,
                    $"{endpoint}: the ComfyUI job finished without an image (does the workflow end in a SaveImage node?)", endpoint)
                : null;
        }

        var image = candidates[0]!.Value;
        string filename = image.TryGetProperty("filename", out var f) ? f.GetString() ?? "" : "";
        if (filename.Length == 0)
        {
            throw new BackendException(FailureKind.BadResponse, $"{endpoint}: the job's output image has no filename", endpoint);
        }

        return (filename, image.TryGetProperty("subfolder", out var sub) ? sub.GetString() ?? "" : "", image.TryGetProperty("type",
            out var t) ? t.GetString() ?? "output" : "output");
    }

    private static string ExecutionError(JsonElement entry)
    {
        if (entry.TryGetProperty("status", out var status) && status.TryGetProperty("messages", out var messages)
            && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Array && message.GetArrayLength() == 2
                    && message[0].GetString() == "execution_error")
                {
                    var details = message[1];
                    string node = details.TryGetProperty("node_type", out var n) ? n.GetString() ?? "?" : "?";
                    string text = details.TryGetProperty("exception_message", out var m) ? m.GetString()?.Trim() ?? "" : "";
                    return $"{node}: {text}";
                }
            }
        }

        return "no execution_error message";
    }

    private static string ValidationError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var parts = new List<string>();
            if (root.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var message))
            {
                parts.Add(message.GetString() ?? "");
            }

            if (root.TryGetProperty("node_errors", out var nodes) && nodes.ValueKind == JsonValueKind.Object)
            {
                foreach (var node in nodes.EnumerateObject())
                {
                    if (node.Value.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var e in errors.EnumerateArray())
                        {
                            string? said = e.TryGetProperty("message", out var m) ? m.GetString() : "";
                            string? more = e.TryGetProperty("details", out var d) ? d.GetString() : "";
                            parts.Add($"node {node.Name}: {said} {more}".Trim());
                        }
                    }
                }
            }

            return parts.Count > 0 ? string.Join("; ", parts) : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static JsonObject Inputs(JsonObject workflow, string node) => (JsonObject)workflow[node]!["inputs"]!;

    private static void SetText(JsonObject inputs, string text)
    {
        if (inputs.ContainsKey("text_g") || inputs.ContainsKey("text_l"))
        {
            inputs["text_g"] = text;
            inputs["text_l"] = text;
        }
        else
        {
            inputs["text"] = text;
        }
    }

    private static JsonObject ParseWorkflow(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the ComfyUI workflow is not valid JSON: {ex.Message}", ex);
        }

        if (node is not JsonObject workflow || workflow.Count == 0 || workflow.Any(n => n.Value is not JsonObject o
            || o["class_type"] is null || o["inputs"] is not JsonObject))
        {
            throw new InvalidDataException("the ComfyUI workflow must be in API format (\"Save (API Format)\"): "
                + "an object of nodes, each with class_type and inputs");
        }

        return workflow;
    }

    /// <summary>Which node of a workflow takes which value.</summary>
    private sealed record WorkflowNodes(string Sampler, string Positive, string? Negative, string? Latent, string? Checkpoint,
        string? Output)
    {
        private static readonly string[] Samplers = ["KSampler", "KSamplerAdvanced"];

        public static WorkflowNodes Find(JsonObject workflow, IReadOnlyDictionary<string, string>? named)
        {
            string? Named(string role)
            {
                if (named is null || !named.TryGetValue(role, out var id))
                {
                    return null;
                }

                return workflow.ContainsKey(id) ? id
                    : throw new InvalidDataException($"images.nodes.{role} names node \"{id}\", which is not in the workflow");
            }

            string Class(string id) => workflow[id]!["class_type"]!.GetValue<string>();
            string? Linked(string? from, string input) =>
                from is not null && workflow[from]!["inputs"]![input] is JsonArray link && link.Count > 0 ? link[0]?.ToString() : null;

            string sampler = Named("sampler")
                ?? workflow.Where(n => Samplers.Contains(Class(n.Key))).Select(n => n.Key).FirstOrDefault()
                ?? throw new InvalidDataException(
                    "the ComfyUI workflow has no KSampler node; name the sampler node in images.nodes.sampler");
            string positive = Named("prompt") ?? Linked(sampler, "positive")
                ?? throw new InvalidDataException(
                    "cannot find the prompt node (the sampler's \"positive\" input); name it in images.nodes.prompt");
            string? negative = Named("negative") ?? Linked(sampler, "negative");
            string? latent = Named("latent") ?? Linked(sampler, "latent_image");
            string? checkpoint = Named("checkpoint")
                ?? workflow.Where(n => Class(n.Key) == "CheckpointLoaderSimple").Select(n => n.Key).FirstOrDefault();
            string? output = Named("output") ?? workflow.Where(n => Class(n.Key) == "SaveImage").Select(n => n.Key).FirstOrDefault();
            return new WorkflowNodes(sampler, positive, negative, latent, checkpoint, output);
        }
    }
}
