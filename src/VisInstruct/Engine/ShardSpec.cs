using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VisInstruct.Engine;

/// <summary>
/// Which part of a run this process does: shard <see cref="Index"/> of <see cref="Count"/>. An item belongs to the
/// shard given by a stable hash of its shard key, so the split does not depend on order, timing or the machine.
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static ShardSpec Whole { get; } = new(0, 1);

    public bool IsSharded => Count > 1;

    /// <summary>True when the item with this shard key is this shard's.</summary>
    public bool Owns(string shardKey) => Count <= 1 || ShardOf(shardKey, Count) == Index;

    /// <summary>The shard of a key among <paramref name="count"/>.</summary>
    public static int ShardOf(string shardKey, int count)
    {
        ArgumentNullException.ThrowIfNull(shardKey);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(shardKey), hash);
        return (int)(BinaryPrimitives.ReadUInt64LittleEndian(hash) % (ulong)count);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index + 1} of {Count}");

    /// <summary>
    /// The shard from the flags, else from the scheduler's environment: Slurm job arrays
    /// (<c>SLURM_ARRAY_TASK_ID</c> minus <c>SLURM_ARRAY_TASK_MIN</c>, of <c>SLURM_ARRAY_TASK_COUNT</c>) or a Kubernetes
    /// Indexed Job (<c>JOB_COMPLETION_INDEX</c>, of <c>--shard-count</c> or <c>VISINSTRUCT_SHARD_COUNT</c>).
    /// </summary>
    public static ShardSpec Resolve(int? index, int? count, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Env(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

        string source = "--shard-index/--shard-count";
        if (index is null && Env("SLURM_ARRAY_TASK_ID") is { } taskId)
        {
            int min = Env("SLURM_ARRAY_TASK_MIN") is { } m ? ParseEnv("SLURM_ARRAY_TASK_MIN", m) : 0;
            index = ParseEnv("SLURM_ARRAY_TASK_ID", taskId) - min;
            count ??= Env("SLURM_ARRAY_TASK_COUNT") is { } c ? ParseEnv("SLURM_ARRAY_TASK_COUNT", c) : null;
            source = "SLURM_ARRAY_TASK_ID";
        }
        else if (index is null && Env("JOB_COMPLETION_INDEX") is { } completionIndex)
        {
            index = ParseEnv("JOB_COMPLETION_INDEX", completionIndex);
            source = "JOB_COMPLETION_INDEX";
        }

        if (count is null && Env("VISINSTRUCT_SHARD_COUNT") is { } shardCount)
        {
            count = ParseEnv("VISINSTRUCT_SHARD_COUNT", shardCount);
        }

        if (index is null && count is null)
        {
            return Whole;
        }

        if (index is null || count is null)
        {
            throw new ArgumentException(index is null
                ? "--shard-count needs --shard-index (or SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX)"
                : $"the shard index comes from {source}, but the shard count is unknown: give --shard-count (or VISINSTRUCT_SHARD_COUNT)");
        }

        if (count < 1 || index < 0 || index >= count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"shard index {index} (from {source}) is not in 0..{count - 1}"));
        }

        return new ShardSpec(index.Value, count.Value);
    }

    private static int ParseEnv(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed)
            ? parsed
            : throw new ArgumentException($"{name}={value} is not an integer");
}
