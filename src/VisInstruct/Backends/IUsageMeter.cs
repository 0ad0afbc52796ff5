namespace VisInstruct.Backends;

/// <summary>Where the accounting layer counts what calls used, per backend and model (the engine's ledger implements it).</summary>
public interface IUsageMeter
{
    /// <summary>Counts one answered request and what it used.</summary>
    void RecordRequest(string backend, string model, Usage usage);

    /// <summary>Counts one request that failed (a request and an error).</summary>
    void RecordError(string backend, string model);

    /// <summary>Counts one answer taken from the cache.</summary>
    void RecordCacheHit(string backend, string model);
}
