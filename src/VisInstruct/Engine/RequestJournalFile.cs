using System.Buffers.Binary;
using System.Text;

namespace VisInstruct.Engine;

/// <summary>
/// The run state's append-only journal of backend requests, beside the database (<c>state.db.requests.N</c>, N its
/// generation): a record when a request is about to be sent, and one with the answer (or the failure) when it comes.
/// Each record is one <c>write</c> to the file before the caller goes on, so once the call returns it survives the
/// process being killed (the kernel has it) without waiting for a database commit. The database folds the records in
/// with its batches and remembers how far it has folded; the next open replays the rest: answers go into the cache and
/// the usage, and a request without an answer is counted as sent, its answer lost. Past a size the journal goes on in
/// the next generation's file, which starts with the requests still open.
/// Layout: a 16-byte header (magic, generation), then records of [length u32][type u8][payload][CRC-32C of the generation,
/// type and payload, and the length]; a torn or damaged tail ends the replay.
/// </summary>
internal sealed class RequestJournalFile : IDisposable
{
    public const byte Sending = 1;
    public const byte Answered = 2;
    public const byte Failed = 3;

    private const int HeaderLength = 16;
    private static readonly byte[] Magic = "VIREQ001"u8.ToArray();

    [ThreadStatic]
    private static MemoryStream? t_buffer;

    [ThreadStatic]
    private static BinaryWriter? t_writer;

    private readonly FileStream _stream;

    private RequestJournalFile(FileStream stream, long length, long generation)
    {
        _stream = stream;
        Length = length;
        Generation = generation;
    }

    /// <summary>Where a journal's records start.</summary>
    public const long Start = HeaderLength;

    public long Generation { get; }

    /// <summary>Bytes written so far (a record boundary).</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Starts a journal of <paramref name="generation"/> in a new file at <paramref name="path"/> (appending to a new
    /// file is what the filesystem does fastest; every record's checksum includes its journal's generation too).
    /// </summary>
    public static RequestJournalFile Create(string path, long generation)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], generation);
        stream.Write(header);
        return new RequestJournalFile(stream, HeaderLength, generation);
    }

    /// <summary>
    /// Encodes one record (no lock needed: the caller's thread has its own buffer); <see cref="Append"/> writes it.
    /// The returned buffer is valid until the thread's next call.
    /// </summary>
    public static ArraySegment<byte> Encode(byte type, Action<BinaryWriter> payload)
    {
        var buffer = t_buffer ??= new MemoryStream();
        var writer = t_writer ??= new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true);
        buffer.SetLength(0);
        writer.Write(0); // length, filled in below
        writer.Write(type);
        payload(writer);
        writer.Flush();
        int length = (int)buffer.Length - 4;
        writer.Write(0UL); // checksum, filled in by Append (it depends on the journal the record goes to)
        writer.Flush();
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetBuffer().AsSpan(0, 4), length);
        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes an encoded record in one write; returns the journal's length after it. One caller at a time.</summary>
    public long Append(ArraySegment<byte> record)
    {
        var bytes = record.AsSpan();
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[(4 + length)..], Checksum(Generation, bytes.Slice(4, length)));
        _stream.Position = Length;
        _stream.Write(record);
        Length += record.Count;
        return Length;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>The generation a journal file was started as, or null (no file, not a journal).</summary>
    public static long? GenerationOf(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> header = stackalloc byte[HeaderLength];
        return stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false) == HeaderLength && header[..8].SequenceEqual(Magic)
            ? BinaryPrimitives.ReadInt64LittleEndian(header[8..])
            : null;
    }

    /// <summary>
    /// The records of the journal at <paramref name="path"/>, if it is of <paramref name="generation"/>, each with the
    /// offset it starts at; stops at the first torn or damaged record.
    /// </summary>
    public static IEnumerable<(long Offset, byte Type, BinaryReader Payload)> Read(string path, long generation)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderLength || !bytes.AsSpan(0, 8).SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)) != generation)
        {
            yield break;
        }

        long at = HeaderLength;
        while (at + 4 + 1 + 8 <= bytes.Length)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)at));
            if (length < 1 || at + 4 + length + 8 > bytes.Length)
            {
                yield break;
            }

            var body = bytes.AsSpan((int)at + 4, length);
            if (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at + 4 + length)) != Checksum(generation, body))
            {
                yield break;
            }

            using var reader = new BinaryReader(new MemoryStream(bytes, (int)at + 5, length - 1, writable: false), Encoding.UTF8);
            yield return (at, bytes[at + 4], reader);
            at += 4 + length + 8;
        }
    }

    /// <summary>CRC-32C (hardware where there is one) of the generation and the data, and the data's length, as 64 bits.</summary>
    private static ulong Checksum(long generation, ReadOnlySpan<byte> data)
    {
        uint crc = System.Numerics.BitOperations.Crc32C(0xFFFFFFFFu, (ulong)generation);
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        }

        for (; i < data.Length; i++)
        {
            crc = System.Numerics.BitOperations.Crc32C(crc, data[i]);
        }

        return ((ulong)(uint)data.Length << 32) | ~crc;
    }
}
