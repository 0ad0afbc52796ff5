using VisInstruct.Randomness;
using VisInstruct.Text;

namespace VisInstruct.Recipes.Annotated;

/// <summary>The referring families: each question or answer marks its objects as <c>&lt;st&gt;name&lt;ed&gt; [box]</c>.</summary>
internal static partial class QuestionFamilies
{
    public static List<QaItem> RefLocate(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (var item in scene.UniqueItems.Where(i => i.Area <= 0.6))
        {
            string be = Words.Be(item.Name);
            string q = rng.Pick([$"Locate the {item.Name}.", $"Where {be} the {item.Name}?",
                $"Can you point out the {item.Name} in the image?", $"Find the {item.Name} in the picture."]);
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
            result.Add(new QaItem(QaFamily.RefLocateAll, q,
                $"There are {English.Number(group.Count)} <st>{plural}<ed> {boxes} in the image."));
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
                string q = rng.Pick([$"How would you describe the {item.Mention}?",
                    $"What {(item.Plural ? "do" : "does")} the {item.Mention} look like?"]);
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
            result.Add(new QaItem(QaFamily.RefActivity, $"What {be} the {subject.Mention} {verb}?",
                $"The {subject.Mention} {be} {verb} {wrapped}."));
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
            // A phrase that opens with a digit ("3 green trees") cannot start a sentence.
            if (region.Tokens.Count < 2 || ambiguous.Contains(region.Box) || !char.IsAsciiLetter(region.Phrase[0]))
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

            string q = rng.Pick([$"What is happening in the region {region.Box}?", $"Describe the region {region.Box}.",
                $"What can you see in the area {region.Box}?"]);
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
}
