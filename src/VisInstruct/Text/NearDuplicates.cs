using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using VisInstruct.Randomness;

namespace VisInstruct.Text;

/// <summary>
/// Finds exact and near-duplicate texts: exact after normalisation (case, punctuation and spacing ignored), near by
/// MinHash signatures of character 4-gram shingles whose estimated Jaccard similarity reaches a threshold.
/// </summary>
public sealed class NearDuplicates(double threshold = 0.8)
{
    private const int Hashes = 64;
    private static readonly ulong[] Salts = Enumerable.Range(0, Hashes).Select(i =>
        DeterministicRandom.DeriveSeed(0x5EEDUL, "minhash/" + i)).ToArray();

    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly List<ulong[]> _signatures = [];

    public double Threshold { get; } = threshold;

    /// <summary>Why <paramref name="text"/> would be a duplicate of one already added (<c>exact</c>, <c>near</c>), or null.</summary>
    public string? Check(string text)
    {
        string normalized = Normalize(text);
        if (_exact.Contains(normalized))
        {
            return "exact";
        }

        var signature = Signature(normalized);
        return _signatures.Any(s => Similarity(s, signature) >= Threshold) ? "near" : null;
    }

    /// <summary>Adds a text; returns null when it is new, else the kind of duplicate it is (and does not add it).</summary>
    public string? TryAdd(string text)
    {
        if (Check(text) is { } duplicate)
        {
            return duplicate;
        }

        string normalized = Normalize(text);
        _exact.Add(normalized);
        _signatures.Add(Signature(normalized));
        return null;
    }

    /// <summary>Lower case, letters and digits only, single spaces.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(c);
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return sb.ToString();
    }

    /// <summary>The estimated Jaccard similarity of two texts' shingle sets.</summary>
    public static double Estimate(string a, string b) => Similarity(Signature(Normalize(a)), Signature(Normalize(b)));

    private static double Similarity(ulong[] a, ulong[] b)
    {
        int same = 0;
        for (int i = 0; i < Hashes; i++)
        {
            same += a[i] == b[i] ? 1 : 0;
        }

        return (double)same / Hashes;
    }

    private static ulong[] Signature(string normalized)
    {
        var signature = Enumerable.Repeat(ulong.MaxValue, Hashes).ToArray();
        string padded = normalized.Length < 4 ? normalized.PadRight(4) : normalized;
        Span<byte> hash = stackalloc byte[32];
        for (int i = 0; i + 4 <= padded.Length; i++)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(padded.Substring(i, 4)), hash);
            ulong shingle = BinaryPrimitives.ReadUInt64LittleEndian(hash);
            for (int h = 0; h < Hashes; h++)
            {
                ulong value = DeterministicRandom.Scramble(shingle ^ Salts[h]);
                if (value < signature[h])
                {
                    signature[h] = value;
                }
            }
        }

        return signature;
    }
}
