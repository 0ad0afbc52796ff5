using System.Globalization;
using System.Text.RegularExpressions;
using VisInstruct.Annotations;
using VisInstruct.Recipes.Annotated;

namespace VisInstruct.Tests.Recipes.Annotated;

/// <summary>
/// Checks procedural answers against the raw annotations, recomputed here from the <see cref="ImageAnnotations"/>
/// (not from the engine's own scene): counts, yes/no, attributes, positions, sizes, relations, purposes and every box
/// mention.
/// </summary>
internal static partial class AnswerChecker
{
    private sealed record Obj(string Name, string Key, double X1, double Y1, double X2, double Y2, string Box,
        IReadOnlyList<string> Attributes)
    {
        public string? Synset { get; init; }

        public double Cx => (X1 + X2) / 2;

        public double Cy => (Y1 + Y2) / 2;

        public double Area => (X2 - X1) * (Y2 - Y1);
    }

    /// <summary>
    /// The objects with a plain-word name and a non-empty box (the engine skips names like <c>"walk"</c>), the names of
    /// one synset made one (the synset's head word when one of them is it, else the most frequent), a box of the same
    /// key or synset as an earlier one with an IoU of 0.7 or more merged into it (one object boxed twice: the attributes
    /// of both boxes are the object's, of which the engine states a chosen few).
    /// </summary>
    private static List<Obj> Objects(ImageAnnotations image)
    {
        var raw = RawObjects(image);
        var names = new Dictionary<string, string>();
        foreach (var group in raw.Where(o => o.Synset is not null).GroupBy(o => o.Synset!))
        {
            string head = group.Key.Split('.')[0].Replace('_', ' ');
            var keys = group.Select(o => o.Key).ToList();
            names[group.Key] = keys.Contains(head) ? head : keys.GroupBy(k => k).OrderByDescending(g => g.Count()).First().Key;
        }

        var kept = new List<Obj>();
        foreach (var rawObject in raw)
        {
            var o = rawObject.Synset is { } synset && names[synset] != rawObject.Key
                ? rawObject with
                {
                    Key = names[synset], Name = Words.IsPlural(rawObject.Name) ? Words.Plural(names[synset]) : names[synset],
                }
                : rawObject;
            int at = kept.FindIndex(k => (k.Key == o.Key || (k.Synset is not null && k.Synset == o.Synset)) && IoU(k, o) >= 0.7);
            if (at < 0)
            {
                kept.Add(o);
            }
            else
            {
                kept[at] = kept[at] with { Attributes = kept[at].Attributes.Union(o.Attributes).ToList() };
            }
        }

        return kept;
    }

    private static double IoU(Obj a, Obj b)
    {
        double w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1);
        double h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        return w <= 0 || h <= 0 ? 0 : w * h / (a.Area + b.Area - (w * h));
    }

    private static List<Obj> RawObjects(ImageAnnotations image) => image.Objects
        .Where(o => o.Box.W > 0 && o.Box.H > 0 && PlainName().IsMatch(o.Name.Trim().ToLowerInvariant()))
        .Select(o =>
        {
            string name = o.Name.Trim().ToLowerInvariant();
            return new Obj(name, Words.Key(name), o.Box.X / image.Width, o.Box.Y / image.Height, o.Box.Right / image.Width,
                o.Box.Bottom / image.Height,
                o.Box.Normalize(image.Width, image.Height).ToString(),
                o.Attributes.Select(a => a.Trim().ToLowerInvariant()).Select(a => a == "gray" ? "grey" : a).ToList())
            {
                Synset = o.Synset,
            };
        })
        // Names that are not objects ("back", "shade") and body parts ("chin"), by name or synset, are no objects of the questions.
        .Where(o => !SceneCleaning.IsDropped(o.Key) && !SceneCleaning.IsDroppedSynset(o.Synset))
        .ToList();

    private static Obj Unique(List<Obj> objects, string name)
    {
        var matching = objects.Where(o => o.Key == Words.Key(name)).ToList();
        Assert.True(matching.Count == 1, $"'{name}' should name exactly one object, names {matching.Count}");
        Assert.Equal(name, matching[0].Name);
        return matching[0];
    }

    private static Obj ByMention(List<Obj> objects, string name, string box)
    {
        var found = objects.FirstOrDefault(o => o.Name == name && o.Box == box);
        Assert.True(found is not null, $"no object '{name}' with box {box}");
        return found;
    }

    private static int CountOf(List<Obj> objects, string name) => objects.Count(o => o.Key == Words.Key(name));

    private static void AttributesHold(Obj o, string list)
    {
        foreach (string piece in list.Split([", ", " and "], StringSplitOptions.None))
        {
            Assert.True(o.Attributes.Any(a => a == piece || a.Contains(piece, StringComparison.Ordinal)),
                $"'{piece}' is not an attribute of the {o.Name}: {string.Join("|", o.Attributes)}");
        }
    }

    private static void PlaceHolds(Obj o, string place)
    {
        if (place.Contains("left", StringComparison.Ordinal)) { Assert.True(o.Cx < 1.0 / 3, place); }
        if (place.Contains("right", StringComparison.Ordinal)) { Assert.True(o.Cx > 2.0 / 3, place); }
        if (place.Contains("top", StringComparison.Ordinal)) { Assert.True(o.Cy < 1.0 / 3, place); }
        if (place.Contains("bottom", StringComparison.Ordinal)) { Assert.True(o.Cy > 2.0 / 3, place); }
        if (place.Contains("centre", StringComparison.Ordinal))
        {
            Assert.InRange(o.Cx, 1.0 / 3, 2.0 / 3);
        }

        if (place == "in the centre of the image" || place.EndsWith("side of the image", StringComparison.Ordinal))
        {
            Assert.InRange(o.Cy, 1.0 / 3, 2.0 / 3);
        }
    }

    private static void Count(List<Obj> objects, string number, string name)
    {
        int n = Words.ParseNumber(number);
        Assert.True(n > 0, number);
        Assert.Equal(CountOf(objects, name), n);
        Assert.All(objects.Where(o => o.Key == Words.Key(name)), o => Assert.Equal(o.Key, o.Name));
    }

    /// <summary>Every mention's boxes are boxes of objects of that name (or its plural); returns how many mentions there are.</summary>
    public static int CheckMentions(ImageAnnotations image, string text)
    {
        var objects = Objects(image);
        int mentions = 0;
        foreach (Match m in Mention().Matches(text))
        {
            mentions++;
            string name = m.Groups[1].Value;
            foreach (Match box in BoxPattern().Matches(m.Groups[2].Value))
            {
                Assert.Contains(objects, o => o.Key == Words.Key(name) && o.Box == box.Value);
            }
        }

        Assert.DoesNotContain("<st>", Mention().Replace(text, ""), StringComparison.Ordinal);
        return mentions;
    }

    /// <summary>Every box in the text lies in [0, 1].</summary>
    public static void BoxesInUnitSquare(string text)
    {
        foreach (Match box in BoxPattern().Matches(text))
        {
            foreach (string v in box.Value.Trim('[', ']').Split(", "))
            {
                Assert.InRange(double.Parse(v, CultureInfo.InvariantCulture), 0.0, 1.0);
            }
        }
    }

    /// <summary>Checks one pair of any family against the annotations.</summary>
    public static void Check(ImageAnnotations image, QaItem qa)
    {
        var objects = Objects(image);
        string q = qa.Question;
        string a = qa.Answer;
        Match m;
        switch (qa.Family)
        {
            case QaFamily.Counting:
                m = Must(CountAnswer(), a);
                Count(objects, m.Groups[2].Value, m.Groups[3].Value);
                Assert.Equal(m.Groups[2].Value == "one" ? "is" : "are", m.Groups[1].Value);
                break;
            case QaFamily.Existence:
                m = Must(ExistenceAnswer(), a);
                Assert.Equal(m.Groups[1].Value == "Yes", CountOf(objects, m.Groups[2].Value) > 0);
                break;
            case QaFamily.Colour:
            case QaFamily.Describe:
                m = Must(IsAnswer(), a);
                AttributesHold(Unique(objects, m.Groups[1].Value), m.Groups[2].Value);
                break;
            case QaFamily.Location:
                m = Must(IsAnswer(), a);
                PlaceHolds(Unique(objects, m.Groups[1].Value), m.Groups[2].Value);
                break;
            case QaFamily.LeftRight:
            {
                m = Must(LeftRightAnswer(), a);
                var (x, y) = (Unique(objects, m.Groups[1].Value), Unique(objects, m.Groups[3].Value));
                Assert.True(m.Groups[2].Value == "left" ? x.Cx < y.Cx - 0.1 : x.Cx > y.Cx + 0.1, a);
                break;
            }

            case QaFamily.AboveBelow:
            {
                m = Must(AboveBelowAnswer(), a);
                var (x, y) = (Unique(objects, m.Groups[1].Value), Unique(objects, m.Groups[3].Value));
                Assert.True(m.Groups[2].Value == "above" ? x.Cy < y.Cy - 0.1 : x.Cy > y.Cy + 0.1, a);
                break;
            }

            case QaFamily.Larger:
            {
                m = Must(LargerAnswer(), a);
                Assert.True(Unique(objects, m.Groups[1].Value).Area >= 1.5 * Unique(objects, m.Groups[2].Value).Area, a);
                break;
            }

            case QaFamily.Activity:
            {
                m = Must(IsAnswer(), a);
                Unique(objects, m.Groups[1].Value);
                Assert.Contains(image.Regions, r =>
                    r.Phrase.Trim().ToLowerInvariant().TrimEnd('.').EndsWith(m.Groups[2].Value, StringComparison.Ordinal));
                break;
            }

            case QaFamily.Caption:
                Assert.Contains(image.Captions, c => Norm(c) == Norm(a));
                break;
            case QaFamily.MoreThan:
            {
                m = Must(MoreThanAnswer(), a);
                Count(objects, m.Groups[2].Value, m.Groups[3].Value);
                Count(objects, m.Groups[4].Value, m.Groups[5].Value);
                Assert.Equal(m.Groups[1].Value == "Yes", Words.ParseNumber(m.Groups[2].Value) > Words.ParseNumber(m.Groups[4].Value));
                break;
            }

            case QaFamily.Total:
            {
                m = Must(TotalAnswer(), a);
                Count(objects, m.Groups[1].Value, m.Groups[2].Value);
                Count(objects, m.Groups[3].Value, m.Groups[4].Value);
                Assert.Equal(Words.ParseNumber(m.Groups[1].Value) + Words.ParseNumber(m.Groups[3].Value),
                    Words.ParseNumber(m.Groups[5].Value));
                break;
            }

            case QaFamily.Spread:
            {
                m = Must(SpreadAnswer(), a);
                Count(objects, m.Groups[1].Value, m.Groups[2].Value);
                var group = objects.Where(o => o.Key == Words.Key(m.Groups[2].Value)).ToList();
                int first = m.Groups[4].Value == "left" ? group.Count(o => o.Cx < 0.5) : group.Count(o => o.Cy < 0.5);
                Assert.Equal(first, Words.ParseNumber(m.Groups[3].Value));
                Assert.Equal(group.Count - first, Words.ParseNumber(m.Groups[5].Value));
                break;
            }

            case QaFamily.RefLocate:
            {
                m = Must(RefIsAnswer(), a);
                PlaceHolds(ByMention(objects, m.Groups[1].Value, m.Groups[2].Value), m.Groups[3].Value);
                break;
            }

            case QaFamily.RefLocateAll:
            {
                m = Must(RefAllAnswer(), a);
                string name = m.Groups[2].Value;
                var boxes = BoxPattern().Matches(m.Groups[3].Value).Select(b => b.Value).ToList();
                Assert.Equal(Words.ParseNumber(m.Groups[1].Value), boxes.Count);
                Assert.Equal(objects.Where(o => o.Key == Words.Key(name)).Select(o => o.Box).Order(StringComparer.Ordinal),
                    boxes.Order(StringComparer.Ordinal));
                break;
            }

            case QaFamily.RefColour:
            case QaFamily.RefDescribe:
            {
                m = Must(RefIsAnswer(), a);
                // The same thing annotated twice with the same box: the attributes of either describe that box.
                var mentioned = ByMention(objects, m.Groups[1].Value, m.Groups[2].Value);
                var sameBox = objects.Where(o => o.Name == mentioned.Name && o.Box == mentioned.Box).ToList();
                AttributesHold(mentioned with {
                    Attributes = sameBox.SelectMany(o => o.Attributes).Distinct(StringComparer.Ordinal).ToList() }, m.Groups[3].Value);
                break;
            }

            case QaFamily.RefLeftRight:
            {
                m = Must(RefLeftRightAnswer(), a);
                var (x, y) =
                    (ByMention(objects, m.Groups[1].Value, m.Groups[2].Value), ByMention(objects, m.Groups[4].Value, m.Groups[5].Value));
                Assert.True(m.Groups[3].Value == "left" ? x.Cx < y.Cx - 0.1 : x.Cx > y.Cx + 0.1, a);
                break;
            }

            case QaFamily.RefAboveBelow:
            {
                m = Must(RefAboveBelowAnswer(), a);
                var (x, y) =
                    (ByMention(objects, m.Groups[1].Value, m.Groups[2].Value), ByMention(objects, m.Groups[4].Value, m.Groups[5].Value));
                Assert.True(m.Groups[3].Value == "above" ? x.Cy < y.Cy - 0.1 : x.Cy > y.Cy + 0.1, a);
                break;
            }

            case QaFamily.RefRegion:
            {
                string box = BoxPattern().Match(q).Value;
                var region = image.Regions.First(r => r.Box.Normalize(image.Width, image.Height).ToString() == box);
                string plain = BoxPattern().Replace(Mention().Replace(a, "$1"), "").Replace(" ,", ",", StringComparison.Ordinal);
                // Spaces and hyphens aside: the cleaning writes "tshirt" as "t-shirt".
                static string Bare(string text) =>
                    Norm(text).Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
                Assert.Contains(Bare(region.Phrase), Bare(plain), StringComparison.Ordinal);
                break;
            }

            case QaFamily.RefActivity:
                Assert.Matches(@"^What (is|are) the <st>", q);
                break;
            default:
                CheckCombined(image, objects, qa);
                break;
        }

        if (qa.Family.StartsWith("ref_", StringComparison.Ordinal))
        {
            Assert.True(CheckMentions(image, q) + CheckMentions(image, a) >= 1, "a referring pair without a mention: " + q + " / " + a);
        }
        else
        {
            Assert.DoesNotContain("<st>", q + a, StringComparison.Ordinal);
        }
    }

    private static string Norm(string text) =>
        string.Join(' ', text.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');

    private static Match Must(Regex regex, string text)
    {
        var m = regex.Match(text);
        Assert.True(m.Success, $"'{text}' does not match {regex}");
        return m;
    }

    [GeneratedRegex(@"<st>([^<]+)<ed> (\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\](?:, \[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\])*)")]
    private static partial Regex Mention();

    [GeneratedRegex(@"^[a-z' -]+$")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\]")]
    private static partial Regex BoxPattern();

    [GeneratedRegex(@"^There (is|are) (\S+) (.+) in the image\.$")]
    private static partial Regex CountAnswer();

    [GeneratedRegex(@"^(Yes|No), there (?:is|are) (?:an? |no )?(.+) in the image\.$")]
    private static partial Regex ExistenceAnswer();

    [GeneratedRegex(@"^The ([a-z' -]+?) (?:is|are) (.+)\.$")]
    private static partial Regex IsAnswer();

    [GeneratedRegex(@"^The ([a-z' -]+?) (?:is|are) to the (left|right) of the ([a-z' -]+)\.$")]
    private static partial Regex LeftRightAnswer();

    [GeneratedRegex(@"^The ([a-z' -]+?) (?:is|are) (above|below) the ([a-z' -]+)\.$")]
    private static partial Regex AboveBelowAnswer();

    [GeneratedRegex(@"^The ([a-z' -]+?) (?:is|are) larger than the ([a-z' -]+)\.$")]
    private static partial Regex LargerAnswer();

    [GeneratedRegex(@"^(Yes|No)\. I count (\S+) ([a-z' -]+?) and (\S+) ([a-z' -]+?), so ")]
    private static partial Regex MoreThanAnswer();

    [GeneratedRegex(@"^I count (\S+) ([a-z' -]+?) and (\S+) ([a-z' -]+?), which makes (\S+) in total\.$")]
    private static partial Regex TotalAnswer();

    [GeneratedRegex(@"^I count (\S+) ([a-z' -]+?): (\S+) in the (left|top) half of the image and (\S+) in the (?:right|bottom) half\.$")]
    private static partial Regex SpreadAnswer();

    [GeneratedRegex(@"^The <st>([^<]+)<ed> (\[[^\]]+\]) (?:is|are) (.+)\.$")]
    private static partial Regex RefIsAnswer();

    [GeneratedRegex(@"^There are (\S+) <st>([^<]+)<ed> ((?:\[[^\]]+\](?:, )?)+) in the image\.$")]
    private static partial Regex RefAllAnswer();

    [GeneratedRegex(@"^The <st>([^<]+)<ed> (\[[^\]]+\]) (?:is|are) to the (left|right) of the <st>([^<]+)<ed> (\[[^\]]+\])\.$")]
    private static partial Regex RefLeftRightAnswer();

    [GeneratedRegex(@"^The <st>([^<]+)<ed> (\[[^\]]+\]) (?:is|are) (above|below) the <st>([^<]+)<ed> (\[[^\]]+\])\.$")]
    private static partial Regex RefAboveBelowAnswer();
}
