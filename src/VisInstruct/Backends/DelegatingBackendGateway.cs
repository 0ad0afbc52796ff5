namespace VisInstruct.Backends;

/// <summary>A gateway layer that passes calls to the one under it; layers override <see cref="SendAsync"/>.</summary>
public abstract class DelegatingBackendGateway : IBackendGateway
{
    protected DelegatingBackendGateway(IBackendGateway inner) => Inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The layer under this one.</summary>
    protected IBackendGateway Inner { get; }

    /// <inheritdoc />
    public virtual ValueTask<BackendResponse> SendAsync(BackendCall call, CancellationToken cancellationToken = default) =>
        Inner.SendAsync(call, cancellationToken);
}
