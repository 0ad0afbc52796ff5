namespace VisInstruct.Backends;

/// <summary>The content-addressed store of backend responses (the run state implements it).</summary>
public interface IResponseCache
{
    /// <summary>The response stored under <paramref name="scope"/> (the asking item's key) and request hash, or null.</summary>
    byte[]? TryGet(string scope, byte[] key);

    /// <summary>
    /// Stores <paramref name="value"/> as the response to request hash <paramref name="key"/> asked for <paramref
    /// name="scope"/>.
    /// </summary>
    void Put(string scope, byte[] key, string backend, string model, byte[] value);
}
