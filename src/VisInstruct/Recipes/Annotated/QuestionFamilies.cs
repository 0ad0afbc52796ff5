using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Randomness;
using VisInstruct.Text;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The question families: each turns a <see cref="Scene"/> into candidate question-answer pairs whose answers follow
/// from the annotations alone. The wording of each candidate is drawn with the generator; the candidates come
/// shuffled. A family that the data cannot support yields nothing.
/// </summary>
internal static partial class QuestionFamilies
{
    /// <summary>Centres closer than this share of a side are not called left/right (or above/below) of each other.</summary>
    public const double Margin = 0.1;

    /// <summary>Centres must be more than <see cref="Margin"/> apart by this much, so a difference that is 0.1 only up to rounding never counts.</summary>
    private const double Tolerance = 1e-9;

    /// <summary>An area ratio below this is not called "larger".</summary>
    public const double LargerRatio = 1.5;

    /// <summary>Objects that overlap this much (intersection over the smaller box) are parts or duplicates, not neighbours.</summary>
    public const double ContainOverlap = 0.5;

    /// <summary>How many unique objects are paired for relations (the first in annotation order).</summary>
    private const int PairLimit = 30;

    /// <summary>
    /// Names for "No" answers to existence questions: each is only asked when none of its words (nor the listed related
    /// words) appear in any object name, region phrase or caption of the image. The words after '|' block a name whose
    /// answer could be wrong through a synonym or a broader word ("motorcycle" when a "bike" is annotated).
    /// </summary>
    private static readonly string[] AbsentNames =
    [
        "giraffe|animal", "elephant|animal", "zebra|animal", "cow|cattle|bull|calf|animal", "sheep|lamb|animal",
        "horse|pony|animal", "cat|kitten|animal", "dog|puppy|animal", "bird|pigeon|seagull|duck|animal",
        "airplane|plane|jet|aircraft", "boat|ship|canoe|kayak", "train|locomotive|railway", "motorcycle|motorbike|bike",
        "surfboard|surf|board", "skateboard|board", "kite", "frisbee", "umbrella|parasol", "suitcase|luggage|bag",
        "toilet", "laptop|computer", "television|tv|monitor|screen", "refrigerator|fridge", "microwave", "oven|stove",
        "sink", "bed", "couch|sofa", "pizza|food", "banana|fruit|food", "cake|food|dessert", "donut|doughnut|food",
        "sandwich|food", "broccoli|vegetable|food", "scissors", "toothbrush", "vase|flower", "teddy bear|toy|bear",
        "tennis racket|racquet|racket", "baseball bat|bat", "fire hydrant|hydrant", "bench|seat", "clock|watch",
        "book", "bowl", "spoon|utensil", "fork|utensil", "wine glass|glass|glasses|cup", "keyboard", "cell phone|phone|mobile",
        "chair|seat", "guitar", "piano", "balloon", "candle", "snowboard|board", "skis|ski",
    ];

    // ---- Conversation families -------------------------------------------------------------------------------

    public static List<QaItem> Counting(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (string key in scene.CountableKeys)
        {
            int n = scene.CountOf(key)!.Value;
            string plural = Words.Plural(key);
            string q = rng.Pick(["How many {0} are there?", "How many {0} are there in the image?", "How many {0} can you see?",
                "Can you count the {0} in the picture?", "What is the number of {0} in the image?"]).Replace("{0}", plural, StringComparison.Ordinal);
            result.Add(new QaItem(QaFamily.Counting, q, CountAnswer(n, key)));
        }

        return rng.Shuffled(result);
    }

    /// <summary>"There is one clock in the image." / "There are two men in the image."</summary>
    public static string CountAnswer(int n, string singular) =>
        $"There {(n == 1 ? "is" : "are")} {Words.Count(n, singular)} in the image.";

    /// <summary>Yes and no questions, interleaved so that about half the answers are "No"; none when there are no objects.</summary>
    public static List<QaItem> Existence(Scene scene, DeterministicRandom rng)
    {
        if (scene.Items.Count == 0)
        {
            return [];
        }

        var yes = rng.Shuffled(scene.Keys.Select(k => ExistenceItem(scene.Group(k)[0].Name, true, rng)).ToList());
        var absent = AbsentNames
            .Select(line => line.Split('|'))
            .Where(words => !words.SelectMany(Words.Tokens).Any(w => scene.Vocabulary.Contains(w) || scene.Vocabulary.Contains(Words.Key(w))))
            .Select(words => words[0])
            .ToList();
        var no = rng.Shuffled(absent.Select(name => ExistenceItem(name, false, rng)).ToList());
        var result = new List<QaItem>();
        for (int i = 0; i < yes.Count; i++)
        {
            result.Add(yes[i]);
            if (i < no.Count)
            {
                result.Add(no[i]);
            }
        }

        return result;
    }

    private static QaItem ExistenceItem(string name, bool present, DeterministicRandom rng)
    {
        bool plural = Words.IsPlural(name);
        string q = plural
            ? rng.Pick(["Are there {0} in the image?", "Can you see any {0} in the picture?", "Does the image contain {0}?", "Are any {0} visible in this photo?"])
            : rng.Pick(["Is there {0} in the image?", "Can you see {0} in the picture?", "Does the image contain {0}?", "Is {0} visible in this photo?"]);
        q = q.Replace("{0}", Words.Indefinite(name), StringComparison.Ordinal);
        string a = present
            ? $"Yes, there {(plural ? "are" : "is")} {Words.Indefinite(name)} in the image."
            : $"No, there {(plural ? "are" : "is")} no {name} in the image.";
        return new QaItem(QaFamily.Existence, q, a);
    }

    public static List<QaItem> Colour(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (var item in scene.UniqueItems)
        {
            var colours = item.Colours;
            if (colours.Count == 0)
            {
                continue;
            }

            string be = Words.Be(item.Name);
            string q = rng.Pick([$"What colour {be} the {item.Name}?", $"What is the colour of the {item.Name}?", $"Which colour {be} the {item.Name}?"]);
            result.Add(new QaItem(QaFamily.Colour, q, $"The {item.Name} {be} {Words.List(colours)}."));
        }

        return rng.Shuffled(result);
    }

    public static List<QaItem> Describe(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (var item in scene.UniqueItems)
        {
            // Only objects with something beyond a colour (the colour question covers that).
            if (item.Attributes.Count == 0 || item.Attributes.All(Scene.ColourWords.Contains))
            {
                continue;
            }

            string be = Words.Be(item.Name);
            string q = rng.Pick([$"How would you describe the {item.Name}?", $"What {(item.Plural ? "do" : "does")} the {item.Name} look like?", $"Can you describe the {item.Name}?"]);
            result.Add(new QaItem(QaFamily.Describe, q, $"The {item.Name} {be} {Words.List(item.Attributes)}."));
        }

        return rng.Shuffled(result);
    }

    /// <summary>Where one object is, by the thirds of the image its centre falls in (objects up to 40% of the image).</summary>
    public static List<QaItem> Location(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (var item in scene.UniqueItems.Where(i => i.Area <= 0.4))
        {
            string be = Words.Be(item.Name);
            string q = rng.Pick([$"Where {be} the {item.Name} in the image?", $"In which part of the image {be} the {item.Name}?", $"Where can the {item.Name} be found in the picture?"]);
            result.Add(new QaItem(QaFamily.Location, q, $"The {item.Name} {be} {Place(item)}."));
        }

        return rng.Shuffled(result);
    }

    /// <summary>"in the top left part of the image", "at the bottom of the image", "in the centre of the image".</summary>
    public static string Place(SceneItem item)
    {
        string h = item.CentreX < 1.0 / 3 ? "left" : item.CentreX > 2.0 / 3 ? "right" : "centre";
        string v = item.CentreY < 1.0 / 3 ? "top" : item.CentreY > 2.0 / 3 ? "bottom" : "middle";
        return (v, h) switch
        {
            ("middle", "centre") => "in the centre of the image",
            ("middle", _) => $"on the {h} side of the image",
            (_, "centre") => $"at the {v} of the image",
            _ => $"in the {v} {h} part of the image",
        };
    }

    /// <summary>Left/right, above/below and larger between two unique objects that are not parts of each other.</summary>
    public static (List<QaItem> LeftRight, List<QaItem> AboveBelow, List<QaItem> Larger) Relations(Scene scene, DeterministicRandom rng)
    {
        var leftRight = new List<QaItem>();
        var aboveBelow = new List<QaItem>();
        var larger = new List<QaItem>();
        foreach (var (a, b) in UniquePairs(scene, rng))
        {
            if (Math.Abs(a.CentreX - b.CentreX) > Margin + Tolerance)
            {
                string q = rng.Pick([$"Is the {a.Name} to the left or to the right of the {b.Name}?", $"Is the {a.Name} on the left or on the right of the {b.Name}?",
                    $"Where {Words.Be(a.Name)} the {a.Name} relative to the {b.Name}, left or right?"]);
                leftRight.Add(new QaItem(QaFamily.LeftRight, q, $"The {a.Name} {Words.Be(a.Name)} to the {(a.CentreX < b.CentreX ? "left" : "right")} of the {b.Name}."));
            }

            if (Math.Abs(a.CentreY - b.CentreY) > Margin + Tolerance)
            {
                string q = rng.Pick([$"Is the {a.Name} above or below the {b.Name}?", $"Is the {a.Name} higher or lower than the {b.Name} in the image?"]);
                aboveBelow.Add(new QaItem(QaFamily.AboveBelow, q, $"The {a.Name} {Words.Be(a.Name)} {(a.CentreY < b.CentreY ? "above" : "below")} the {b.Name}."));
            }

            double ratio = a.Area / b.Area;
            if (ratio >= LargerRatio + Tolerance || ratio <= 1 / (LargerRatio + Tolerance))
            {
                var (big, small) = ratio > 1 ? (a, b) : (b, a);
                string q = rng.Pick([$"Which is larger in the image, the {a.Name} or the {b.Name}?", $"Which looks bigger, the {a.Name} or the {b.Name}?"]);
                larger.Add(new QaItem(QaFamily.Larger, q, $"The {big.Name} {Words.Be(big.Name)} larger than the {small.Name}."));
            }
        }

        return (rng.Shuffled(leftRight), rng.Shuffled(aboveBelow), rng.Shuffled(larger));
    }

    /// <summary>"What is the man wearing?" from a region phrase "man is wearing glasses" over the only man.</summary>
    public static List<QaItem> Activity(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (var (region, subject, verb, rest) in Activities(scene))
        {
            if (!scene.IsUnique(subject))
            {
                continue;
            }

            string be = Words.Be(subject.Name);
            string q = $"What {be} the {subject.Name} {verb}?";
            result.Add(new QaItem(QaFamily.Activity, q, $"The {subject.Name} {be} {verb} {rest}."));
        }

        return rng.Shuffled(result);
    }

    public static List<QaItem> Caption(Scene scene, DeterministicRandom rng)
    {
        if (scene.Captions.Count == 0)
        {
            return [];
        }

        string q = rng.Pick(["What is happening in this image?", "Can you briefly describe the scene?", "What does this picture show?"]);
        return [new QaItem(QaFamily.Caption, q, rng.Pick(scene.Captions))];
    }

    // ---- Complex reasoning families ----------------------------------------------------------------------------

    public static (List<QaItem> MoreThan, List<QaItem> Total) CountComparisons(Scene scene, DeterministicRandom rng)
    {
        var more = new List<QaItem>();
        var total = new List<QaItem>();
        var keys = scene.CountableKeys.ToList();
        for (int i = 0; i < keys.Count; i++)
        {
            for (int j = i + 1; j < keys.Count; j++)
            {
                var (x, y) = rng.NextBool() ? (keys[i], keys[j]) : (keys[j], keys[i]);
                int nx = scene.CountOf(x)!.Value;
                int ny = scene.CountOf(y)!.Value;
                string px = Words.Plural(x);
                string py = Words.Plural(y);
                string counted = $"I count {Words.Count(nx, x)} and {Words.Count(ny, y)}";
                string conclusion = nx > ny ? $"there are more {px} than {py}" : nx == ny ? $"there are as many {px} as {py}" : $"there are fewer {px} than {py}";
                string q = rng.Pick([$"Are there more {px} than {py} in the image?", $"Does the image show more {px} than {py}?"]);
                more.Add(new QaItem(QaFamily.MoreThan, q, $"{(nx > ny ? "Yes" : "No")}. {counted}, so {conclusion}."));
                string qt = rng.Pick([$"How many {px} and {py} are there altogether?", $"What is the total number of {px} and {py} in the image?"]);
                total.Add(new QaItem(QaFamily.Total, qt, $"{counted}, which makes {English.Number(nx + ny)} in total."));
            }
        }

        return (rng.Shuffled(more), rng.Shuffled(total));
    }

    /// <summary>How a counted group splits between the image's halves, left/right and top/bottom, by box centres.</summary>
    public static List<QaItem> Spread(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (string key in scene.CountableKeys)
        {
            var group = scene.Group(key);
            if (group.Count < 2)
            {
                continue;
            }

            string plural = Words.Plural(key);
            string all = $"I count {Words.Count(group.Count, key)}";
            int left = group.Count(i => i.CentreX < 0.5);
            string q = rng.Pick([$"How many of the {plural} are in the left half of the image, and how many in the right half?", $"How are the {plural} spread between the left and right halves of the image?"]);
            result.Add(new QaItem(QaFamily.Spread, q, $"{all}: {Words.NumberOrNone(left)} in the left half of the image and {Words.NumberOrNone(group.Count - left)} in the right half."));
            int top = group.Count(i => i.CentreY < 0.5);
            q = rng.Pick([$"How many of the {plural} are in the top half of the image, and how many in the bottom half?", $"How are the {plural} spread between the top and bottom halves of the image?"]);
            result.Add(new QaItem(QaFamily.Spread, q, $"{all}: {Words.NumberOrNone(top)} in the top half of the image and {Words.NumberOrNone(group.Count - top)} in the bottom half."));
        }

        return rng.Shuffled(result);
    }

    /// <summary>The largest and the smallest object, when it beats every object of another name by 10% of area.</summary>
    public static List<QaItem> Extent(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        if (scene.Items.Count < 2)
        {
            return result;
        }

        var byArea = scene.Items.OrderByDescending(i => i.Area).ToList();
        var big = byArea[0];
        var bigRival = byArea.FirstOrDefault(i => i.Key != big.Key);
        if (bigRival is not null && big.Area > bigRival.Area * 1.1)
        {
            string q = rng.Pick(["What is the largest object in the image?", "Which object takes up the most space in the image?"]);
            result.Add(new QaItem(QaFamily.Largest, q,
                $"The largest object is the {big.Name}, which {Covers(big)} about {Words.Percent(big.Area)} of the image; the next largest, the {bigRival.Name}, {Covers(bigRival)} about {Words.Percent(bigRival.Area)}."));
        }

        var small = byArea[^1];
        var smallRival = byArea.LastOrDefault(i => i.Key != small.Key);
        if (smallRival is not null && smallRival.Area > small.Area * 1.1)
        {
            string q = rng.Pick(["What is the smallest object in the image?", "Which object takes up the least space in the image?"]);
            result.Add(new QaItem(QaFamily.Smallest, q,
                $"The smallest object is the {small.Name}, which {Covers(small)} {Words.AboutPercentFine(small.Area)} of the image; the next smallest, the {smallRival.Name}, {Covers(smallRival)} {Words.AboutPercentFine(smallRival.Area)}."));
        }

        return rng.Shuffled(result);
    }

    private static string Covers(SceneItem item) => item.Plural ? "cover" : "covers";

    /// <summary>The object closest to each edge, when its edge leads every object of another name by 2% of the side.</summary>
    public static List<QaItem> Extremes(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        if (scene.Items.Count < 2)
        {
            return result;
        }

        (string Side, Func<SceneItem, double> Distance, string Edge, string Measure)[] sides =
        [
            ("top", i => i.Y1, "top edge", "down from the top"),
            ("bottom", i => 1 - i.Y2, "bottom edge", "up from the bottom"),
            ("left", i => i.X1, "left edge", "in from the left"),
            ("right", i => 1 - i.X2, "right edge", "in from the right"),
        ];
        foreach (var (side, distance, edge, measure) in sides)
        {
            var ordered = scene.Items.OrderBy(distance).ToList();
            var best = ordered[0];
            var rival = ordered.FirstOrDefault(i => i.Key != best.Key);
            if (rival is null || distance(rival) - distance(best) < 0.02)
            {
                continue;
            }

            string q = rng.Pick([$"Which object is closest to the {side} of the image?", $"Which object reaches furthest toward the {side} of the image?"]);
            result.Add(new QaItem(QaFamily.Extreme, q,
                $"The {best.Name} {Words.Be(best.Name)} closest to the {side} of the image: {(best.Plural ? "their" : "its")} {edge} is {Words.AboutPercent(Math.Max(0, distance(best)))} of the way {measure}, while the next closest object, the {rival.Name}, {Words.Be(rival.Name)} at {Words.AboutPercent(Math.Max(0, distance(rival)))}."));
        }

        return rng.Shuffled(result);
    }

    /// <summary>"Is the X to the left of the Y?" and "Is the X above the Y?" with the centres as the reasoning.</summary>
    public static (List<QaItem> LeftOf, List<QaItem> Above, List<QaItem> SizeRatio) ReasonedRelations(Scene scene, DeterministicRandom rng)
    {
        var leftOf = new List<QaItem>();
        var above = new List<QaItem>();
        var ratio = new List<QaItem>();
        foreach (var (a, b) in UniquePairs(scene, rng))
        {
            string beA = Words.Be(a.Name);
            if (Math.Abs(a.CentreX - b.CentreX) > Margin + Tolerance)
            {
                bool askLeft = rng.NextBool();
                bool truth = askLeft ? a.CentreX < b.CentreX : a.CentreX > b.CentreX;
                string asked = askLeft ? "left" : "right";
                string actual = a.CentreX < b.CentreX ? "left" : "right";
                leftOf.Add(new QaItem(QaFamily.LeftOf, $"{Words.Capitalize(beA)} the {a.Name} to the {asked} of the {b.Name}?",
                    $"{(truth ? "Yes" : "No")}. The {a.Name} {beA} centred about {Words.Percent(a.CentreX)} of the way across the image from the left, while the {b.Name} {Words.Be(b.Name)} centred at about {Words.Percent(b.CentreX)}, so the {a.Name} {beA} to the {actual} of the {b.Name}."));
            }

            if (Math.Abs(a.CentreY - b.CentreY) > Margin + Tolerance)
            {
                bool askAbove = rng.NextBool();
                bool truth = askAbove ? a.CentreY < b.CentreY : a.CentreY > b.CentreY;
                string asked = askAbove ? "above" : "below";
                string actual = a.CentreY < b.CentreY ? "above" : "below";
                above.Add(new QaItem(QaFamily.Above, $"{Words.Capitalize(beA)} the {a.Name} {asked} the {b.Name}?",
                    $"{(truth ? "Yes" : "No")}. The {a.Name} {beA} centred about {Words.Percent(a.CentreY)} of the way down the image, while the {b.Name} {Words.Be(b.Name)} centred at about {Words.Percent(b.CentreY)}, so the {a.Name} {beA} {actual} the {b.Name}."));
            }

            if (a.Area >= 0.005 && b.Area >= 0.005 && (a.Area >= 2 * b.Area || b.Area >= 2 * a.Area))
            {
                var (big, small) = a.Area > b.Area ? (a, b) : (b, a);
                int times = (int)Math.Round(big.Area / small.Area, MidpointRounding.AwayFromZero);
                ratio.Add(new QaItem(QaFamily.SizeRatio, $"How does the size of the {a.Name} compare with the size of the {b.Name}?",
                    $"The {big.Name} {Words.Be(big.Name)} larger: {(big.Plural ? "they cover" : "it covers")} about {Words.PercentFine(big.Area)} of the image while the {small.Name} {(small.Plural ? "cover" : "covers")} about {Words.PercentFine(small.Area)}, so the {big.Name} {Words.Be(big.Name)} roughly {English.Number(times)} times as large."));
            }
        }

        return (rng.Shuffled(leftOf), rng.Shuffled(above), rng.Shuffled(ratio));
    }

    // ---- Referring families --------------------------------------------------------------------------------------

    public static List<QaItem> RefLocate(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (var item in scene.UniqueItems.Where(i => i.Area <= 0.6))
        {
            string be = Words.Be(item.Name);
            string q = rng.Pick([$"Locate the {item.Name}.", $"Where {be} the {item.Name}?", $"Can you point out the {item.Name} in the image?", $"Find the {item.Name} in the picture."]);
            result.Add(new QaItem(QaFamily.RefLocate, q, $"The {item.Mention} {be} {Place(item)}."));
        }

        foreach (string key in scene.CountableKeys)
        {
            var group = scene.Group(key);
            if (group.Count < 2)
            {
                continue;
            }

            string plural = Words.Plural(key);
            string q = rng.Pick([$"Locate all the {plural}.", $"Where are the {plural}?", $"Find every {key} in the image."]);
            string boxes = string.Join(", ", group.Select(i => i.Box.ToString()));
            result.Add(new QaItem(QaFamily.RefLocateAll, q, $"There are {English.Number(group.Count)} <st>{plural}<ed> {boxes} in the image."));
        }

        return rng.Shuffled(result);
    }

    public static (List<QaItem> Colour, List<QaItem> Describe) RefAttributes(Scene scene, DeterministicRandom rng)
    {
        var colour = new List<QaItem>();
        var describe = new List<QaItem>();
        foreach (var item in scene.Items)
        {
            string be = Words.Be(item.Name);
            var colours = item.Colours;
            if (colours.Count > 0)
            {
                string q = rng.Pick([$"What colour {be} the {item.Mention}?", $"What is the colour of the {item.Mention}?"]);
                colour.Add(new QaItem(QaFamily.RefColour, q, $"The {item.Mention} {be} {Words.List(colours)}."));
            }

            if (item.Attributes.Count > 0 && !item.Attributes.All(Scene.ColourWords.Contains))
            {
                string q = rng.Pick([$"How would you describe the {item.Mention}?", $"What {(item.Plural ? "do" : "does")} the {item.Mention} look like?"]);
                describe.Add(new QaItem(QaFamily.RefDescribe, q, $"The {item.Mention} {be} {Words.List(item.Attributes)}."));
            }
        }

        return (rng.Shuffled(colour), rng.Shuffled(describe));
    }

    public static List<QaItem> RefActivity(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (var (region, subject, verb, rest) in Activities(scene))
        {
            string be = Words.Be(subject.Name);
            string wrapped = Wrap(rest, region, scene, subject);
            result.Add(new QaItem(QaFamily.RefActivity, $"What {be} the {subject.Mention} {verb}?", $"The {subject.Mention} {be} {verb} {wrapped}."));
        }

        return rng.Shuffled(result);
    }

    /// <summary>"What is happening in the region [box]?" answered by the region's phrase with its objects marked.</summary>
    public static List<QaItem> RefRegion(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        // A box that two regions with different phrases share does not say which one the question means.
        var ambiguous = scene.Regions.GroupBy(r => r.Box).Where(g => g.Select(r => r.Phrase).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => g.Key).ToHashSet();
        foreach (var region in scene.Regions)
        {
            if (region.Tokens.Count < 2 || ambiguous.Contains(region.Box))
            {
                continue;
            }

            string wrapped = Wrap(region.Phrase, region, scene, null);
            if (!wrapped.Contains("<st>", StringComparison.Ordinal))
            {
                continue;
            }

            if (wrapped.StartsWith("<st>", StringComparison.Ordinal))
            {
                wrapped = "the " + wrapped;
            }

            string q = rng.Pick([$"What is happening in the region {region.Box}?", $"Describe the region {region.Box}.", $"What can you see in the area {region.Box}?"]);
            result.Add(new QaItem(QaFamily.RefRegion, q, Words.Sentence(wrapped)));
        }

        return rng.Shuffled(result);
    }

    public static (List<QaItem> LeftRight, List<QaItem> AboveBelow) RefRelations(Scene scene, DeterministicRandom rng)
    {
        var leftRight = new List<QaItem>();
        var aboveBelow = new List<QaItem>();
        var items = scene.Items.Take(PairLimit).ToList();
        for (int i = 0; i < items.Count; i++)
        {
            for (int j = i + 1; j < items.Count; j++)
            {
                var (a, b) = rng.NextBool() ? (items[i], items[j]) : (items[j], items[i]);
                // The boxes tell two objects of one name apart, so same-named pairs are fine unless they overlap.
                if (a.Overlap(b) >= ContainOverlap)
                {
                    continue;
                }

                string be = Words.Be(a.Name);
                if (Math.Abs(a.CentreX - b.CentreX) > Margin + Tolerance)
                {
                    leftRight.Add(new QaItem(QaFamily.RefLeftRight, $"Is the {a.Mention} to the left or to the right of the {b.Mention}?",
                        $"The {a.Mention} {be} to the {(a.CentreX < b.CentreX ? "left" : "right")} of the {b.Mention}."));
                }

                if (Math.Abs(a.CentreY - b.CentreY) > Margin + Tolerance)
                {
                    aboveBelow.Add(new QaItem(QaFamily.RefAboveBelow, $"Is the {a.Mention} above or below the {b.Mention}?",
                        $"The {a.Mention} {be} {(a.CentreY < b.CentreY ? "above" : "below")} the {b.Mention}."));
                }
            }
        }

        return (rng.Shuffled(leftRight), rng.Shuffled(aboveBelow));
    }

    // ---- Shared -----------------------------------------------------------------------------------------------

    /// <summary>Pairs of unique objects (distinct names) that are not parts or duplicates of each other, in a random order each.</summary>
    private static List<(SceneItem A, SceneItem B)> UniquePairs(Scene scene, DeterministicRandom rng)
    {
        var unique = scene.UniqueItems.Take(PairLimit).ToList();
        var pairs = new List<(SceneItem, SceneItem)>();
        for (int i = 0; i < unique.Count; i++)
        {
            for (int j = i + 1; j < unique.Count; j++)
            {
                if (unique[i].Overlap(unique[j]) < ContainOverlap)
                {
                    pairs.Add(rng.NextBool() ? (unique[i], unique[j]) : (unique[j], unique[i]));
                }
            }
        }

        return pairs;
    }

    /// <summary>
    /// The one object of that name the region is about: the only object named so whose box and the region's overlap by
    /// half the smaller of the two; null when there is none or more than one.
    /// </summary>
    public static SceneItem? Anchor(Scene scene, SceneRegion region, string name)
    {
        SceneItem? found = null;
        foreach (var item in scene.Items)
        {
            if (item.Name == name && item.Overlap(region.X1, region.Y1, region.X2, region.Y2) >= ContainOverlap)
            {
                if (found is not null)
                {
                    return null;
                }

                found = item;
            }
        }

        return found;
    }

    /// <summary>Region phrases "(a|the) SUBJECT (is|are) VERB REST" whose subject anchors to one object.</summary>
    private static IEnumerable<(SceneRegion Region, SceneItem Subject, string Verb, string Tail)> Activities(Scene scene)
    {
        foreach (var region in scene.Regions)
        {
            var m = ActivityPhrase().Match(region.Phrase);
            if (!m.Success)
            {
                continue;
            }

            string rest = m.Groups["rest"].Value;
            if (Words.Tokens(rest).Count is 0 or > 6)
            {
                continue;
            }

            var subject = Anchor(scene, region, m.Groups["subject"].Value);
            if (subject is not null)
            {
                yield return (region, subject, m.Groups["verb"].Value, rest);
            }
        }
    }

    /// <summary>
    /// Marks the object names in a region phrase as <c>&lt;st&gt;name&lt;ed&gt; [box]</c>: each whole-word name
    /// (longest first, first occurrence, no overlaps) whose object anchors to the region (see <see cref="Anchor"/>).
    /// </summary>
    public static string Wrap(string text, SceneRegion region, Scene scene, SceneItem? exclude)
    {
        var spans = new List<(int Start, int End, SceneItem Item)>();
        foreach (string name in scene.Items.Select(i => i.Name).Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal))
        {
            int at = FindWords(text, name, 0);
            while (at >= 0 && spans.Any(s => at < s.End && at + name.Length > s.Start))
            {
                at = FindWords(text, name, at + 1);
            }

            if (at < 0)
            {
                continue;
            }

            var item = Anchor(scene, region, name);
            if (item is not null && item != exclude)
            {
                spans.Add((at, at + name.Length, item));
            }
        }

        if (spans.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder();
        int done = 0;
        foreach (var (start, end, item) in spans.OrderBy(s => s.Start))
        {
            sb.Append(text, done, start - done).Append(item.Mention);
            done = end;
        }

        return sb.Append(text, done, text.Length - done).ToString();
    }

    /// <summary>The first index at or after <paramref name="start"/> where <paramref name="words"/> stands as whole words; -1 if none.</summary>
    private static int FindWords(string text, string words, int start)
    {
        for (int i = text.IndexOf(words, start, StringComparison.Ordinal); i >= 0; i = text.IndexOf(words, i + 1, StringComparison.Ordinal))
        {
            int end = i + words.Length;
            if ((i == 0 || !IsWordChar(text[i - 1])) && (end == text.Length || !IsWordChar(text[end])))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetter(c) || c is '\'' or '-';

    [GeneratedRegex(@"^(?:a |an |the )?(?<subject>[a-z][a-z' -]*?) (?:is |are )?(?<verb>wearing|holding|carrying|riding|eating|using|pulling|watching|drinking|throwing|reading) (?<rest>[a-z][a-z' -]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ActivityPhrase();
}
