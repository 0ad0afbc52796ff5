using VisInstruct.Backends;
using VisInstruct.Backends.Images;
using VisInstruct.Backends.Llm;

namespace VisInstruct.Tests.Backends;

public class OptionsValidationTests
{
    private static readonly Uri Local = new("http://127.0.0.1:1/v1/");

    private static ChatEndpointsOptions Chat => new() { Endpoints = [Local], Model = "m" };

    private static ImageEndpointsOptions Images => new() { Endpoints = [Local] };

    [Fact]
    public void TheDefaults_AreValid()
    {
        var chat = Chat;
        Assert.Same(chat, chat.Validate());
        var images = Images;
        Assert.Same(images, images.Validate());
        var pool = new EndpointPoolOptions();
        Assert.Same(pool, pool.Validate());
        var service = new LlmServiceOptions { Model = "m" };
        Assert.Same(service, service.Validate());
        var imageService = new ImageServiceOptions();
        Assert.Same(imageService, imageService.Validate());
    }

    public static TheoryData<string, ChatEndpointsOptions> BadChat => new()
    {
        { "Endpoints", Chat with { Endpoints = [] } },
        { "Endpoints", Chat with { Endpoints = [new Uri("relative", UriKind.Relative)] } },
        { "Model", Chat with { Model = " " } },
        { "RequestTimeout", Chat with { RequestTimeout = TimeSpan.Zero } },
        { "QueueTimeout", Chat with { QueueTimeout = TimeSpan.FromSeconds(-1) } },
        { "MaxConcurrencyPerEndpoint", Chat with { MaxConcurrencyPerEndpoint = 0 } },
        { "Retries", Chat with { Retries = -1 } },
        { "RetryDelay", Chat with { RetryDelay = TimeSpan.FromMilliseconds(-1) } },
    };

    [Theory]
    [MemberData(nameof(BadChat))]
    public void ABadChatSetting_IsRefusedWhenTheBackendIsBuilt_NamingIt(string setting, ChatEndpointsOptions options)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => ChatBackend.Build(options));
        Assert.Equal(setting, error.ParamName);
    }

    public static TheoryData<string, ImageEndpointsOptions> BadImages => new()
    {
        { "Endpoints", Images with { Endpoints = [] } },
        { "RequestTimeout", Images with { RequestTimeout = TimeSpan.FromSeconds(-5) } },
        { "MaxConcurrencyPerEndpoint", Images with { MaxConcurrencyPerEndpoint = -2 } },
        { "Retries", Images with { Retries = -1 } },
        { "PollInterval", Images with { PollInterval = TimeSpan.Zero } },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public void ABadImageSetting_IsRefusedWhenTheBackendIsBuilt_NamingIt(string setting, ImageEndpointsOptions options)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => ImageBackends.ComfyUi(options));
        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void BadPoolAndServiceSettings_AreRefusedAtConstruction()
    {
        Assert.Equal("MaxConcurrencyPerEndpoint", Assert.ThrowsAny<ArgumentException>(() =>
            new EndpointPool<Uri>([(Local, Local)], new EndpointPoolOptions { MaxConcurrencyPerEndpoint = 0 })).ParamName);
        Assert.Equal("MaxProbeInterval", Assert.ThrowsAny<ArgumentException>(() =>
            new EndpointPool<Uri>([(Local, Local)], new EndpointPoolOptions { MaxProbeInterval = TimeSpan.FromSeconds(1) })).ParamName);
        using var client = ChatBackend.Build(Chat);
        Assert.Equal("Temperature", Assert.ThrowsAny<ArgumentException>(() =>
            new LlmService(client, new LlmServiceOptions { Model = "m", Temperature = 3 })).ParamName);
        Assert.Equal("MaxTokens", Assert.ThrowsAny<ArgumentException>(() =>
            new LlmService(client, new LlmServiceOptions { Model = "m", MaxTokens = 0 })).ParamName);
        Assert.Equal("JpegQuality", Assert.ThrowsAny<ArgumentException>(() =>
            new ImageService(new ProceduralProducer(), new ImageServiceOptions { JpegQuality = 0 })).ParamName);
    }

    [Fact]
    public void TheLanes_AreDeclaredOnce_AndTheServicesDefaultToThem()
    {
        Assert.Equal(("llm", "vision", "images"), (BackendLane.Llm.Name, BackendLane.Vision.Name, BackendLane.Images.Name));
        Assert.Equal((64, 16, 4),
            (BackendLane.Llm.DefaultConcurrency, BackendLane.Vision.DefaultConcurrency, BackendLane.Images.DefaultConcurrency));
        Assert.Equal(BackendLane.Llm.Name, new LlmServiceOptions { Model = "m" }.Name);
        Assert.Equal(BackendLane.Images.Name, new ImageService(new ProceduralProducer()).Name);
    }
}
