namespace VisInstruct.Backends.Images;

/// <summary>Retries an image that failed transiently (<see cref="BackendRetry"/>), each attempt on the best endpoint then.</summary>
internal sealed class RetryingImageProducer(IImageProducer inner, BackendRetry retry) : DelegatingImageProducer(inner)
{
    public override Task<ProducedImage> ProduceAsync(ImageRequest request, CancellationToken cancellationToken = default) =>
        retry.ExecuteAsync(token => base.ProduceAsync(request, token), cancellationToken);
}
