using System.Buffers;

namespace VisInstruct.Mix;

/// <summary>
/// An external merge sort of records by a 64-bit key: records gather in memory up to a byte budget, each full run is
/// sorted and written to a spill file, and <see cref="Merge"/> reads the runs back in key order through a heap, so the
/// memory used is one run plus a read buffer per run, whatever the number of records. Equal keys keep the order the
/// records were added in.
/// </summary>
internal sealed class SpillSorter : IDisposable
{
    private readonly string _directory;
    private readonly long _runBytes;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private readonly List<Entry> _entries = [];
    private readonly List<string> _runs = [];
    private long _sequence;

    public SpillSorter(string directory, long runBytes)
    {
        _directory = directory;
        _runBytes = Math.Max(1, runBytes);
        Directory.CreateDirectory(directory);
    }

    /// <summary>How many sorted runs were written to disk.</summary>
    public int Runs => _runs.Count;

    /// <summary>Bytes written to the spill files.</summary>
    public long SpilledBytes { get; private set; }

    public long Count => _sequence;

    public void Add(ulong key, byte kind, ReadOnlySpan<byte> record)
    {
        _entries.Add(new Entry(key, _sequence++, kind, _buffer.WrittenCount, record.Length));
        record.CopyTo(_buffer.GetSpan(record.Length));
        _buffer.Advance(record.Length);
        if (_buffer.WrittenCount >= _runBytes)
        {
            Flush();
        }
    }

    /// <summary>Every record in (key, order added) order, with its kind. The memory handed out is valid until the next item.</summary>
    public IEnumerable<(byte Kind, ReadOnlyMemory<byte> Record)> Merge()
    {
        Flush();
        var readers = _runs.Select(r => new RunReader(r)).ToList();
        try
        {
            var heap = new PriorityQueue<RunReader, (ulong, long)>();
            foreach (var reader in readers.Where(r => r.Next()))
            {
                heap.Enqueue(reader, (reader.Key, reader.Sequence));
            }

            while (heap.TryDequeue(out var reader, out _))
            {
                yield return (reader.Kind, reader.Record);
                if (reader.Next())
                {
                    heap.Enqueue(reader, (reader.Key, reader.Sequence));
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (string run in _runs)
        {
            try
            {
                File.Delete(run);
            }
            catch (IOException)
            {
                // Best effort: the spill folder is removed with it.
            }
        }
    }

    private void Flush()
    {
        if (_entries.Count == 0)
        {
            return;
        }

        _entries.Sort(static (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Sequence.CompareTo(b.Sequence));
        string path = Path.Combine(_directory, FormattableString.Invariant($"run-{_runs.Count:D5}.bin"));
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        using (var writer = new BinaryWriter(stream))
        {
            var data = _buffer.WrittenSpan;
            foreach (var entry in _entries)
            {
                writer.Write(entry.Key);
                writer.Write(entry.Sequence);
                writer.Write(entry.Kind);
                writer.Write(entry.Length);
                writer.Write(data.Slice(entry.Offset, entry.Length));
            }

            SpilledBytes += stream.Length;
        }

        _runs.Add(path);
        _entries.Clear();
        _buffer.Clear();
    }

    private readonly record struct Entry(ulong Key, long Sequence, byte Kind, int Offset, int Length);

    private sealed class RunReader(string path) : IDisposable
    {
        private readonly BinaryReader _reader = new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        private byte[] _record = new byte[4096];

        public ulong Key { get; private set; }

        public long Sequence { get; private set; }

        public byte Kind { get; private set; }

        public ReadOnlyMemory<byte> Record { get; private set; }

        public bool Next()
        {
            if (_reader.BaseStream.Position >= _reader.BaseStream.Length)
            {
                return false;
            }

            Key = _reader.ReadUInt64();
            Sequence = _reader.ReadInt64();
            Kind = _reader.ReadByte();
            int length = _reader.ReadInt32();
            if (_record.Length < length)
            {
                _record = new byte[Math.Max(length, _record.Length * 2)];
            }

            _reader.BaseStream.ReadExactly(_record, 0, length);
            Record = _record.AsMemory(0, length);
            return true;
        }

        public void Dispose() => _reader.Dispose();
    }
}
