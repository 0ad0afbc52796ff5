using System.Text.RegularExpressions;
using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>One relation a region phrase states between two uniquely named objects: "the parking meter is on the sidewalk".</summary>
internal sealed record SceneRelation(SceneItem Subject, string Preposition, SceneItem Object)
{
    /// <summary>"the parking meter is on the sidewalk".</summary>
    public string Text => $"the {Subject.Name} {Words.Be(Subject.Name)} {Preposition} the {Object.Name}";

    public bool Involves(SceneItem item) => Subject == item || Object == item;

    public SceneItem Other(SceneItem item) => Subject == item ? Object : Subject;
}

/// <summary>
/// The complex-reasoning families whose answers combine two facts of the image's fact base: two relations through a
/// shared object, a relation and a colour, counts in the halves of the image, and an activity a caption names with an
/// object that serves it.
/// </summary>
internal static partial class QuestionFamilies
{
    /// <summary>Prepositions of closeness: an object on, next to or by another is near it.</summary>
    private static readonly HashSet<string> NearPrepositions = new(StringComparer.Ordinal)
    {
        "on", "on top of", "next to", "near", "beside", "by", "against",
    };

    /// <summary>
    /// What an object is for when a caption names the activity: the object's group key, the caption words that name
    /// the activity, the activity as a phrase, and the purpose.
    /// </summary>
    private static readonly (string Key, string[] Cues, string Activity, string Purpose)[] PurposeTable =
    [
        ("tennis racket", ["tennis"], "a game of tennis", "to hit the ball over the net"),
        ("surfboard", ["surf", "surfing", "surfer", "waves"], "surfing", "to ride the waves"),
        ("ski", ["ski", "skiing", "skier", "skiers"], "skiing", "to glide down the snow"),
        ("snowboard", ["snowboard", "snowboarding", "snowboarder"], "snowboarding", "to ride down the snowy slope"),
        ("skateboard", ["skateboarding", "skateboarder", "skating", "skater"], "skateboarding", "to ride on and do tricks with"),
        ("kite", ["flying", "fly", "flies"], "kite flying", "to fly in the wind"),
        ("frisbee", ["frisbee", "throwing", "catching"], "a game of frisbee", "to throw and catch"),
        ("baseball bat", ["baseball", "batter", "swinging"], "a game of baseball", "to hit the ball"),
        ("baseball glove", ["baseball", "catcher"], "a game of baseball", "to catch the ball"),
        ("knife", ["chopping", "cutting", "slicing", "chop", "cut", "slice"], "food being cut", "to cut the food"),
        ("cup", ["coffee", "tea"], "a hot drink", "to hold the drink"),
        ("umbrella", ["beach", "sunny", "sun"], "a sunny day outdoors", "to give shade from the sun"),
        ("umbrella", ["rain", "raining", "rainy"], "rain", "to keep the rain off"),
        ("dining table", ["eating", "dinner", "lunch", "meal", "breakfast"], "a meal", "to eat at"),
        ("oven", ["cooking", "baking", "cook", "bake"], "cooking", "to cook the food"),
        ("sink", ["washing", "dishes"], "washing up", "to wash things in"),
        ("boat", ["sailing", "fishing", "rowing"], "time out on the water", "to travel on the water"),
        ("horse", ["riding", "rider", "ride"], "horse riding", "to be ridden"),
        ("suitcase", ["travel", "traveling", "travelling", "trip", "airport"], "travel", "to carry belongings on the trip"),
        ("toothbrush", ["brushing", "brush"], "teeth being brushed", "to brush teeth"),
    ];

    /// <summary>
    /// The relations region phrases state: "(a|the) A (is|are) [parked|standing|...] PREP (a|the) B" where A and B are
    /// names of different objects that each name exactly one object. Each relation once, in region order.
    /// </summary>
    public static List<SceneRelation> RelationsOf(Scene scene)
    {
        var result = new List<SceneRelation>();
        foreach (var region in scene.Regions)
        {
            var m = RelationPhrase().Match(region.Phrase);
            if (!m.Success)
            {
                continue;
            }

            var a = scene.Group(Words.Key(m.Groups["a"].Value));
            var b = scene.Group(Words.Key(m.Groups["b"].Value));
            if (a.Count == 1 && b.Count == 1 && a[0] != b[0] && a[0].Name == m.Groups["a"].Value && b[0].Name == m.Groups["b"].Value)
            {
                var relation = new SceneRelation(a[0], m.Groups["p"].Value, b[0]);
                if (!result.Contains(relation))
                {
                    result.Add(relation);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Two closeness relations through a shared object: "the A is on the B" and "the B is next to the C" (or "the C is
    /// next to the B") make the A near the C. Asks whether A is near C, what links them (every shared object), and
    /// what else A is near besides B (every object one relation from A or from B).
    /// </summary>
    public static List<QaItem> RelationChains(Scene scene, DeterministicRandom rng)
    {
        var near = RelationsOf(scene).Where(r => NearPrepositions.Contains(r.Preposition)).ToList();
        var result = new List<QaItem>();
        var objects = near.SelectMany(r => new[] { r.Subject, r.Object }).Distinct().ToList();
        foreach (var a in objects)
        {
            var direct = near.Where(r => r.Involves(a)).ToList();
            foreach (var c in objects.Where(c => c != a && !direct.Any(r => r.Involves(c))))
            {
                // Every shared object B with a relation to A and one to C.
                var links = direct.Select(r => r.Other(a)).Where(b => near.Any(r => r.Involves(b) && r.Involves(c))).Distinct().ToList();
                if (links.Count == 0)
                {
                    continue;
                }

                var b0 = links[0];
                string reason = Reason(near, a, b0) + ", and " + Reason(near, b0, c);
                string q = rng.Pick([$"Is the {a.Name} near the {c.Name}?",
                    $"Would you say the {a.Name} {Words.Be(a.Name)} close to the {c.Name}?"]);
                result.Add(new QaItem(QaFamily.NearChain, q,
                    $"Yes. {Words.Capitalize(reason)}, so the {a.Name} {Words.Be(a.Name)} near the {c.Name}."));
                string reasons = string.Join("; ", links.Select(b => Reason(near, a, b) + " and " + Reason(near, b, c)));
                string what = Words.List(links.Select(b => "the " + b.Name).ToList());
                string ql = rng.Pick([$"What links the {a.Name} to the {c.Name} in this scene?",
                    $"Through which object {Words.Be(a.Name)} the {a.Name} connected to the {c.Name}?"]);
                result.Add(new QaItem(QaFamily.LinkChain, ql, $"{Words.Capitalize(what)}: {reasons}."));
            }

            foreach (var b in direct.Select(r => r.Other(a)).Distinct())
            {
                var others = direct.Select(r => r.Other(a)).Concat(near.Where(r => r.Involves(b)).Select(r => r.Other(b)))
                    .Where(x => x != a && x != b).Distinct().ToList();
                if (others.Count == 0)
                {
                    continue;
                }

                var parts = others.Select(x => direct.Any(r => r.Involves(x)) ? Reason(near, a, x) : Reason(near, b, x)).ToList();
                string q = rng.Pick([$"Besides the {b.Name}, what {Words.Be(a.Name)} the {a.Name} near?",
                    $"The {a.Name} {Words.Be(a.Name)} near the {b.Name}. What else {Words.Be(a.Name)} {(a.Plural ? "they" : "it")} "
                        + "close to?"]);
                result.Add(new QaItem(QaFamily.NearOthers, q,
                    $"{Words.Capitalize(Reason(near, a, b))}; {string.Join("; ", parts)}. So besides the {b.Name}, the {a.Name} "
                        + $"{Words.Be(a.Name)} near {Words.List(others.Select(x => "the " + x.Name).ToList())}."));
            }
        }

        return rng.Shuffled(result);
    }

    /// <summary>The first stated relation between the two objects, either way round.</summary>
    private static string Reason(List<SceneRelation> relations, SceneItem x, SceneItem y) =>
        relations.First(r => r.Involves(x) && r.Involves(y)).Text;

    /// <summary>
    /// A relation and a colour: "What colour is the thing the sign is on?" when the sign is on one object only and that
    /// object's colour is one of its attributes (the fact base's colour).
    /// </summary>
    public static List<QaItem> RelationColours(Scene scene, DeterministicRandom rng)
    {
        var relations = RelationsOf(scene);
        var result = new List<QaItem>();
        foreach (var group in relations.GroupBy(r => (r.Subject, r.Preposition)))
        {
            var targets = group.Select(r => r.Object).Distinct().ToList();
            var b = targets[0];
            var colours = b.Colours;
            if (targets.Count != 1 || colours.Count != 1)
            {
                continue;
            }

            var (a, p) = group.Key;
            string be = Words.Be(a.Name);
            string q = rng.Pick([$"What colour is the object the {a.Name} {be} {p}?",
                $"The {a.Name} {be} {p} something. What colour is it?",
                $"Which colour is the thing that the {a.Name} {be} {p}?"]);
            result.Add(new QaItem(QaFamily.RelationColour, q,
                $"The {a.Name} {be} {p} the {b.Name}, and the {b.Name} {Words.Be(b.Name)} {colours[0]}."));
        }

        return rng.Shuffled(result);
    }

    /// <summary>
    /// Counts in the halves of the image: which half holds more of a counted group, and how many of two groups one half
    /// holds together, when it holds any (a box belongs to the half its centre is in; a centre on the middle line counts
    /// as right or bottom).
    /// </summary>
    public static List<QaItem> HalfCounts(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        var keys = scene.CountableKeys.ToList();
        (string First, string Second, Func<SceneItem, bool> InFirst)[] splits =
        [
            ("left", "right", i => i.CentreX < 0.5),
            ("top", "bottom", i => i.CentreY < 0.5),
        ];
        foreach (var (first, second, inFirst) in splits)
        {
            foreach (string key in keys.Where(k => scene.Group(k).Count >= 2))
            {
                var group = scene.Group(key);
                int n1 = group.Count(inFirst);
                int n2 = group.Count - n1;
                string plural = Words.Plural(key);
                string q = rng.Pick([$"Are there more {plural} in the {first} half of the image or in the {second} half?",
                    $"Which half of the image has more {plural}, the {first} or the {second}?"]);
                string verdict = n1 == n2 ? "so both halves have the same number"
                    : $"so the {(n1 > n2 ? first : second)} half has more";
                result.Add(new QaItem(QaFamily.HalfMore, q,
                    $"Of the {Words.Count(group.Count, key)}, {Words.NumberOrNone(n1)} {(n1 == 1 ? "is" : "are")} in the {first} half and "
                        + $"{Words.NumberOrNone(n2)} in the {second} half, {verdict}."));
            }

            for (int i = 0; i < keys.Count; i++)
            {
                for (int j = i + 1; j < keys.Count; j++)
                {
                    var (x, y) = rng.NextBool() ? (keys[i], keys[j]) : (keys[j], keys[i]);
                    int nx = scene.Group(x).Count(inFirst);
                    int ny = scene.Group(y).Count(inFirst);
                    string side = rng.NextBool() ? first : second;
                    if (side == second)
                    {
                        (nx, ny) = (scene.Group(x).Count - nx, scene.Group(y).Count - ny);
                    }

                    if (nx + ny == 0)
                    {
                        continue;
                    }

                    string q = rng.Pick([
                        $"How many {Words.Plural(x)} and {Words.Plural(y)} are there in the {side} half of the image altogether?",
                        $"Counting both, how many {Words.Plural(x)} and {Words.Plural(y)} does the {side} half of the image hold?"]);
                    result.Add(new QaItem(QaFamily.HalfTotal, q,
                        $"In the {side} half there {(nx == 1 ? "is" : "are")} {HalfCount(nx, x)} and {HalfCount(ny, y)}, which makes "
                            + $"{Words.NumberOrNone(nx + ny)} in total."));
                }
            }
        }

        return rng.Shuffled(result);
    }

    private static string HalfCount(int n, string key) => n == 0 ? "no " + Words.Plural(key) : Words.Count(n, key);

    /// <summary>
    /// The purpose of an object from the activity a caption names: "What might the person use the knife for?" when a
    /// caption says "chopping" and a knife is annotated. The object is named alone only when it is the only one.
    /// </summary>
    public static List<QaItem> Purposes(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        bool person = scene.Keys.Any(Scene.PeopleKeys.Contains);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, cues, activity, purpose) in PurposeTable)
        {
            var group = scene.Group(key);
            string? caption = scene.Captions.FirstOrDefault(c => Words.Tokens(c).Any(cues.Contains));
            if (group.Count == 0 || caption is null || !done.Add(key))
            {
                continue;
            }

            string name = group.Count == 1 ? group[0].Name : Words.Plural(key);
            string be = Words.Be(name);
            var phrasings = new List<string>
            {
                $"What might the {name} be used for here?", $"Judging by the scene, what {be} the {name} for?",
            };
            if (person)
            {
                phrasings.Add($"What might the person use the {name} for?");
            }

            result.Add(new QaItem(QaFamily.Purpose, rng.Pick(phrasings),
                $"A caption of the image says \"{caption.TrimEnd('.')}\", which points to {activity}; so the {name} {be} most likely "
                    + $"there {purpose}."));
        }

        return rng.Shuffled(result);
    }

    [GeneratedRegex(
        @"^(?:a |an |the )?(?<a>[a-z][a-z' -]*?) (?:is |are )?(?:parked |standing |sitting |placed |located |hanging |mounted )?"
        + @"(?<p>on top of|on|next to|near|beside|by|behind|in front of|under|against) (?:a |an |the )?(?<b>[a-z][a-z' -]*)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex RelationPhrase();
}
