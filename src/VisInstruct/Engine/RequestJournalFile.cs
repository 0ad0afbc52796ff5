using System.Buffers.Binary;
using System.Text;

namespace VisInstruct.Engine;

/// <summary>
/// The run state's append-only journal of backend requests, beside the database (<c>state.db.requests</c>): a record
/// when a request is about to be sent, and one with the answer (or the failure) when it comes. Each record is one
/// <c>write</c> to the file before the caller goes on, so once the call returns it survives the process being killed
/// (the kernel has it) without waiting for a database commit. The database folds the records in with its batches
/// and remembers how far it has folded; the next open replays the rest: answers go into the cache and the usage, and a
/// request without an answer is counted as sent, its answer lost.
/// Layout: a 16-byte header (magic, generation), then records of [length u32][type u8][payload][FNV-1a 64 of type
/// and payload]; a torn or damaged tail ends the replay.
/// </summary>
internal sealed class RequestJournalFile : IDisposable
{
    public const byte Sending = 1;
    public const byte Answered = 2;
    public const byte Failed = 3;

    private const int HeaderLength = 16;
    private static readonly byte[] Magic = "VIREQ001"u8.ToArray();

    private readonly FileStream _stream;
    private readonly MemoryStream _buffer = new();

    private RequestJournalFile(FileStream stream, long length)
    {
        _stream = stream;
        Length = length;
    }

    /// <summary>Bytes written so far (a record boundary).</summary>
    public long Length { get; private set; }

    /// <summary>Starts a new, empty journal of <paramref name="generation"/> (replacing any file there).</summary>
    public static RequestJournalFile Create(string path, long generation)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], generation);
        stream.Write(header);
        return new RequestJournalFile(stream, HeaderLength);
    }

    /// <summary>Appends one record in one write; returns the journal's length after it.</summary>
    public long Append(byte type, Action<BinaryWriter> payload)
    {
        _buffer.SetLength(0);
        using (var writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(0); // length, filled in below
            writer.Write(type);
            payload(writer);
            writer.Flush();
            int length = (int)_buffer.Length - 4;
            writer.Write(Fnv(_buffer.GetBuffer().AsSpan(4, length)));
            writer.Flush();
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetBuffer().AsSpan(0, 4), length);
        }

        _stream.Write(_buffer.GetBuffer(), 0, (int)_buffer.Length);
        Length += _buffer.Length;
        return Length;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _buffer.Dispose();
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
        if (bytes.Length < HeaderLength || !bytes.AsSpan(0, 8).SequenceEqual(Magic) || BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)) != generation)
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
            if (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at + 4 + length)) != Fnv(body))
            {
                yield break;
            }

            using var reader = new BinaryReader(new MemoryStream(bytes, (int)at + 5, length - 1, writable: false), Encoding.UTF8);
            yield return (at, bytes[at + 4], reader);
            at += 4 + length + 8;
        }
    }

    private static ulong Fnv(ReadOnlySpan<byte> data)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in data)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
