namespace VisInstruct.Backends;

/// <summary>
/// One call through the run-state layers: the request in canonical form, asked for <see cref="Scope"/> (an item's key,
/// or a recipe's own key for work shared by items), and how to send it when no layer answers it.
/// </summary>
public sealed record BackendCall(string Scope, BackendRequest Request, Func<CancellationToken, ValueTask<BackendResponse>> Send)
{
    /// <summary>
    /// Whether a cached response may be used (an image's metadata is cached, and the image file must still be there);
    /// null: any cached response is.
    /// </summary>
    public Func<byte[], bool>? Reuse { get; init; }
}
