using VisInstruct.Annotations;
using VisInstruct.Formats;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The offline question engine of the SVIT and LLaVA-Instruct recipes: with no LLM, it makes the four SVIT tasks
/// (conversation, complex reasoning, detail description, referring QA) from an image's annotations, every answer exact
/// by construction. The rules each family keeps to are on <see cref="QuestionFamilies"/> and <see cref="Scene"/>:
/// counts only for small groups of same-named, non-duplicate boxes; "No" answers only for common names that no object,
/// region or caption mentions; a plain name ("the clock") only when it names exactly one object; relations only with a
/// clear margin between centres (10% of the side) or areas (1.5 times). The same image and seed give the same output,
/// and no question repeats within one call.
/// </summary>
public static class ProceduralQuestions
{
    public const int ConversationCount = 3;
    public const int PairsPerConversation = 5;
    public const int ComplexCount = 15;
    public const int ReferringCount = 10;

    public const string TopicObjects = "Objects in the scene";
    public const string TopicPlaces = "Where things are";
    public const string TopicDetails = "Details";

    /// <summary>Up to three conversations of up to five pairs, one per topic that has questions; never an empty one.</summary>
    public static IReadOnlyList<(string Topic, SvitConversation Conversation)> Conversations(ImageAnnotations image,
        DeterministicRandom rng) =>
        ConversationItems(image, rng).Select(c => (c.Topic, ToConversation(c.Pairs))).ToList();

    /// <summary>
    /// Up to fifteen single-pair conversations whose answers combine two facts: two counts, counts in the halves of the
    /// image, two relations through a shared object, a relation and a colour, a caption's activity and an object.
    /// </summary>
    public static IReadOnlyList<SvitConversation> ComplexReasoning(ImageAnnotations image, DeterministicRandom rng) =>
        ComplexItems(image, rng).Select(p => ToConversation([p])).ToList();

    /// <summary>
    /// Up to ten single-pair conversations, each with at least one <c>&lt;st&gt;name&lt;ed&gt; [x1, y1, x2, y2]</c> mention.
    /// </summary>
    public static IReadOnlyList<SvitConversation> ReferringQa(ImageAnnotations image, DeterministicRandom rng) =>
        ReferringItems(image, rng).Select(p => ToConversation([p])).ToList();

    /// <summary>
    /// One pair: an instruction drawn from <paramref name="instructions"/> and a paragraph from the captions, the largest
    /// objects (one per name, with attributes), where the largest ones are, and a few region phrases; null when the
    /// image has no captions, objects or regions to describe.
    /// </summary>
    public static SvitConversation? DetailDescription(ImageAnnotations image, DeterministicRandom rng, IReadOnlyList<string> instructions)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(instructions);
        if (instructions.Count == 0)
        {
            throw new ArgumentException("no detail-description instructions to sample from", nameof(instructions));
        }

        var scene = new Scene(image);
        string instruction = rng.Pick(instructions);
        string? paragraph = DetailParagraph(scene, rng);
        return paragraph is null ? null : ToConversation([new QaItem("detail", instruction, paragraph)]);
    }

    internal static IReadOnlyList<(string Topic, IReadOnlyList<QaItem> Pairs)> ConversationItems(ImageAnnotations image,
        DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var scene = new Scene(image);
        var (leftRight, aboveBelow, larger) = QuestionFamilies.Relations(scene, rng);
        (string Topic, List<List<QaItem>> Families)[] topics =
        [
            (TopicObjects, [QuestionFamilies.Existence(scene, rng), QuestionFamilies.Counting(scene, rng)]),
            (TopicPlaces, [QuestionFamilies.Location(scene, rng), leftRight, aboveBelow, larger]),
            (TopicDetails, [QuestionFamilies.Colour(scene, rng), QuestionFamilies.Describe(scene, rng), QuestionFamilies.Activity(scene,
                rng), QuestionFamilies.Caption(scene, rng)]),
        ];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, IReadOnlyList<QaItem>)>();
        foreach (var (topic, families) in topics)
        {
            var pairs = Select(families, PairsPerConversation, seen, rng);
            if (pairs.Count > 0)
            {
                result.Add((topic, pairs));
            }
        }

        return result;
    }

    internal static IReadOnlyList<QaItem> ComplexItems(ImageAnnotations image, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var scene = new Scene(image);
        var (more, total) = QuestionFamilies.CountComparisons(scene, rng);
        List<List<QaItem>> families = [more, total, QuestionFamilies.Spread(scene, rng), QuestionFamilies.HalfCounts(scene, rng),
            QuestionFamilies.RelationChains(scene, rng), QuestionFamilies.RelationColours(scene, rng),
            QuestionFamilies.Purposes(scene, rng)];
        return Select(families, ComplexCount, new HashSet<string>(StringComparer.Ordinal), rng);
    }

    internal static IReadOnlyList<QaItem> ReferringItems(ImageAnnotations image, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var scene = new Scene(image);
        var (colour, describe) = QuestionFamilies.RefAttributes(scene, rng);
        var (leftRight, aboveBelow) = QuestionFamilies.RefRelations(scene, rng);
        List<List<QaItem>> families = [QuestionFamilies.RefLocate(scene, rng), colour, describe, QuestionFamilies.RefActivity(scene, rng),
            QuestionFamilies.RefRegion(scene, rng), leftRight, aboveBelow];
        return Select(families, ReferringCount, new HashSet<string>(StringComparer.Ordinal), rng);
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> pairs round-robin over the families (in a random order), each family in its
    /// own order, skipping questions already asked.
    /// </summary>
    private static List<QaItem> Select(List<List<QaItem>> families, int limit, HashSet<string> seen, DeterministicRandom rng)
    {
        var queues = families.Where(f => f.Count > 0).Select(f => new Queue<QaItem>(f)).ToList();
        rng.Shuffle(queues);
        var result = new List<QaItem>();
        while (result.Count < limit && queues.Count > 0)
        {
            for (int i = 0; i < queues.Count && result.Count < limit;)
            {
                var queue = queues[i];
                while (queue.Count > 0)
                {
                    var item = queue.Dequeue();
                    if (seen.Add(item.Question))
                    {
                        result.Add(item);
                        break;
                    }
                }

                if (queue.Count == 0)
                {
                    queues.RemoveAt(i);
                }
                else
                {
                    i++;
                }
            }
        }

        return result;
    }

    private static string? DetailParagraph(Scene scene, DeterministicRandom rng)
    {
        var sentences = new List<string>();
        var captions = rng.Shuffled(scene.Captions.ToList());
        sentences.AddRange(captions.Take(2));

        // The most salient objects: the largest box of each name, largest first.
        var salient = scene.Items
            .Select((item, index) => (item, index))
            .OrderByDescending(p => p.item.Area).ThenBy(p => p.index)
            .Select(p => p.item)
            .DistinctBy(i => i.Key)
            .Take(5)
            .ToList();
        if (salient.Count > 0)
        {
            var phrases = salient.Select(i => ObjectPhrase(scene, i)).ToList();
            string lead = sentences.Count == 0
                ? rng.Pick(["The image shows", "In the image one can see", "This picture shows"])
                : rng.Pick(["The scene includes", "Visible in the image are", "Among the things in view are"]);
            sentences.Add(Words.Sentence($"{lead} {Words.List(phrases)}"));
            foreach (var item in salient.Where(i => scene.IsUnique(i) && i.Area <= 0.4).Take(2))
            {
                sentences.Add(Words.Sentence($"The {item.Name} {Words.Be(item.Name)} {QuestionFamilies.Place(item)}"));
            }
        }

        var regions = rng.Shuffled(scene.Regions.Where(r => r.Tokens.Count >= 3).Select(r => r.Phrase)
            .Distinct(StringComparer.Ordinal).ToList());
        sentences.AddRange(regions.Take(3).Select(Words.Sentence));
        return sentences.Count == 0 ? null : string.Join(" ", sentences);
    }

    /// <summary>
    /// "a tall green clock", "nine people", "grey pants": the object with up to two one-word attributes, colours first,
    /// when it is the only one of its kind; the number of objects of its kind (duplicate boxes merged) with the plural
    /// when there are several; the bare plural, with no number, when a box of the kind is itself named in the plural
    /// ("people", "bikes": such a box holds an unknown number of objects).
    /// </summary>
    internal static string ObjectPhrase(Scene scene, SceneItem item)
    {
        var group = scene.Group(item.Key);
        if (group.Count > 1 && group.Any(i => i.Plural))
        {
            return Words.Plural(item.Key);
        }

        if (group.Count > 1)
        {
            // The attributes are those of one object only, so a counted group is named without them.
            return Words.Count(group.Count, item.Key);
        }

        var adjectives = item.Attributes.Where(a => !a.Contains(' ', StringComparison.Ordinal))
            .OrderBy(a => Scene.ColourWords.Contains(a) ? 0 : 1)
            .Take(2)
            .ToList();
        return Words.Indefinite(string.Join(" ", adjectives.Append(item.Name)));
    }

    private static SvitConversation ToConversation(IEnumerable<QaItem> pairs) => new()
    {
        Content = pairs.SelectMany(p => new[] { new SvitTurn(SvitTurn.User, p.Question), new SvitTurn(SvitTurn.Gpt, p.Answer) }).ToList(),
    };
}
