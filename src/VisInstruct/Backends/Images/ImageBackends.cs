namespace VisInstruct.Backends.Images;

/// <summary>
/// Composes the HTTP image backends with <see cref="ImageProducerBuilder"/>, outermost first: retries, then endpoint
/// pooling (with the request timeout) over the server's adapter.
/// </summary>
public static class ImageBackends
{
    /// <summary>AUTOMATIC1111 / Forge (<c>POST /sdapi/v1/txt2img</c>).</summary>
    public static IImageProducer A1111(ImageEndpointsOptions options) => Compose(new A1111Producer(options));

    /// <summary>An OpenAI-style images endpoint (<c>POST /v1/images/generations</c>).</summary>
    public static IImageProducer OpenAiImages(ImageEndpointsOptions options) => Compose(new OpenAiImagesProducer(options));

    /// <summary>
    /// ComfyUI with an API-format workflow (<paramref name="workflowJson"/>; null: the built-in SD-XL base one) and the
    /// nodes to fill named (null: found from the sampler's links). A workflow that lacks what is needed is an
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    public static IImageProducer ComfyUi(ImageEndpointsOptions options, string? workflowJson = null, IReadOnlyDictionary<string,
        string>? nodes = null) =>
        Compose(new ComfyUiProducer(options, workflowJson, nodes));

    private static IImageProducer Compose(HttpImageBackend backend) =>
        new ImageProducerBuilder(new PooledImageProducer(backend)).UseRetry(backend.Options.RetryPolicy()).Build();
}
