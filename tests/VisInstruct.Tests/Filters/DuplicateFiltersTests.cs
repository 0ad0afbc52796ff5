using VisInstruct.Filters.Images;
using VisInstruct.Filters.Text;
using VisInstruct.Randomness;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Filters;

public class DuplicateFiltersTests
{
    private static readonly string[] Vocabulary =
    [
        "the", "a", "red", "blue", "cat", "dog", "sits", "runs", "on", "under", "table", "chair", "near", "window", "green", "small",
        "large", "ball", "book", "lamp", "beside", "while", "person", "holds", "umbrella", "street", "car", "parked", "tree", "sky",
    ];

    [Fact]
    public void Exact_duplicates_ignore_case_punctuation_and_spacing_and_the_first_is_kept()
    {
        var dedup = new ConversationDuplicates();
        Assert.Null(dedup.Add("color", "a", ConversationDuplicates.Print("What colour is the ball?  The ball is RED.")));
        var match = dedup.Add("color", "b", ConversationDuplicates.Print("what colour is the ball the ball is red"));
        Assert.NotNull(match);
        Assert.True(match.Exact);
        Assert.Equal("a", match.OfId);
        // In another group the same text is not a duplicate (groups are compared apart).
        Assert.Null(dedup.Add("count", "c", ConversationDuplicates.Print("What colour is the ball? The ball is red.")));
    }

    [Fact]
    public void Lsh_finds_the_same_near_duplicates_as_comparing_every_pair()
    {
        // 300 random texts of 60 words, and 100 copies of some of them with one to eight words changed.
        var rng = new DeterministicRandom(11);
        var texts = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            texts.Add(string.Join(' ', Enumerable.Range(0, 60).Select(_ => Vocabulary[rng.NextInt(0, Vocabulary.Length)])));
        }

        for (int i = 0; i < 100; i++)
        {
            var words = texts[rng.NextInt(0, 300)].Split(' ');
            int changes = 1 + (i % 8);
            for (int c = 0; c < changes; c++)
            {
                words[rng.NextInt(0, words.Length)] = Vocabulary[rng.NextInt(0, Vocabulary.Length)];
            }

            texts.Add(string.Join(' ', words));
        }

        var prints = texts.Select(ConversationDuplicates.Print).ToList();
        var dedup = new ConversationDuplicates(0.8);
        var kept = new List<int>();
        int found = 0, expected = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            // Brute force: the most similar kept text at or above the threshold.
            double best = kept.Select(k => ConversationDuplicates.Similarity(prints[i].Signature, prints[k].Signature))
                .Where(s => s >= 0.8).DefaultIfEmpty(0).Max();
            var match = dedup.Add("g", i.ToString(System.Globalization.CultureInfo.InvariantCulture), prints[i]);
            if (best > 0)
            {
                expected++;
            }

            if (match is not null)
            {
                found++;
                Assert.True(match.Similarity >= 0.8);
            }
            else
            {
                kept.Add(i);
            }
        }

        // The planted copies with few changes are near duplicates; banding may miss a pair at the threshold's edge,
        // never more than a few percent of them.
        Assert.True(expected >= 60, $"only {expected} near duplicates planted above 0.8");
        Assert.InRange(found, (int)(expected * 0.95), expected);
    }

    [Fact]
    public void Distinct_conversations_are_not_duplicates()
    {
        var dedup = new ConversationDuplicates();
        Assert.Null(dedup.Add("g", "1", ConversationDuplicates.Print("How many cats are on the sofa? There are three cats on the sofa.")));
        Assert.Null(dedup.Add("g", "2", ConversationDuplicates.Print("What is the man holding in his left hand? A blue umbrella.")));
    }

    [Fact]
    public void Image_clusters_keep_the_first_file_and_copies_name_it()
    {
        var original = FilterImages.Picture(1);
        var clusters = new ImageDuplicates(6);
        ulong h0 = PerceptualHash.Compute(original)!.Value;
        Assert.Null(clusters.Add("a.jpg", h0));
        Assert.Null(clusters.Add("b.jpg", PerceptualHash.Compute(FilterImages.Picture(2))!.Value));
        var copy = clusters.Add("c.jpg", PerceptualHash.Compute(ImageVariants.Reencode(original, 60))!.Value);
        Assert.NotNull(copy);
        Assert.Equal("a.jpg", copy.Of);
        Assert.InRange(copy.Distance, 0, 6);
        Assert.Equal(2, clusters.Clusters);
        clusters.AddReference("bench/x.jpg", PerceptualHash.Compute(FilterImages.Picture(3))!.Value);
        Assert.Equal("bench/x.jpg", clusters.FindReference("d.jpg",
            PerceptualHash.Compute(ImageVariants.Resize(FilterImages.Picture(3), 0.5))!.Value)!.Of);
        Assert.Null(clusters.FindReference("a.jpg", h0));
    }

    [Fact]
    public void The_hash_cache_hashes_a_file_once_and_again_when_it_changes()
    {
        using var temp = new TempDir();
        string image = temp.Write("a.jpg", FilterImages.Picture(4));
        string cacheFile = temp.File("state", "hashes.tsv");
        var first = HashCache.Open(cacheFile);
        ulong? hash = first.Hash(image);
        Assert.NotNull(hash);
        first.Save();
        var second = HashCache.Open(cacheFile);
        Assert.Equal(hash, second.HashAll([image])[0]);
        Assert.Equal(0, second.Computed);
        File.WriteAllBytes(image, FilterImages.Picture(5));
        File.SetLastWriteTimeUtc(image, DateTime.UtcNow.AddMinutes(1));
        Assert.NotEqual(hash, second.Hash(image));
        Assert.Equal(1, second.Computed);
        // An undecodable file hashes to null, and that is cached too.
        string broken = temp.Write("broken.jpg", "not an image");
        Assert.Null(second.Hash(broken));
        Assert.Null(second.Hash(temp.File("missing.jpg")));
    }
}
