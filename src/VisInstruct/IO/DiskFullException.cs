namespace VisInstruct.IO;

/// <summary>A write that failed because the filesystem is full (or over quota): said so, with the path, as an I/O error.</summary>
public sealed class DiskFullException(string path, string message, Exception innerException) : IOException(message, innerException)
{
    /// <summary>The file or folder that could not be written.</summary>
    public string Path { get; } = path;
}
