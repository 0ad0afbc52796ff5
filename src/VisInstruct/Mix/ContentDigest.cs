using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using VisInstruct.Datasets;

namespace VisInstruct.Mix;

/// <summary>
/// The exact-duplicate key of a sample: SHA-256 over the SHA-256 of each image's bytes and the dialogue's roles and
/// texts, kept as its first 16 bytes. Each image file is read once (up to <see cref="CachedImages"/> distinct files;
/// beyond that the cache starts over and a file may be read again).
/// </summary>
internal sealed class ContentDigest
{
    /// <summary>The most image digests kept at once (about 100 bytes each with the path).</summary>
    public const int CachedImages = 1 << 20;

    private readonly Dictionary<string, UInt128> _images = new(StringComparer.Ordinal);

    /// <summary>Image files read so far.</summary>
    public long ImagesHashed { get; private set; }

    /// <summary>The key of <paramref name="sample"/>, whose images resolve to <paramref name="imageFiles"/>.</summary>
    public UInt128 Of(DatasetSample sample, IReadOnlyList<string> imageFiles)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(number, imageFiles.Count);
        hash.AppendData(number[..4]);
        foreach (string file in imageFiles)
        {
            BinaryPrimitives.WriteUInt128LittleEndian(number, Image(file));
            hash.AppendData(number);
        }

        foreach (var turn in sample.Sample.Conversations)
        {
            Append(hash, turn.From);
            Append(hash, turn.Value);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    /// <summary>A 64-bit hash of an id (for the id set; a collision only gives an id a suffix it did not need).</summary>
    public static ulong OfId(string id)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    private UInt128 Image(string file)
    {
        if (_images.TryGetValue(file, out var known))
        {
            return known;
        }

        if (_images.Count >= CachedImages)
        {
            _images.Clear();
        }

        Span<byte> digest = stackalloc byte[32];
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16))
        {
            SHA256.HashData(stream, digest);
        }

        ImagesHashed++;
        var value = BinaryPrimitives.ReadUInt128LittleEndian(digest);
        _images[file] = value;
        return value;
    }

    private static void Append(IncrementalHash hash, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
