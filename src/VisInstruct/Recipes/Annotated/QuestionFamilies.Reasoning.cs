using VisInstruct.Randomness;
using VisInstruct.Text;

namespace VisInstruct.Recipes.Annotated;

/// <summary>The complex-reasoning families: count comparisons, spread, extent, extremes, reasoned relations.</summary>
internal static partial class QuestionFamilies
{
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
                string conclusion = nx > ny ? $"there are more {px} than {py}"
                    : nx == ny ? $"there are as many {px} as {py}"
                    : $"there are fewer {px} than {py}";
                string q = rng.Pick([$"Are there more {px} than {py} in the image?", $"Does the image show more {px} than {py}?"]);
                more.Add(new QaItem(QaFamily.MoreThan, q, $"{(nx > ny ? "Yes" : "No")}. {counted}, so {conclusion}."));
                string qt = rng.Pick([$"How many {px} and {py} are there altogether?",
                    $"What is the total number of {px} and {py} in the image?"]);
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
            string q = rng.Pick([$"How many of the {plural} are in the left half of the image, and how many in the right half?",
                $"How are the {plural} spread between the left and right halves of the image?"]);
            result.Add(new QaItem(QaFamily.Spread, q,
                $"{all}: {Words.NumberOrNone(left)} in the left half of the image and {Words.NumberOrNone(group.Count - left)} in the "
                + "right half."));
            int top = group.Count(i => i.CentreY < 0.5);
            q = rng.Pick([$"How many of the {plural} are in the top half of the image, and how many in the bottom half?",
                $"How are the {plural} spread between the top and bottom halves of the image?"]);
            result.Add(new QaItem(QaFamily.Spread, q,
                $"{all}: {Words.NumberOrNone(top)} in the top half of the image and {Words.NumberOrNone(group.Count - top)} in the "
                + "bottom half."));
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
                $"The largest object is the {big.Name}, which {Covers(big)} about {Words.Percent(big.Area)} of the image; the next "
                    + $"largest, the {bigRival.Name}, {Covers(bigRival)} about {Words.Percent(bigRival.Area)}."));
        }

        var small = byArea[^1];
        var smallRival = byArea.LastOrDefault(i => i.Key != small.Key);
        if (smallRival is not null && smallRival.Area > small.Area * 1.1)
        {
            string q = rng.Pick(["What is the smallest object in the image?", "Which object takes up the least space in the image?"]);
            result.Add(new QaItem(QaFamily.Smallest, q,
                $"The smallest object is the {small.Name}, which {Covers(small)} {Words.AboutPercentFine(small.Area)} of the image; the "
                    + $"next smallest, the {smallRival.Name}, {Covers(smallRival)} {Words.AboutPercentFine(smallRival.Area)}."));
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

            string q = rng.Pick([$"Which object is closest to the {side} of the image?",
                $"Which object reaches furthest toward the {side} of the image?"]);
            result.Add(new QaItem(QaFamily.Extreme, q,
                $"The {best.Name} {Words.Be(best.Name)} closest to the {side} of the image: {(best.Plural ? "their" : "its")} {edge} is "
                    + $"{Words.AboutPercent(Math.Max(0, distance(best)))} of the way {measure}, while the next closest object, the "
                    + $"{rival.Name}, {Words.Be(rival.Name)} at {Words.AboutPercent(Math.Max(0, distance(rival)))}."));
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
                    $"{(truth ? "Yes" : "No")}. The {a.Name} {beA} centred about {Words.Percent(a.CentreX)} of the way across the image "
                        + $"from the left, while the {b.Name} {Words.Be(b.Name)} centred at about {Words.Percent(b.CentreX)}, so the "
                        + $"{a.Name} {beA} to the {actual} of the {b.Name}."));
            }

            if (Math.Abs(a.CentreY - b.CentreY) > Margin + Tolerance)
            {
                bool askAbove = rng.NextBool();
                bool truth = askAbove ? a.CentreY < b.CentreY : a.CentreY > b.CentreY;
                string asked = askAbove ? "above" : "below";
                string actual = a.CentreY < b.CentreY ? "above" : "below";
                above.Add(new QaItem(QaFamily.Above, $"{Words.Capitalize(beA)} the {a.Name} {asked} the {b.Name}?",
                    $"{(truth ? "Yes" : "No")}. The {a.Name} {beA} centred about {Words.Percent(a.CentreY)} of the way down the image, "
                        + $"while the {b.Name} {Words.Be(b.Name)} centred at about {Words.Percent(b.CentreY)}, so the {a.Name} {beA} "
                        + $"{actual} the {b.Name}."));
            }

            if (a.Area >= 0.005 && b.Area >= 0.005 && (a.Area >= 2 * b.Area || b.Area >= 2 * a.Area))
            {
                var (big, small) = a.Area > b.Area ? (a, b) : (b, a);
                int times = (int)Math.Round(big.Area / small.Area, MidpointRounding.AwayFromZero);
                ratio.Add(new QaItem(QaFamily.SizeRatio, $"How does the size of the {a.Name} compare with the size of the {b.Name}?",
                    $"The {big.Name} {Words.Be(big.Name)} larger: {(big.Plural ? "they cover" : "it covers")} about "
                        + $"{Words.PercentFine(big.Area)} of the image while the {small.Name} {(small.Plural ? "cover" : "covers")} "
                        + $"about {Words.PercentFine(small.Area)}, so the {big.Name} {Words.Be(big.Name)} roughly "
                        + $"{English.Number(times)} times as large."));
            }
        }

        return (rng.Shuffled(leftOf), rng.Shuffled(above), rng.Shuffled(ratio));
    }
}
