using System.Security.Cryptography;
using System.Text;
using VisInstruct.Formats;
using VisInstruct.Randomness;

namespace VisInstruct.Filters.Text;

/// <summary>A conversation's fingerprints: the digest of its normalised text and its MinHash signature.</summary>
public sealed record ConversationPrint(UInt128 Digest, uint[] Signature);

/// <summary>What a conversation duplicates: the earlier sample, and how alike they are (1 for an exact duplicate).</summary>
public sealed record ConversationMatch(string OfId, double Similarity, bool Exact);

/// <summary>
/// Exact and near-duplicate conversations, in the order they are added (the dataset's key order, so the first of a set
/// of duplicates is kept). Exact: the same text after normalisation (<see cref="VisInstruct.Text.NearDuplicates.Normalize"/>:
/// case, punctuation and spacing ignored). Near: MinHash over character 4-grams of that text, 64 hashes, whose estimated
/// Jaccard similarity reaches the threshold; candidates come from locality-sensitive hashing (10 bands of 5 hashes:
/// at similarity 0.8 a pair shares a band with probability 0.98), so adding is near constant time, not a scan.
/// Comparisons stay within a group (an ability or task) unless the group given is the same for all.
/// </summary>
public sealed class ConversationDuplicates(double threshold = 0.8)
{
    private const int Hashes = 64;
    private const int Bands = 10;
    private const int Rows = 5;
    private static readonly ulong[] Salts = [.. Enumerable.Range(0, Hashes).Select(i =>
        DeterministicRandom.DeriveSeed(0xD1A106UL, "conversation-minhash/" + i))];

    private readonly Dictionary<(UInt128, string), string> _exact = [];
    private readonly Dictionary<ulong, List<int>>[] _bands =
        [.. Enumerable.Range(0, Bands).Select(_ => new Dictionary<ulong, List<int>>())];
    private readonly List<(string Id, uint[] Signature)> _kept = [];

    public double Threshold { get; } = threshold;

    /// <summary>The text a conversation is compared by: every turn, <c>&lt;image&gt;</c> tokens left out.</summary>
    public static string TextOf(LlavaSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var sb = new StringBuilder();
        foreach (var turn in sample.Conversations)
        {
            sb.Append(turn.From).Append(": ").Append(turn.Value.Replace("<image>", "", StringComparison.Ordinal)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The fingerprints of a text (pure; computed in parallel before the ordered <see cref="Add"/>s).</summary>
    public static ConversationPrint Print(string text)
    {
        string normalized = VisInstruct.Text.NearDuplicates.Normalize(text);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(normalized));
        var key = new UInt128(BitConverter.ToUInt64(digest, 0), BitConverter.ToUInt64(digest, 8));
        var signature = new uint[Hashes];
        Array.Fill(signature, uint.MaxValue);
        string padded = normalized.Length < 4 ? normalized.PadRight(4) : normalized;
        for (int i = 0; i + 4 <= padded.Length; i++)
        {
            // Four UTF-16 code units are exactly 64 bits: the shingle is its own key.
            ulong shingle = padded[i] | ((ulong)padded[i + 1] << 16) | ((ulong)padded[i + 2] << 32) | ((ulong)padded[i + 3] << 48);
            for (int h = 0; h < Hashes; h++)
            {
                uint value = (uint)(DeterministicRandom.Scramble(shingle ^ Salts[h]) >> 32);
                if (value < signature[h])
                {
                    signature[h] = value;
                }
            }
        }

        return new ConversationPrint(key, signature);
    }

    /// <summary>The estimated Jaccard similarity of two signatures.</summary>
    public static double Similarity(uint[] a, uint[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int same = 0;
        for (int i = 0; i < Hashes; i++)
        {
            same += a[i] == b[i] ? 1 : 0;
        }

        return (double)same / Hashes;
    }

    /// <summary>
    /// Adds the next conversation of <paramref name="group"/>: null when it is new (it is kept and indexed), else what
    /// it duplicates (it is not indexed: later copies match the first).
    /// </summary>
    public ConversationMatch? Add(string group, string id, ConversationPrint print)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(print);
        if (_exact.TryGetValue((print.Digest, group), out string? first))
        {
            return new ConversationMatch(first, 1, Exact: true);
        }

        var keys = new ulong[Bands];
        ulong groupSalt = DeterministicRandom.Scramble(Fnv(group) ^ 0x9E3779B97F4A7C15UL);
        int best = -1;
        double bestSimilarity = 0;
        for (int b = 0; b < Bands; b++)
        {
            ulong key = groupSalt ^ (ulong)b;
            for (int r = 0; r < Rows; r++)
            {
                key = DeterministicRandom.Scramble(key ^ print.Signature[(b * Rows) + r]);
            }

            keys[b] = key;
            if (!_bands[b].TryGetValue(key, out var candidates))
            {
                continue;
            }

            foreach (int index in candidates)
            {
                double similarity = Similarity(print.Signature, _kept[index].Signature);
                if (similarity >= Threshold && (similarity > bestSimilarity || (similarity == bestSimilarity && index < best)))
                {
                    best = index;
                    bestSimilarity = similarity;
                }
            }
        }

        if (best >= 0)
        {
            return new ConversationMatch(_kept[best].Id, bestSimilarity, Exact: false);
        }

        _exact[(print.Digest, group)] = id;
        int added = _kept.Count;
        _kept.Add((id, print.Signature));
        for (int b = 0; b < Bands; b++)
        {
            if (!_bands[b].TryGetValue(keys[b], out var list))
            {
                _bands[b][keys[b]] = list = [];
            }

            list.Add(added);
        }

        return null;
    }

    /// <summary>A stable hash of a group name (string hash codes change from process to process).</summary>
    private static ulong Fnv(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }
}
