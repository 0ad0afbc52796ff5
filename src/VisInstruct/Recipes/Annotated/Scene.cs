using VisInstruct.Annotations;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// One usable object of an image: normalised name, grouping key, exact fractions of the sides and the rounded box, its
/// Visual Genome synset (null when none) and its one colour in the image's fact base (see <see cref="SceneFacts"/>).
/// </summary>
internal sealed record SceneItem(string Name, string Key, NormalizedBox Box,
    double X1, double Y1, double X2, double Y2, IReadOnlyList<string> Attributes)
{
    public string? Synset { get; init; }

    /// <summary>
    /// The object's colour in the fact base: every task that states a colour of it states this one; null when none is known.
    /// </summary>
    public string? Colour { get; init; }

    public double CentreX => (X1 + X2) / 2;

    public double CentreY => (Y1 + Y2) / 2;

    /// <summary>The share of the image the box covers.</summary>
    public double Area => (X2 - X1) * (Y2 - Y1);

    public bool Plural => Words.IsPlural(Name);

    /// <summary>The referring form: <c>&lt;st&gt;clock&lt;ed&gt; [0.526, 0.152, 0.625, 0.717]</c>.</summary>
    public string Mention => "<st>" + Name + "<ed> " + Box;

    public IReadOnlyList<string> Colours => Attributes.Where(Scene.ColourWords.Contains).ToList();

    /// <summary>The intersection of the two boxes over the smaller one's area: 1 when one lies inside the other.</summary>
    public double Overlap(double x1, double y1, double x2, double y2)
    {
        double w = Math.Min(X2, x2) - Math.Max(X1, x1);
        double h = Math.Min(Y2, y2) - Math.Max(Y1, y1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        double smaller = Math.Min(Area, (x2 - x1) * (y2 - y1));
        return smaller <= 0 ? 0 : w * h / smaller;
    }

    public double Overlap(SceneItem other) => Overlap(other.X1, other.Y1, other.X2, other.Y2);

    public double IoU(SceneItem other)
    {
        double w = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        double h = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        double union = Area + other.Area - (w * h);
        return union <= 0 ? 0 : w * h / union;
    }
}

/// <summary>One usable region description: the phrase as a clean sentence fragment, its words and its box.</summary>
internal sealed record SceneRegion(string Phrase, IReadOnlyList<string> Tokens, NormalizedBox Box,
    double X1, double Y1, double X2, double Y2);

/// <summary>
/// An image's annotations prepared for question making: objects with plain-word names and non-empty boxes, grouped by
/// <see cref="Words.Key"/> in order of first appearance; clean attributes; usable region phrases; clean captions.
/// </summary>
internal sealed class Scene
{
    public static readonly IReadOnlySet<string> ColourWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white", "grey", "silver",
        "gold", "tan", "beige", "violet", "maroon", "navy", "teal", "turquoise",
    };

    /// <summary>
    /// Keys of names for people: their colour attributes (Visual Genome tags a man "white") are dropped, so that no
    /// question asks what colour a person is.
    /// </summary>
    public static readonly IReadOnlySet<string> PeopleKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "man", "woman", "person", "child", "boy", "girl", "guy", "lady", "kid", "player", "people", "baby", "skier",
        "surfer", "skateboarder", "rider", "gentleman", "adult", "teenager", "toddler", "pedestrian",
    };

    /// <summary>Two boxes of one group key overlapping this much (intersection over union) are one object.</summary>
    public const double DuplicateIoU = 0.7;

    private readonly Dictionary<string, List<SceneItem>> _groups = new(StringComparer.Ordinal);

    public Scene(ImageAnnotations image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Width = image.Width;
        Height = image.Height;
        var items = new List<SceneItem>();
        var regions = new List<SceneRegion>();
        var captions = new List<string>();
        if (Width > 0 && Height > 0)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var o in image.Objects)
            {
                string name = SceneCleaning.Clean(Words.Normalize(o.Name ?? ""));
                if (Words.IsWordy(name))
                {
                    names.Add(Words.Key(name));
                }
            }

            foreach (var o in image.Objects)
            {
                string name = SceneCleaning.Clean(Words.Normalize(o.Name ?? ""));
                // A COCO crowd box covers many objects at once: no exact count, position or size can be said of it.
                if (o.IsCrowd || !Words.IsWordy(name) || !(o.Box.W > 0) || !(o.Box.H > 0) || !double.IsFinite(o.Box.X)
                    || !double.IsFinite(o.Box.Y))
                {
                    continue;
                }

                string key = Words.Key(name);
                // Not an object, or a body part (by its name or its synset): no question is about it, and no count includes it.
                if (SceneCleaning.IsDropped(key) || SceneCleaning.IsDroppedSynset(o.Synset))
                {
                    continue;
                }

                var attributes = CleanAttributes(o.Attributes, names);
                if (PeopleKeys.Contains(key))
                {
                    attributes.RemoveAll(ColourWords.Contains);
                }

                items.Add(new SceneItem(name, key, o.Box.Normalize(Width, Height),
                    o.Box.X / Width, o.Box.Y / Height, o.Box.Right / Width, o.Box.Bottom / Height, attributes) { Synset = o.Synset });
            }

            foreach (var r in image.Regions)
            {
                string phrase = SceneCleaning.Clean(Words.Normalize(r.Phrase ?? "").TrimEnd('.', ' '));
                if (phrase.Length is 0 or > 120 || !(r.Box.W > 0) || !(r.Box.H > 0) || !phrase.All(IsPlainChar))
                {
                    continue;
                }

                regions.Add(new SceneRegion(phrase, Words.Tokens(phrase), r.Box.Normalize(Width, Height),
                    r.Box.X / Width, r.Box.Y / Height, r.Box.Right / Width, r.Box.Bottom / Height));
            }
        }

        var seenCaptions = new HashSet<string>(StringComparer.Ordinal);
        foreach (string caption in image.Captions)
        {
            string sentence = Words.Sentence(caption ?? "");
            if (sentence.Length > 1 && sentence.All(IsPlainChar) && seenCaptions.Add(sentence.ToLowerInvariant()))
            {
                captions.Add(sentence);
            }
        }

        var vocabulary = new HashSet<string>(StringComparer.Ordinal);
        foreach (string text in items.Select(i => i.Name).Concat(regions.Select(r => r.Phrase)).Concat(captions))
        {
            foreach (string token in Words.Tokens(text))
            {
                vocabulary.Add(token);
                vocabulary.Add(Words.Key(token));
            }
        }

        Vocabulary = vocabulary;
        var merged = MergeDuplicates(UnifySynsetNames(items));
        var claimNames = merged.Select(m => m.Item.Key).Distinct(StringComparer.Ordinal)
            .SelectMany(k => merged.Where(m => m.Item.Key == k).Select(m => m.Item.Name).Append(k).Append(Words.Plural(k))
                .Distinct(StringComparer.Ordinal).Select(n => (n.Split(' '), k)))
            .ToList();
        var regionClaims = regions.Select(r => Claims(r.Tokens, r, merged, claimNames)).ToList();
        var captionClaims = captions.Select(c => Claims(Words.Tokens(c), null, merged, claimNames)).ToList();
        var rng = new DeterministicRandom(SceneFacts.SeedOf(image.ImageId));
        var facts = new List<SceneItem>(merged.Count);
        for (int i = 0; i < merged.Count; i++)
        {
            var votes = regionClaims.Concat(captionClaims).SelectMany(c => c).Where(c => c.Item == i).SelectMany(c => c.Colours).ToList();
            facts.Add(SceneFacts.Choose(merged[i].Item, merged[i].Attributes, votes, rng));
        }

        // A text that gives an object another colour than its fact is left out of every task.
        bool Agrees(List<(int Item, List<string> Colours)> claims) =>
            claims.All(c => facts[c.Item].Colour is not { } colour || c.Colours.All(x => x == colour));
        Items = items = facts;
        Regions = regions.Where((_, i) => Agrees(regionClaims[i])).ToList();
        Captions = captions.Where((_, i) => Agrees(captionClaims[i])).ToList();
        var keys = new List<string>();
        foreach (var item in items)
        {
            if (!_groups.TryGetValue(item.Key, out var group))
            {
                _groups[item.Key] = group = [];
                keys.Add(item.Key);
            }

            group.Add(item);
        }

        Keys = keys;
    }

    public int Width { get; }

    public int Height { get; }

    public IReadOnlyList<SceneItem> Items { get; }

    public IReadOnlyList<SceneRegion> Regions { get; }

    public IReadOnlyList<string> Captions { get; }

    /// <summary>The group keys in order of first appearance.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Every word (and its key) of the object names, region phrases and captions.</summary>
    public IReadOnlySet<string> Vocabulary { get; }

    public IReadOnlyList<SceneItem> Group(string key) => _groups.TryGetValue(key, out var group) ? group : [];

    /// <summary>Whether the item is the only object of its group, so that "the clock" names exactly it.</summary>
    public bool IsUnique(SceneItem item) => Group(item.Key).Count == 1;

    public IEnumerable<SceneItem> UniqueItems => Items.Where(IsUnique);

    /// <summary>
    /// The count of a group when counting it is safe, else null. Visual Genome does not box every instance and often
    /// boxes one object twice, so a count is only given when every object of the group has the same singular name
    /// (a "bikes" box may hold any number of bikes) whose plural maps back to it, there are one to six boxes, and no two
    /// of them overlap with an IoU of 0.5 or more (likely the same object twice). The answer is then the number of boxes,
    /// exactly.
    /// </summary>
    public int? CountOf(string key)
    {
        var group = Group(key);
        if (group.Count is 0 or > 6 || group.Any(i => i.Name != key) || Words.Key(Words.Plural(key)) != key)
        {
            return null;
        }

        for (int i = 0; i < group.Count; i++)
        {
            for (int j = i + 1; j < group.Count; j++)
            {
                if (group[i].IoU(group[j]) >= 0.5)
                {
                    return null;
                }
            }
        }

        return group.Count;
    }

    /// <summary>The keys whose count is safe (see <see cref="CountOf"/>).</summary>
    public IEnumerable<string> CountableKeys => Keys.Where(k => CountOf(k) is not null);

    /// <summary>
    /// One item per object: a box whose group key is that of an earlier box, or whose synset is, and whose IoU with it
    /// is at least <see cref="DuplicateIoU"/> is the same object boxed twice (Visual Genome often boxes an object once per
    /// region it is named in). It is dropped; the attributes of every box of the object are kept with the first box, for
    /// the fact base to choose from (<see cref="SceneFacts.Choose"/>).
    /// </summary>
    internal static List<(SceneItem Item, List<IReadOnlyList<string>> Attributes)> MergeDuplicates(List<SceneItem> items)
    {
        var kept = new List<(SceneItem Item, List<IReadOnlyList<string>> Attributes)>();
        foreach (var item in items)
        {
            int at = kept.FindIndex(k => (k.Item.Key == item.Key || (k.Item.Synset is not null && k.Item.Synset == item.Synset))
                && k.Item.IoU(item) >= DuplicateIoU);
            if (at < 0)
            {
                kept.Add((item, [item.Attributes]));
            }
            else
            {
                kept[at].Attributes.Add(item.Attributes);
            }
        }

        return kept;
    }

    /// <summary>
    /// One name per synset in an image: the objects of one synset ("sneaker" and "tennis shoe", "man" and "guy") take
    /// the synset's head word when it is one of their names, else the most frequent of their names (the first on a tie),
    /// each in its own number ("sneakers" stays plural).
    /// </summary>
    internal static List<SceneItem> UnifySynsetNames(List<SceneItem> items)
    {
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in items.Where(i => i.Synset is not null).GroupBy(i => i.Synset!, StringComparer.Ordinal))
        {
            var keys = group.Select(i => i.Key).ToList();
            string head = SceneCleaning.SynsetHead(group.Key);
            canonical[group.Key] = keys.Contains(head, StringComparer.Ordinal) ? head
                : keys.GroupBy(k => k, StringComparer.Ordinal).OrderByDescending(g => g.Count()).First().Key;
        }

        return items.Select(i => i.Synset is null || canonical[i.Synset] == i.Key ? i
            : i with { Key = canonical[i.Synset], Name = i.Plural ? Words.Plural(canonical[i.Synset]) : canonical[i.Synset] }).ToList();
    }

    /// <summary>
    /// The colour claims of a text about objects it identifies: the one object of a name when the name is unique, else
    /// (for a region) the one object of the name the region's box lies on; claims about other objects are not kept.
    /// </summary>
    private static List<(int Item, List<string> Colours)> Claims(IReadOnlyList<string> tokens, SceneRegion? region,
        List<(SceneItem Item, List<IReadOnlyList<string>> Attributes)> merged, IReadOnlyList<(string[] Words, string Key)> names)
    {
        var result = new List<(int, List<string>)>();
        foreach (var (key, _, colours) in SceneFacts.ColourClaims(tokens, names))
        {
            var group = Enumerable.Range(0, merged.Count).Where(i => merged[i].Item.Key == key).ToList();
            if (group.Count > 1 && region is not null)
            {
                group = group.Where(i => merged[i].Item.Overlap(region.X1, region.Y1, region.X2, region.Y2) >= 0.5).ToList();
            }

            if (group.Count == 1)
            {
                result.Add((group[0], colours));
            }
        }

        return result;
    }

    private static bool IsPlainChar(char c) => c is >= ' ' and <= '~' and not ('<' or '>' or '[' or ']' or '{' or '}' or '\\' or '"');

    /// <summary>
    /// Attributes fit for a sentence: normalised, "gray" as "grey", plain words only, no attribute that is itself an
    /// object name of the image (Visual Genome has "sidewalk" as an attribute of a street), no repeats.
    /// </summary>
    private static List<string> CleanAttributes(IReadOnlyList<string>? attributes, HashSet<string> objectKeys)
    {
        var result = new List<string>();
        foreach (string raw in attributes ?? [])
        {
            string a = SceneCleaning.Clean(Words.Normalize(raw ?? ""));
            if (a == "gray")
            {
                a = "grey";
            }

            if (Words.IsWordy(a) && a.Length <= 25 && !objectKeys.Contains(Words.Key(a)) && !result.Contains(a))
            {
                result.Add(a);
            }
        }

        return result;
    }
}
