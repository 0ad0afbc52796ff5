using VisInstruct.Annotations;

namespace VisInstruct.Recipes.Annotated;

/// <summary>One usable object of an image: normalised name, grouping key, exact fractions of the sides and the rounded box.</summary>
internal sealed record SceneItem(string Name, string Key, NormalizedBox Box,
    double X1, double Y1, double X2, double Y2, IReadOnlyList<string> Attributes)
{
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
                // Not an object, or a body part: no question is about it, and no count includes it.
                if (SceneCleaning.IsDropped(key))
                {
                    continue;
                }

                var attributes = CleanAttributes(o.Attributes, names);
                if (PeopleKeys.Contains(key))
                {
                    attributes.RemoveAll(ColourWords.Contains);
                }

                items.Add(new SceneItem(name, key, o.Box.Normalize(Width, Height),
                    o.Box.X / Width, o.Box.Y / Height, o.Box.Right / Width, o.Box.Bottom / Height, attributes));
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

        items = MergeDuplicates(items);
        Items = items;
        Regions = regions;
        Captions = captions;
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
    /// One item per object: a box whose group key is that of an earlier box and whose IoU with it is at least
    /// <see cref="DuplicateIoU"/> is the same object boxed twice (Visual Genome often boxes an object once per region
    /// it is named in). It is dropped, and its attributes not yet on the kept box are added to it (its colours only when
    /// the kept box has none), so that every task reads one set of attributes, and one colour, per object.
    /// </summary>
    internal static List<SceneItem> MergeDuplicates(List<SceneItem> items)
    {
        var kept = new List<SceneItem>();
        foreach (var item in items)
        {
            int at = kept.FindIndex(k => k.Key == item.Key && k.IoU(item) >= DuplicateIoU);
            if (at < 0)
            {
                kept.Add(item);
                continue;
            }

            // The colour is chosen once: the first box's, or the duplicate's when the first box has none.
            var first = kept[at];
            bool hasColour = first.Attributes.Any(ColourWords.Contains);
            var extra = item.Attributes.Where(a => !first.Attributes.Contains(a) && !(hasColour && ColourWords.Contains(a))).ToList();
            if (extra.Count > 0)
            {
                kept[at] = first with { Attributes = first.Attributes.Concat(extra).ToList() };
            }
        }

        return kept;
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
