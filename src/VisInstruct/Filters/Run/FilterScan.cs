using System.Globalization;
using VisInstruct.Datasets;
using VisInstruct.Filters.Images;
using VisInstruct.Filters.Text;

namespace VisInstruct.Filters.Run;

/// <summary>
/// The filters that compare samples with each other, run once over the whole dataset before the per-sample stages
/// (in key order, so the first of each set of duplicates is kept, and the same in every shard): near-duplicate images
/// and decontamination against <c>--against</c> datasets, and exact and near-duplicate conversations. What it keeps is
/// the flagged verdicts by sample ordinal; a sample not in them passes.
/// </summary>
public sealed class FilterScan
{
    public const string NearDuplicate = "near-duplicate";
    public const string Contaminated = "contaminated";
    public const string UnreadableImage = "unreadable-image";
    public const string ExactDuplicate = "exact-duplicate";
    public const string NearDuplicateText = "near-duplicate";

    private const int Batch = 4096;

    private readonly Dictionary<long, FilterVerdict> _images = [];
    private readonly Dictionary<long, FilterVerdict> _conversations = [];

    private FilterScan()
    {
    }

    /// <summary>Samples read.</summary>
    public long Samples { get; private set; }

    /// <summary>Distinct image files hashed, reference images hashed, and clusters found.</summary>
    public long ImageFiles { get; private set; }

    public long ReferenceImages { get; private set; }

    public long ImageClusters { get; private set; }

    /// <summary>The image filter's verdict on the sample at <paramref name="ordinal"/> when it flags it, else null.</summary>
    public FilterVerdict? ImageVerdict(long ordinal) => _images.GetValueOrDefault(ordinal);

    public FilterVerdict? ConversationVerdict(long ordinal) => _conversations.GetValueOrDefault(ordinal);

    /// <summary>Scans <paramref name="source"/>; <paramref name="hashCacheFile"/> keeps image hashes between runs.</summary>
    public static FilterScan Run(DatasetSource source, FilterSettings settings, string? hashCacheFile, Action<string>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(settings);
        var scan = new FilterScan();
        bool images = settings.Runs(FilterNames.ImageDup);
        bool conversations = settings.Runs(FilterNames.TextDup);
        var files = new Dictionary<string, int>(StringComparer.Ordinal);
        var fileNames = new List<string>();
        var fileOwners = new List<string>();
        var sampleFiles = new List<int[]>();
        var sampleIds = new List<string>();
        var duplicates = new ConversationDuplicates(settings.TextDupThreshold);
        var pending = new List<(long Ordinal, string Group, string Id, string Text)>(Batch);
        long ordinal = 0;
        foreach (var sample in source.Read(cancellationToken))
        {
            if (images)
            {
                var indices = new int[sample.ImagePaths.Count];
                for (int i = 0; i < indices.Length; i++)
                {
                    string? file = source.ResolveImage(sample.ImagePaths[i]);
                    if (file is null)
                    {
                        indices[i] = -1;
                        continue;
                    }

                    file = Path.GetFullPath(file);
                    if (!files.TryGetValue(file, out int index))
                    {
                        files[file] = index = fileNames.Count;
                        fileNames.Add(file);
                        fileOwners.Add(sample.Id);
                    }

                    indices[i] = index;
                }

                sampleFiles.Add(indices);
                sampleIds.Add(sample.Id);
            }

            if (conversations)
            {
                string group = settings.TextDupAcrossGroups ? "" : sample.Group;
                pending.Add((ordinal, group, sample.Id, ConversationDuplicates.TextOf(sample.Sample)));
                if (pending.Count == Batch)
                {
                    scan.AddConversations(duplicates, pending);
                }
            }

            ordinal++;
        }

        scan.AddConversations(duplicates, pending);
        scan.Samples = ordinal;
        if (images)
        {
            scan.ScanImages(settings, hashCacheFile, files, fileNames, fileOwners, sampleFiles, sampleIds, progress, cancellationToken);
        }

        return scan;
    }

    private void AddConversations(ConversationDuplicates duplicates, List<(long Ordinal, string Group, string Id, string Text)> pending)
    {
        var prints = new ConversationPrint[pending.Count];
        Parallel.For(0, pending.Count, i => prints[i] = ConversationDuplicates.Print(pending[i].Text));
        for (int i = 0; i < pending.Count; i++)
        {
            var (ordinal, group, id, _) = pending[i];
            if (duplicates.Add(group, id, prints[i]) is { } match)
            {
                _conversations[ordinal] = match.Exact
                    ? FilterVerdict.Flag(id, FilterNames.TextDup, ExactDuplicate, 1) with { Detail = "same text as " + match.OfId }
                    : FilterVerdict.Flag(id, FilterNames.TextDup, NearDuplicateText, Math.Round(match.Similarity, 4)) with
                    {
                        Detail = string.Create(CultureInfo.InvariantCulture, $"similarity {match.Similarity:0.###} to {match.OfId}"),
                    };
            }
        }

        pending.Clear();
    }

    private void ScanImages(FilterSettings settings, string? hashCacheFile, Dictionary<string, int> index,
        List<string> fileNames, List<string> fileOwners, List<int[]> sampleFiles, List<string> sampleIds,
        Action<string>? progress, CancellationToken cancellationToken)
    {
        var cache = HashCache.Open(hashCacheFile);
        var clusters = new ImageDuplicates(settings.Distance);
        var references = AgainstFiles.Collect(settings.Against);
        progress?.Invoke("hashing " + fileNames.Count.ToString(CultureInfo.InvariantCulture) + " images"
            + (references.Count > 0 ? " and " + references.Count.ToString(CultureInfo.InvariantCulture) + " reference images" : ""));
        var referenceHashes = cache.HashAll(references, null, cancellationToken);
        for (int i = 0; i < references.Count; i++)
        {
            if (referenceHashes[i] is { } hash)
            {
                clusters.AddReference(references[i], hash);
            }
        }

        var hashes = cache.HashAll(fileNames,
            done => progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  {done} of {fileNames.Count} images hashed")),
            cancellationToken);
        cache.Save();
        ImageFiles = fileNames.Count;
        ReferenceImages = clusters.References;

        // Per file: why it is flagged (null: it is the first of its cluster and matches no reference).
        var problems = new (string Reason, int Distance, string Detail)?[fileNames.Count];
        var leaderOf = new int?[fileNames.Count];
        for (int f = 0; f < fileNames.Count; f++)
        {
            if (hashes[f] is not { } hash)
            {
                problems[f] = (UnreadableImage, 0, "cannot read " + fileNames[f]);
                continue;
            }

            if (clusters.FindReference(fileNames[f], hash) is { } reference)
            {
                problems[f] = (Contaminated, reference.Distance, string.Create(CultureInfo.InvariantCulture,
                    $"{fileNames[f]} is within {reference.Distance} bits of {reference.Of}"));
            }

            if (clusters.Add(fileNames[f], hash) is { } match)
            {
                leaderOf[f] = index[match.Of];
                problems[f] ??= (NearDuplicate, match.Distance, string.Create(CultureInfo.InvariantCulture,
                    $"{fileNames[f]} is within {match.Distance} bits of {match.Of} (sample {fileOwners[index[match.Of]]})"));
            }
        }

        ImageClusters = clusters.Clusters;
        for (int s = 0; s < sampleFiles.Count; s++)
        {
            if (FirstProblem(sampleFiles[s], sampleIds[s], problems, leaderOf, fileOwners) is { } problem)
            {
                _images[s] = FilterVerdict.Flag(sampleIds[s], FilterNames.ImageDup, problem.Reason, problem.Distance)
                    with { Detail = problem.Detail };
            }
        }
    }

    /// <summary>
    /// The problem of a sample's images, contamination first. A near copy is not a problem when the cluster's first file
    /// belongs to this same sample (multi-image samples compare two similar images by design).
    /// </summary>
    private static (string Reason, int Distance, string Detail)? FirstProblem(int[] files, string id,
        (string Reason, int Distance, string Detail)?[] problems, int?[] leaderOf, List<string> fileOwners)
    {
        (string Reason, int Distance, string Detail)? found = null;
        foreach (int f in files)
        {
            if (f < 0)
            {
                return (UnreadableImage, 0, "the image path does not resolve under the image folder");
            }

            if (problems[f] is not { } problem)
            {
                continue;
            }

            if (problem.Reason == NearDuplicate && leaderOf[f] is { } leader && fileOwners[leader] == id
                && files.Contains(leader))
            {
                continue;
            }

            if (problem.Reason is Contaminated or UnreadableImage)
            {
                return problem;
            }

            found ??= problem;
        }

        return found;
    }
}
