using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using VisInstruct.Backends;
using VisInstruct.Backends.Images;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Backends;

public class ImageBackendTests
{
    private static readonly byte[] Png = File.ReadAllBytes(Paths.Data("image_headers", "image.png"));

    private static ImageEndpointsOptions Options(LoopbackServer server, string? model = null, int retries = 2, TimeSpan? timeout = null,
        string path = "") => new()
    {
        Endpoints = [new Uri(server.BaseUrl, path)],
        Model = model,
        Retries = retries,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    private static ImageRequest Request(long seed = 1234) =>
        new() { Prompt = "((Peacock)), garden, realistic", Seed = seed, Width = 1024, Height = 768, Steps = 30, Guidance = 5.0 };

    private static string A1111Answer(long seed) => JsonSerializer.Serialize(new
    {
        images = new[] { Convert.ToBase64String(Png) },
        parameters = new { },
        info = JsonSerializer.Serialize(new { seed, sampler_name = "Euler", sd_model_name = "sd_xl_base_1.0" }),
    });

    [Fact]
    public async Task A1111_SendsTheTxt2ImgJson_AndReadsTheSeedBack()
    {
        await using var server = await LoopbackServer.StartAsync((context, request) => context.Json(A1111Answer(987654)));
        using var producer =
            ImageBackends.A1111(Options(server, model: "sd_xl_base_1.0.safetensors") with { BasicAuth = ("user", "pass") });
        var image = await producer.ProduceAsync(Request() with { Sampler = "Euler" });

        Assert.Equal(987654, image.Seed);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(Png, image.Bytes);
        Assert.Equal("Euler", image.Reported["sampler_name"]);
        var sent = Assert.Single(server.To("/sdapi/v1/txt2img"));
        Assert.Equal("Basic " + Convert.ToBase64String("user:pass"u8.ToArray()), sent.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        using var expected = JsonDocument.Parse("""
            {"prompt": "((Peacock)), garden, realistic", "negative_prompt": "", "seed": 1234, "steps": 30, "cfg_scale": 5.0, "width": 1024,
            """
            + """
             "height": 768,
             "sampler_name": "Euler", "batch_size": 1, "n_iter": 1, "send_images": true, "save_images": false,
             "override_settings": {"sd_model_checkpoint": "sd_xl_base_1.0.safetensors"}, "override_settings_restore_afterwards": false}
            """);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, body.RootElement), sent.Text);
    }

    [Fact]
    public async Task A1111_RetriesRateLimitsServerErrorsAndMalformedAnswers()
    {
        await using var server = await LoopbackServer.StartAsync((context, request) => request.Index switch
        {
            0 => RateLimit(context, 1),
            1 => context.Json("{\"error\": \"RuntimeError\", \"detail\": \"CUDA error\"}", 500),
            2 => context.Json("{\"images\": [\"not base64!\"]"),
            _ => context.Json(A1111Answer(5)),
        });
        using var producer = ImageBackends.A1111(Options(server, retries: 4));
        var watch = Stopwatch.StartNew();
        var image = await producer.ProduceAsync(Request());
        Assert.Equal(5, image.Seed);
        Assert.Equal(4, server.Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task A1111_ValidationErrorIsNotRetried_AndSaysWhatTheServerSaid()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
            context.Json("{\"detail\": [{\"loc\": [\"body\", \"steps\"], \"msg\": \"value is not a valid integer\"}]}", 422));
        using var producer = ImageBackends.A1111(Options(server));
        var error = await Assert.ThrowsAsync<BackendException>(() => producer.ProduceAsync(Request()));
        Assert.Equal(FailureKind.ClientError, error.Kind);
        Assert.Contains("value is not a valid integer", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task SlowAndDroppedAnswers_AreTimeoutsAndConnectionFailures()
    {
        await using var slow = await LoopbackServer.StartAsync(async (context, _) =>
        {
            try
            {
                await Task.Delay(5000, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });
        using var timing = ImageBackends.A1111(Options(slow, retries: 1, timeout: TimeSpan.FromMilliseconds(300)));
        var timeout = await Assert.ThrowsAsync<BackendException>(() => timing.ProduceAsync(Request()));
        Assert.Equal(FailureKind.Timeout, timeout.Kind);
        Assert.Equal(2, timeout.Attempts);

        await using var dropping = await LoopbackServer.StartAsync((context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        using var dropped = ImageBackends.A1111(Options(dropping, retries: 1));
        Assert.Equal(FailureKind.Connection, (await Assert.ThrowsAsync<BackendException>(() => dropped.ProduceAsync(Request()))).Kind);
    }

    [Fact]
    public async Task OpenAiImages_SendsTheGenerationsJson_AndSaysTheSeedWasNotUsed()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
            context.Json(JsonSerializer.Serialize(new { created = 1,
                data = new[] { new { b64_json = Convert.ToBase64String(Png), revised_prompt = "A peacock in a garden." } } })));
        using var producer = ImageBackends.OpenAiImages(Options(server, model: "dall-e-3", path: "v1/") with { ApiKey = "sk-test" });
        var image = await producer.ProduceAsync(Request());
        Assert.False(image.SeedHonoured);
        Assert.Equal("A peacock in a garden.", image.Reported["revised_prompt"]);
        var sent = Assert.Single(server.To("/v1/images/generations"));
        Assert.Equal("Bearer sk-test", sent.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        using var expected = JsonDocument.Parse("""{"model": "dall-e-3", "prompt": "((Peacock)), garden, realistic", "n": 1"""
            + """, "size": "1024x768", "response_format": "b64_json"}""");
        Assert.True(JsonElement.DeepEquals(expected.RootElement, body.RootElement), sent.Text);

        using var gptImage = ImageBackends.OpenAiImages(Options(server, model: "gpt-image-1", path: "v1/"));
        await gptImage.ProduceAsync(Request());
        Assert.DoesNotContain("response_format", server.To("/v1/images/generations")[1].Text, StringComparison.Ordinal);
    }

    /// <summary>A double of ComfyUI: queue, history (empty while running), view; scripted per job.</summary>
    private static Task<LoopbackServer> ComfyUi(Func<int, string> outcome, int pollsBeforeDone = 2)
    {
        int jobs = 0;
        var polls = new Dictionary<string, int>();
        return LoopbackServer.StartAsync(async (context, request) =>
        {
            if (request.Path == "/prompt")
            {
                int job = Interlocked.Increment(ref jobs) - 1;
                if (outcome(job) == "invalid")
                {
                    await context.Json("""{"error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed val"""
                        + """idation", "details": ""}"""
                        + """, "node_errors": {"4": {"errors": [{"type": "value_not_in_list", "message": "Value not in list", "detail"""
                        + """s": "ckpt_name: 'missing.safetensors' not in []"}], "class_type": "CheckpointLoaderSimple"}}}""", 400);
                    return;
                }

                await context.Json($$$"""{"prompt_id": "job-{{{job}}}", "number": {{{job}}}, "node_errors": {}}""");
                return;
            }

            if (request.Path.StartsWith("/history/", StringComparison.Ordinal))
            {
                string id = request.Path["/history/".Length..];
                int seen;
                lock (polls)
                {
                    polls[id] = seen = polls.GetValueOrDefault(id) + 1;
                }

                int job = int.Parse(id["job-".Length..], System.Globalization.CultureInfo.InvariantCulture);
                if (seen <= pollsBeforeDone)
                {
                    await context.Json("{}");
                }
                else if (outcome(job) == "error")
                {
                    await context.Json($$$$"""{"{{{{id}}}}": {"prompt": []"""
                        + $$$$""", "outputs": {}, "status": {"status_str": "error", "completed": false"""
                        + $$$$""", "messages": [["execution_start", {"prompt_id": "{{{{id}}}}"}]"""
                        + $$$$""", ["execution_error", {"prompt_id": "{{{{id}}}}", "node_id": "3", "node_type": "KSampler", "exception_"""
                        + $$$$"""message": "Allocation on device 0 would exceed allowed memory.", "exception_type": "torch.OutOfMemoryE"""
                        + $$$$"""rror"}]]}}}""");
                }
                else
                {
                    await context.Json($$$$"""{"{{{{id}}}}": {"prompt": []"""
                        + $$$$""", "outputs": {"9": {"images": [{"filename": "visinstruct_{{{{job}}}}_.png", "subfolder": "", "typ"""
                        + $$$$"""e": "output"}]}}, "status": {"status_str": "success", "completed": true, "messages": []}}}""");
                }

                return;
            }

            if (request.Path == "/view")
            {
                context.Response.ContentType = "image/png";
                await context.Response.Body.WriteAsync(Png);
                return;
            }

            await context.Json("{}", 404);
        });
    }

    [Fact]
    public async Task ComfyUi_FillsTheWorkflow_PollsTheHistory_AndDownloadsTheImage()
    {
        await using var server = await ComfyUi(_ => "ok");
        using var producer = ImageBackends.ComfyUi(Options(server, model: "sd_xl_base_1.0.safetensors"));
        var image = await producer.ProduceAsync(Request(seed: 42) with { NegativePrompt = "blurry" });

        Assert.Equal(Png, image.Bytes);
        Assert.Equal(42, image.Seed);
        Assert.Equal("job-0", image.Reported["prompt_id"]);
        using var posted = JsonDocument.Parse(Assert.Single(server.To("/prompt")).Body);
        var workflow = posted.RootElement.GetProperty("prompt");
        Assert.StartsWith("visinstruct-", posted.RootElement.GetProperty("client_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("((Peacock)), garden, realistic", workflow.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString());
        Assert.Equal("blurry", workflow.GetProperty("7").GetProperty("inputs").GetProperty("text").GetString());
        var sampler = workflow.GetProperty("3").GetProperty("inputs");
        Assert.Equal((42, 30, 5.0),
            (sampler.GetProperty("seed").GetInt64(), sampler.GetProperty("steps").GetInt32(), sampler.GetProperty("cfg").GetDouble()));
        var latent = workflow.GetProperty("5").GetProperty("inputs");
        Assert.Equal((1024, 768, 1),
            (latent.GetProperty("width").GetInt32(), latent.GetProperty("height").GetInt32(), latent.GetProperty("batch_size").GetInt32()));
        Assert.Equal("sd_xl_base_1.0.safetensors", workflow.GetProperty("4").GetProperty("inputs").GetProperty("ckpt_name").GetString());
        Assert.Equal(3, server.To("/history/job-0").Count);
        Assert.Equal("?filename=visinstruct_0_.png&subfolder=&type=output", Assert.Single(server.To("/view")).Query);
    }

    [Fact]
    public async Task ComfyUi_AJobThatErrors_IsAJobFailureWithTheExceptionMessage()
    {
        await using var server = await ComfyUi(job => job == 0 ? "error" : "ok");
        using var producer = ImageBackends.ComfyUi(Options(server, retries: 2));
        var error = await Assert.ThrowsAsync<BackendException>(() => producer.ProduceAsync(Request()));
        Assert.Equal(FailureKind.JobFailed, error.Kind);
        Assert.Contains("KSampler: Allocation on device 0 would exceed allowed memory.", error.Message, StringComparison.Ordinal);
        Assert.Single(server.To("/prompt"));
    }

    [Fact]
    public async Task ComfyUi_ARefusedWorkflow_NamesTheNodeAndTheProblem()
    {
        await using var server = await ComfyUi(_ => "invalid");
        using var producer = ImageBackends.ComfyUi(Options(server, model: "missing.safetensors"));
        var error = await Assert.ThrowsAsync<BackendException>(() => producer.ProduceAsync(Request()));
        Assert.Equal(FailureKind.ClientError, error.Kind);
        Assert.Contains("node 4: Value not in list ckpt_name: 'missing.safetensors' not in []", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComfyUi_UsesNamedNodesAndSdxlTextInputs()
    {
        var workflow = new JsonObject
        {
            ["10"] = new JsonObject { ["class_type"] = "KSamplerAdvanced",
                ["inputs"] = new JsonObject { ["noise_seed"] = 0, ["steps"] = 20, ["cfg"] = 7.0, ["positive"] = new JsonArray("20", 0),
                ["negative"] = new JsonArray("21", 0), ["latent_image"] = new JsonArray("30", 0) } },
            ["20"] =
                new JsonObject { ["class_type"] = "CLIPTextEncodeSDXL", ["inputs"] = new JsonObject { ["text_g"] = "", ["text_l"] = "" } },
            ["21"] = new JsonObject { ["class_type"] = "CLIPTextEncode", ["inputs"] = new JsonObject { ["text"] = "" } },
            ["30"] = new JsonObject { ["class_type"] = "EmptyLatentImage",
                ["inputs"] = new JsonObject { ["width"] = 512, ["height"] = 512, ["batch_size"] = 4 } },
            ["40"] = new JsonObject { ["class_type"] = "SaveImage", ["inputs"] = new JsonObject() },
        };
        using var producer =
            new ComfyUiProducer(new ImageEndpointsOptions { Endpoints = [new Uri("http://127.0.0.1:1")] }, workflow.ToJsonString());
        var filled = producer.Fill(Request(seed: 7));
        Assert.Equal(7, filled["10"]!["inputs"]!["noise_seed"]!.GetValue<long>());
        Assert.Equal("((Peacock)), garden, realistic", filled["20"]!["inputs"]!["text_g"]!.GetValue<string>());
        Assert.Equal("((Peacock)), garden, realistic", filled["20"]!["inputs"]!["text_l"]!.GetValue<string>());
        Assert.Equal(1, filled["30"]!["inputs"]!["batch_size"]!.GetValue<int>());

        Assert.Throws<InvalidDataException>(() =>
            new ComfyUiProducer(new ImageEndpointsOptions { Endpoints = [new Uri("http://127.0.0.1:1")] },
            """{"1": {"class_type": "SaveImage", "inputs": {}}}"""));
        Assert.Throws<InvalidDataException>(() =>
            new ComfyUiProducer(new ImageEndpointsOptions { Endpoints = [new Uri("http://127.0.0.1:1")] },
            ComfyUiProducer.DefaultWorkflow(),
            new Dictionary<string, string> { ["prompt"] = "99" }));
    }

    [Fact]
    public async Task ImageService_SavesInTheFileNamesFormat_RecordsProvenance_AndReusesAnIntactFile()
    {
        using var temp = new TempDir();
        await using var server = await LoopbackServer.StartAsync((context, _) => context.Json(A1111Answer(77)));
        using var producer = ImageBackends.A1111(Options(server, model: "sdxl"));
        var service = new ImageService(producer);
        var gateway = TestGateway.Create(out var ledger);
        string destination = temp.File("animal", "0.jpg");

        var first = await service.RenderAsync("animal/0", gateway, Request(), destination, "animal/0.jpg");
        Assert.Equal(VisInstruct.Imaging.ImageFormat.Jpeg, VisInstruct.Imaging.ImageHeader.TryRead(destination)!.Value.Format);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(destination))),
            first.Provenance.Sha256);
        Assert.Equal((77L, "a1111", "sdxl", "animal/0.jpg"),
            (first.Provenance.Seed, first.Provenance.Backend, first.Provenance.Model, first.Provenance.File));
        Assert.Equal(1, ledger.ThisRun().Single().Images);

        var again = await service.RenderAsync("animal/0", gateway, Request(), destination, "animal/0.jpg");
        Assert.Equal(first.Provenance, again.Provenance);
        Assert.Equal(1, server.Count);

        File.Delete(destination);
        await service.RenderAsync("animal/0", gateway, Request(), destination, "animal/0.jpg");
        Assert.Equal(2, server.Count);
        Assert.True(File.Exists(destination));
    }

    [Fact]
    public async Task Procedural_IsDeterministicBySeed_AndKeepsTheSceneAsGroundTruth()
    {
        using var producer = new ProceduralProducer();
        var request = new ImageRequest { Prompt = "three ((Yellow-lemon)) stars", Seed = 11, Width = 256, Height = 256 };
        var a = await producer.ProduceAsync(request);
        var b = await producer.ProduceAsync(request);
        var c = await producer.ProduceAsync(request with { Seed = 12 });
        Assert.Equal(a.Bytes, b.Bytes);
        Assert.NotEqual(a.Bytes, c.Bytes);
        Assert.Equal(3, a.Scene!.Objects.Count);
        Assert.All(a.Scene.Objects, o => Assert.Equal(("star", "yellow"), (o.ShapeName, o.Color.Name)));
        Assert.Equal("procedural", producer.Kind);
    }

    private static async Task RateLimit(HttpContext context, int seconds)
    {
        context.Response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Json("{\"error\": \"too many requests\"}", 429);
    }
}
