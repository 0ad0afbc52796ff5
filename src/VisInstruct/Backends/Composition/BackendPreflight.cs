namespace VisInstruct.Backends.Composition;

/// <summary>What the pre-flight check found at every endpoint of one configured backend.</summary>
public sealed record BackendPreflight(string Backend, IReadOnlyList<EndpointHealth> Endpoints)
{
    /// <summary>No endpoint of the backend can serve the run.</summary>
    public bool AllDown => Endpoints.Count > 0 && Endpoints.All(e => !e.Ok);
}
