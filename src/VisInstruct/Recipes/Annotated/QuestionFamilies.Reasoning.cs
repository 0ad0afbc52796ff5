using VisInstruct.Randomness;
using VisInstruct.Text;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The complex-reasoning families over counts: two groups compared and added, one group spread over the halves. The
/// families that combine relations, colours, halves and captions are in QuestionFamilies.Combined.cs.
/// </summary>
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
}
