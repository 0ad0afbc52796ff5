using VisInstruct.Randomness;

namespace VisInstruct.Recipes.Annotated;

/// <summary>The conversation families: counts, existence, colours, descriptions, places, relations, activities, captions.</summary>
internal static partial class QuestionFamilies
{
    public static List<QaItem> Counting(Scene scene, DeterministicRandom rng)
    {
        var result = new List<QaItem>();
        foreach (string key in scene.CountableKeys)
        {
            int n = scene.CountOf(key)!.Value;
            string plural = Words.Plural(key);
            string q = rng.Pick(["How many {0} are there?", "How many {0} are there in the image?", "How many {0} can you see?",
                "Can you count the {0} in the picture?", "What is the number of {0} in the image?"]).Replace("{0}", plural,
                    StringComparison.Ordinal);
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
            .Where(words => !words.SelectMany(Words.Tokens).Any(w => scene.Vocabulary.Contains(w)
                || scene.Vocabulary.Contains(Words.Key(w))))
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
            ? rng.Pick(["Are there {0} in the image?", "Can you see any {0} in the picture?", "Does the image contain {0}?",
                "Are any {0} visible in this photo?"])
            : rng.Pick(["Is there {0} in the image?", "Can you see {0} in the picture?", "Does the image contain {0}?",
                "Is {0} visible in this photo?"]);
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
            string q = rng.Pick([$"What colour {be} the {item.Name}?", $"What is the colour of the {item.Name}?",
                $"Which colour {be} the {item.Name}?"]);
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
            string q = rng.Pick([$"How would you describe the {item.Name}?",
                $"What {(item.Plural ? "do" : "does")} the {item.Name} look like?", $"Can you describe the {item.Name}?"]);
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
            string q = rng.Pick([$"Where {be} the {item.Name} in the image?", $"In which part of the image {be} the {item.Name}?",
                $"Where can the {item.Name} be found in the picture?"]);
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
                string q = rng.Pick([$"Is the {a.Name} to the left or to the right of the {b.Name}?",
                    $"Is the {a.Name} on the left or on the right of the {b.Name}?",
                    $"Where {Words.Be(a.Name)} the {a.Name} relative to the {b.Name}, left or right?"]);
                leftRight.Add(new QaItem(QaFamily.LeftRight, q,
                    $"The {a.Name} {Words.Be(a.Name)} to the {(a.CentreX < b.CentreX ? "left" : "right")} of the {b.Name}."));
            }

            if (Math.Abs(a.CentreY - b.CentreY) > Margin + Tolerance)
            {
                string q = rng.Pick([$"Is the {a.Name} above or below the {b.Name}?",
                    $"Is the {a.Name} higher or lower than the {b.Name} in the image?"]);
                aboveBelow.Add(new QaItem(QaFamily.AboveBelow, q,
                    $"The {a.Name} {Words.Be(a.Name)} {(a.CentreY < b.CentreY ? "above" : "below")} the {b.Name}."));
            }

            double ratio = a.Area / b.Area;
            if (ratio >= LargerRatio + Tolerance || ratio <= 1 / (LargerRatio + Tolerance))
            {
                var (big, small) = ratio > 1 ? (a, b) : (b, a);
                string q = rng.Pick([$"Which is larger in the image, the {a.Name} or the {b.Name}?",
                    $"Which looks bigger, the {a.Name} or the {b.Name}?"]);
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
}
