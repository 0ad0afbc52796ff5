using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests;

/// <summary>
/// The pre-flight checks through the real command line: every configured backend is asked one cheap question before
/// the run, and a backend that cannot serve stops it with exit 2, the backend, the URL and the problem, before a
/// single paid request (the LLM server sees no chat request).
/// </summary>
public class PreflightTests
{
    private static readonly byte[] Png = File.ReadAllBytes(Paths.Data("image_headers", "image.png"));

    /// <summary>An AUTOMATIC1111 double: <paramref name="preflight"/> answers its GETs; txt2img draws.</summary>
    private static Task<LoopbackServer> A1111(int preflight = 200) => LoopbackServer.StartAsync((context, request) =>
    {
        if (request.Method == "GET")
        {
            return preflight == 200 ? context.Json("[{\"title\": \"sd_xl_base_1.0.safetensors\"}]")
                : context.Json("{\"detail\": \"Incorrect credentials\"}", preflight);
        }

        if (preflight != 200)
        {
            return context.Json("{\"detail\": \"Incorrect credentials\"}", preflight);
        }

        using var body = JsonDocument.Parse(request.Body);
        long seed = body.RootElement.GetProperty("seed").GetInt64();
        return context.Json(JsonSerializer.Serialize(new { images = new[] { Convert.ToBase64String(Png) },
            info = JsonSerializer.Serialize(new { seed }) }));
    });

    /// <summary>A URL on 127.0.0.1 where nothing listens.</summary>
    private static Uri Closed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private static int Chats(LoopbackServer chat) => chat.To("/v1/chat/completions").Count;

    private static string Config(TempDir temp, string llm, string images) => temp.Write("run.yaml",
        $"llm:\n  endpoints: [{llm}]\n  model: writer\n  retries: 0\nimages:\n  backend: a1111\n  endpoints: [{images}]\n  width: 64\n  "
            + $"height: 64\n  retries: 0\n"
        + "  username_env: VISINSTRUCT_TEST_A1111_USER\n  password_env: VISINSTRUCT_TEST_A1111_PASSWORD\n");

    private static CliRunner.Result Generate(TempDir temp, string config, params string[] extra) => CliRunner.Run([
        "generate", "--config", config, "--out", temp.File("out"), "--abilities", "animal", "--count", "2", "--quiet", .. extra]);

    public PreflightTests()
    {
        Environment.SetEnvironmentVariable("VISINSTRUCT_TEST_A1111_USER", "alice");
        Environment.SetEnvironmentVariable("VISINSTRUCT_TEST_A1111_PASSWORD", "wrong");
    }

    [Fact]
    public async Task WrongA1111Password_StopsBeforeAnyLlmRequest()
    {
        using var temp = new TempDir();
        await using var chat = await FakeChatServer.StartAsync("writer");
        await using var images = await A1111(preflight: 401);

        var result = Generate(temp, Config(temp, $"{chat.BaseUrl}v1", images.BaseUrl.ToString()));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pre-flight check failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("no images (a1111) endpoint can serve the run", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{images.BaseUrl}sdapi/v1/sd-models refused the credentials (HTTP 401: Incorrect credentials)", result.Error,
            StringComparison.Ordinal);
        Assert.Contains("images.username_env / images.password_env", result.Error, StringComparison.Ordinal);
        Assert.Contains("--skip-preflight", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, Chats(chat));
        Assert.Empty(images.To("/sdapi/v1/txt2img"));
        Assert.Equal("Basic " + Convert.ToBase64String("alice:wrong"u8.ToArray()),
            images.To("/sdapi/v1/sd-models").Single().Headers["Authorization"]);
    }

    [Fact]
    public async Task LlmBaseUrlWithoutV1_IsA404_SaysToCheckTheBaseUrl()
    {
        using var temp = new TempDir();
        await using var chat = await FakeChatServer.StartAsync("writer");
        await using var images = await A1111();

        var result = Generate(temp, Config(temp, chat.BaseUrl.ToString().TrimEnd('/'), images.BaseUrl.ToString()));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no llm (writer) endpoint can serve the run", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{chat.BaseUrl}models was not found (HTTP 404", result.Error, StringComparison.Ordinal);
        Assert.Contains("the server's base URL?", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, Chats(chat));
        Assert.Empty(images.To("/sdapi/v1/txt2img"));
    }

    [Fact]
    public async Task LlmConnectionRefused_IsSaid()
    {
        using var temp = new TempDir();
        await using var images = await A1111();
        var closed = Closed();

        var result = Generate(temp, Config(temp, $"{closed}v1", images.BaseUrl.ToString()));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"cannot reach {closed}v1/models: connection refused", result.Error, StringComparison.Ordinal);
        Assert.Empty(images.To("/sdapi/v1/txt2img"));
    }

    [Fact]
    public async Task ModelNotServed_NamesWhatIsServed()
    {
        using var temp = new TempDir();
        await using var chat = await FakeChatServer.StartAsync("llama-3.1-8b");
        await using var images = await A1111();

        var result = Generate(temp, Config(temp, $"{chat.BaseUrl}v1", images.BaseUrl.ToString()));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not serve the model \"writer\"; it serves: \"llama-3.1-8b\"", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, Chats(chat));
    }

    [Fact]
    public async Task LlmKeyRefused_Is403_NamesTheKeySetting()
    {
        using var temp = new TempDir();
        await using var chat =
            await LoopbackServer.StartAsync((context, _) => context.Json("{\"error\": {\"message\": \"invalid api key\"}}", 403));
        await using var images = await A1111();

        var result = Generate(temp, Config(temp, $"{chat.BaseUrl}v1", images.BaseUrl.ToString()));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{chat.BaseUrl}v1/models refused the credentials (HTTP 403: invalid api key); check the key or password that "
            + $"llm.api_key_env (none is set) names", result.Error, StringComparison.Ordinal);
        Assert.Empty(chat.To("/v1/chat/completions"));
    }

    [Fact]
    public async Task OneImageEndpointDownOfTwo_IsAWarning_AndTheRunGoesOn()
    {
        using var temp = new TempDir();
        await using var images = await A1111();
        var closed = Closed();
        string config = temp.Write("run.yaml",
            $"images:\n  backend: a1111\n  endpoints: [{images.BaseUrl}, {closed}]\n  width: 64\n  height: 64\n  retries: 0\n");

        var result = Generate(temp, config);

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains($"warning: images (a1111): cannot reach {closed}sdapi/v1/sd-models: connection refused", result.Error,
            StringComparison.Ordinal);
        Assert.NotEmpty(images.To("/sdapi/v1/txt2img"));
    }

    [Fact]
    public async Task ComfyUiAndOpenAiImages_AreCheckedToo()
    {
        using var temp = new TempDir();
        await using var server =
            await LoopbackServer.StartAsync((context, _) => context.Json("{\"error\": {\"message\": \"no such route\"}}", 404));
        string workflowless = temp.Write("comfy.yaml", $"images:\n  backend: comfyui\n  endpoints: [{server.BaseUrl}]\n");
        var comfy = CliRunner.Run("generate", "--config", workflowless, "--out", temp.File("comfy"), "--abilities", "animal", "--count",
            "1", "--quiet");
        Assert.Equal(2, comfy.ExitCode);
        Assert.Contains($"no images (comfyui) endpoint can serve the run:\n    {server.BaseUrl}system_stats was not found (HTTP 404",
            comfy.Error, StringComparison.Ordinal);
        Assert.Contains("ComfyUI answers at the server root", comfy.Error, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable("VISINSTRUCT_TEST_OPENAI_KEY", "sk-test-not-real");
        await using var openai = await LoopbackServer.StartAsync((context, _) =>
            context.Json("{\"error\": {\"message\": \"Incorrect API key provided\"}}", 401));
        string openaiConfig = temp.Write("openai.yaml",
            $"images:\n  backend: openai\n  endpoints: [{openai.BaseUrl}v1]\n  api_key_env: VISINSTRUCT_TEST_OPENAI_KEY\n");
        var images = CliRunner.Run("generate", "--config", openaiConfig, "--out", temp.File("openai"), "--abilities", "animal", "--count",
            "1", "--quiet");
        Assert.Equal(2, images.ExitCode);
        Assert.Contains($"{openai.BaseUrl}v1/models refused the credentials (HTTP 401: Incorrect API key provided); check the key or "
            + $"password that images.api_key_env names", images.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-not-real", images.Error, StringComparison.Ordinal);
        Assert.Empty(openai.To("/v1/images/generations"));
    }

    [Fact]
    public async Task SkipPreflight_SendsTheRunAnyway()
    {
        using var temp = new TempDir();
        await using var images = await A1111(preflight: 401);
        string config = temp.Write("run.yaml",
            $"images:\n  backend: a1111\n  endpoints: [{images.BaseUrl}]\n  width: 64\n  height: 64\n  retries: 0\n");

        var result = Generate(temp, config, "--skip-preflight");

        Assert.Empty(images.To("/sdapi/v1/sd-models"));
        Assert.NotEmpty(images.To("/sdapi/v1/txt2img"));
        Assert.Equal(1, result.ExitCode);
    }
}
