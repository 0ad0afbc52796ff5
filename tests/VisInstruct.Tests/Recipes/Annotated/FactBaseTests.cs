using System.Text.RegularExpressions;
using VisInstruct.Annotations;
using VisInstruct.Randomness;
using VisInstruct.Recipes.Annotated;

namespace VisInstruct.Tests.Recipes.Annotated;

/// <summary>
/// One fact base per image: every offline task of an image (conversation, complex reasoning, detail description,
/// referring QA), with every seed, gives an object the same colour; Visual Genome synsets merge, name and drop objects.
/// </summary>
public partial class FactBaseTests
{
    public static TheoryData<string> Images() => ["vg1", "vg2", "coco0", "coco1", "coco2", "coco3", "coco4", "dupes"];

    internal static ImageAnnotations Image(string name) => name switch
    {
        "vg1" => AnnotatedFixtures.Vg(1),
        "vg2" => AnnotatedFixtures.Vg(2),
        "dupes" => CountPhraseTests.DuplicateShoes(),
        _ => AnnotatedFixtures.Coco()[int.Parse(name[4..], System.Globalization.CultureInfo.InvariantCulture)],
    };

    /// <summary>Every text the four offline tasks write for the image with the seed: questions, answers, the description.</summary>
    internal static IEnumerable<string> AllTexts(ImageAnnotations image, ulong seed)
    {
        var items = ProceduralQuestions.ConversationItems(image, new DeterministicRandom(seed)).SelectMany(c => c.Pairs)
            .Concat(ProceduralQuestions.ComplexItems(image, new DeterministicRandom(seed)))
            .Concat(ProceduralQuestions.ReferringItems(image, new DeterministicRandom(seed)));
        foreach (var qa in items)
        {
            yield return qa.Question;
            yield return qa.Answer;
        }

        if (ProceduralQuestions.DetailDescription(image, new DeterministicRandom(seed), AnnotatedFixtures.DetailInstructions())
            is { } detail)
        {
            yield return detail.Content[1].Value;
        }
    }

    /// <summary>
    /// The colour claims of the texts, by object: a mention with its box ("the &lt;st&gt;car&lt;ed&gt; [..] is red"), and
    /// for a name that only one annotated object bears (see below), "red car", "red and white car" (one word may stand between)
    /// and "the car is red". People are left out (they get no colour). Returns each object's distinct colour sets with
    /// a text that states each.
    /// </summary>
    internal static Dictionary<string, Dictionary<string, string>> Claims(ImageAnnotations image, IEnumerable<string> texts)
    {
        var byName = NameCounts(image);
        string colour = string.Join("|", Scene.ColourWords);
        var claims = new Dictionary<string, Dictionary<string, string>>();
        void Add(string id, IEnumerable<string> colours, string text)
        {
            string set = string.Join(",", colours.Distinct().Order(StringComparer.Ordinal));
            if (!claims.TryGetValue(id, out var sets))
            {
                claims[id] = sets = [];
            }

            sets.TryAdd(set, text);
        }

        foreach (string text in texts)
        {
            foreach (Match m in Regex.Matches(text, @"<st>([^<]+)<ed> (\[[^\]]+\]) (?:is|are) ((?:" + colour + @")(?:(?:, | and )(?:"
                + colour + "))*)[.,]"))
            {
                string key = Words.Key(m.Groups[1].Value);
                Add(byName.GetValueOrDefault(key) == 1 ? key : key + " " + m.Groups[2].Value, Colours(m.Groups[3].Value, colour), text);
            }

            string plain = Regex.Replace(text, @"<st>([^<]+)<ed> \[[^\]]+\]", "$1").ToLowerInvariant();
            foreach (string key in byName.Where(p => p.Value == 1).Select(p => p.Key).Where(k => !Scene.PeopleKeys.Contains(k)))
            {
                string names = Regex.Escape(key) + "|" + Regex.Escape(Words.Plural(key));
                foreach (Match m in Regex.Matches(plain, @"\b((?:" + colour + ")(?: and (?:" + colour + @"))*) (?:[a-z-]+ )?(?:" + names
                    + @")\b"))
                {
                    Add(key, Colours(m.Groups[1].Value, colour), text);
                }

                foreach (Match m in Regex.Matches(plain, @"\b(?:" + names + @") (?:is|are) ((?:" + colour + ")(?:(?:, | and )(?:" + colour
                    + @"))*)\b"))
                {
                    Add(key, Colours(m.Groups[1].Value, colour), text);
                }
            }
        }

        return claims;
    }

    /// <summary>
    /// How many annotated objects each name could mean: a name is unique when one annotated object has it and no other
    /// object shares its synset; a name that ends another name ("light", "street light") counts that one too.
    /// </summary>
    private static Dictionary<string, int> NameCounts(ImageAnnotations image)
    {
        var raw = image.Objects.Select(o => (Key: Words.Key(o.Name.Trim().ToLowerInvariant()), o.Synset)).ToList();
        return raw.Select(r => r.Key).Distinct().ToDictionary(k => k, k => raw.Count(r => r.Key == k
            || (r.Synset is not null && raw.Any(x => x.Key == k && x.Synset == r.Synset))
            || r.Key.EndsWith(" " + k, StringComparison.Ordinal)));
    }

    private static IEnumerable<string> Colours(string list, string colour) =>
        Regex.Matches(list, @"\b(?:" + colour + @")\b").Select(m => m.Value);

    /// <summary>The objects given two different colour sets over all the tasks and seeds, with two texts that disagree.</summary>
    internal static List<string> Contradictions(ImageAnnotations image, int seeds) =>
        Claims(image, Enumerable.Range(0, seeds).SelectMany(s => AllTexts(image, (ulong)s)))
            .Where(c => c.Value.Count > 1)
            .Select(c => $"{c.Key}: " + string.Join(" / ", c.Value.Select(v => $"[{v.Key}] \"{v.Value}\"")))
            .ToList();

    [Theory]
    [MemberData(nameof(Images))]
    public void NoTwoTasks_GiveAnObjectDifferentColours(string name)
    {
        var image = Image(name);
        var contradictions = Contradictions(image, 12);
        Assert.True(contradictions.Count == 0, string.Join("\n", contradictions));
    }

    /// <summary>
    /// Every list of attributes an object is described with (the describe answers, plain and referring, in every task
    /// and with every seed) is one list, and no list holds both sides of an exclusive kind ("large" and "small").
    /// </summary>
    [Theory]
    [MemberData(nameof(Images))]
    public void AnObject_HasOneAttributeSet_InEveryTask(string name)
    {
        var image = Image(name);
        var byName = NameCounts(image);
        var sets = new Dictionary<string, HashSet<string>>();
        for (ulong seed = 0; seed < 12; seed++)
        {
            var items = ProceduralQuestions.ConversationItems(image, new DeterministicRandom(seed)).SelectMany(c => c.Pairs)
                .Concat(ProceduralQuestions.ReferringItems(image, new DeterministicRandom(seed)))
                .Where(q => q.Family is QaFamily.Describe or QaFamily.RefDescribe);
            foreach (var qa in items)
            {
                var m = Regex.Match(qa.Answer, @"^The (?:<st>([^<]+)<ed> (\[[^\]]+\])|([a-z' -]+?)) (?:is|are) (.+)\.$");
                Assert.True(m.Success, qa.Answer);
                string key = Words.Key(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[3].Value);
                string id = byName.GetValueOrDefault(key) == 1 || !m.Groups[2].Success ? key : key + " " + m.Groups[2].Value;
                string set = string.Join("|",
                    m.Groups[4].Value.Split([", ", " and "], StringSplitOptions.None).Order(StringComparer.Ordinal));
                if (!sets.TryGetValue(id, out var seen))
                {
                    sets[id] = seen = [];
                }

                seen.Add(set);
                string[][] exclusive = [["large", "small"], ["big", "small"], ["tall", "short"], ["open", "closed"], ["empty", "full"]];
                Assert.DoesNotContain(exclusive, pair => pair.All(set.Split('|').Contains));
            }
        }

        Assert.All(sets, s => Assert.True(s.Value.Count == 1, $"{s.Key}: {string.Join(" / ", s.Value)}"));
        if (name.StartsWith("vg", StringComparison.Ordinal))
        {
            Assert.NotEmpty(sets);
        }
    }

    [Fact]
    public void TheColourChecks_SeeClaims()
    {
        // The check is not vacuous: the fixtures' texts do state colours of objects.
        var image = Image("vg1");
        var claims = Claims(image, Enumerable.Range(0, 12).SelectMany(s => AllTexts(image, (ulong)s)));
        Assert.True(claims.Count >= 5, $"only {claims.Count} objects with colour claims");
        Assert.Equal(["grey"], claims["sneaker"].Keys);
    }
}
