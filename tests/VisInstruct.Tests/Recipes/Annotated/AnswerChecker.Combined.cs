using System.Text.RegularExpressions;
using VisInstruct.Annotations;
using VisInstruct.Recipes.Annotated;

namespace VisInstruct.Tests.Recipes.Annotated;

/// <summary>
/// The checks of the complex-reasoning families that combine facts: counts per half recounted from the boxes, every
/// relation an answer states found in a region phrase of the two objects, colours among the object's attributes, the
/// caption a purpose answer quotes among the image's captions.
/// </summary>
internal static partial class AnswerChecker
{
    private static void CheckCombined(ImageAnnotations image, List<Obj> objects, QaItem qa)
    {
        string a = qa.Answer;
        Match m;
        switch (qa.Family)
        {
            case QaFamily.HalfMore:
            {
                m = Must(HalfMoreAnswer(), a);
                Count(objects, m.Groups[1].Value, m.Groups[2].Value);
                var group = objects.Where(o => o.Key == Words.Key(m.Groups[2].Value)).ToList();
                string side = m.Groups[4].Value;
                int first = side == "left" ? group.Count(o => o.Cx < 0.5) : group.Count(o => o.Cy < 0.5);
                Assert.Equal(first, HalfNumber(m.Groups[3].Value));
                Assert.Equal(group.Count - first, HalfNumber(m.Groups[5].Value));
                string expected = first == group.Count - first ? "both halves have the same number"
                    : $"the {(first > group.Count - first ? side : Opposite(side))} half has more";
                Assert.EndsWith(expected + ".", a, StringComparison.Ordinal);
                break;
            }

            case QaFamily.HalfTotal:
            {
                m = Must(HalfTotalAnswer(), a);
                string side = m.Groups[1].Value;
                Func<Obj, bool> inSide = side switch
                {
                    "left" => o => o.Cx < 0.5,
                    "right" => o => o.Cx >= 0.5,
                    "top" => o => o.Cy < 0.5,
                    _ => o => o.Cy >= 0.5,
                };
                int nx = HalfNumber(m.Groups[2].Value);
                int ny = HalfNumber(m.Groups[4].Value);
                Assert.Equal(objects.Count(o => o.Key == Words.Key(m.Groups[3].Value) && inSide(o)), nx);
                Assert.Equal(objects.Count(o => o.Key == Words.Key(m.Groups[5].Value) && inSide(o)), ny);
                Assert.Equal(nx + ny, HalfNumber(m.Groups[6].Value));
                break;
            }

            case QaFamily.NearChain:
            case QaFamily.LinkChain:
            case QaFamily.NearOthers:
            {
                // The reasons, before the conclusion ("so the clock is near the bench"), are relations the regions state.
                int so = a.IndexOf(", so ", StringComparison.Ordinal);
                so = so >= 0 ? so : a.IndexOf(". So ", StringComparison.Ordinal);
                var pairs = StatedRelations(image, objects, so < 0 ? a : a[..(so + 1)]);
                Assert.True(pairs.Count >= 2, "a chain of fewer than two relations: " + a);
                if (qa.Family == QaFamily.NearChain)
                {
                    m = Must(NearQuestion(), qa.Question);
                    string x = m.Groups[1].Value;
                    string z = m.Groups[2].Value;
                    Assert.StartsWith("Yes. ", a, StringComparison.Ordinal);
                    Assert.Contains(pairs, p => pairs.Any(q => Links(p, x, q, z)));
                }

                break;
            }

            case QaFamily.RelationColour:
            {
                m = Must(RelationColourAnswer(), a);
                Assert.Single(StatedRelations(image, objects, a));
                Assert.Equal(m.Groups[2].Value, m.Groups[3].Value);
                AttributesHold(Unique(objects, m.Groups[3].Value), m.Groups[4].Value);
                break;
            }

            case QaFamily.Purpose:
            {
                m = Must(PurposeAnswer(), a);
                Assert.Contains(image.Captions, c => Norm(c) == Norm(m.Groups[1].Value));
                string name = m.Groups[2].Value;
                Assert.True(CountOf(objects, name) > 0, $"no {name} in the image");
                if (!Words.IsPlural(name))
                {
                    Unique(objects, name);
                }

                break;
            }

            default:
                throw new InvalidOperationException("no check for family " + qa.Family);
        }
    }

    private static bool Links((string A, string B) p, string x, (string A, string B) q, string z)
    {
        string? shared = p.A == x ? p.B : p.B == x ? p.A : null;
        return shared is not null && ((q.A == shared && q.B == z) || (q.B == shared && q.A == z));
    }

    private static string Opposite(string side) => side switch { "left" => "right", "right" => "left", "top" => "bottom", _ => "top" };

    private static int HalfNumber(string word) => word is "none" or "no" ? 0 : Words.ParseNumber(word);

    /// <summary>
    /// The relations "the A is on the B" an answer states, each checked: A and B name one object each, and a region
    /// phrase of the image says it ("a parking meter is on the sidewalk", "parking meter on sidewalk").
    /// </summary>
    private static List<(string A, string B)> StatedRelations(ImageAnnotations image, List<Obj> objects, string answer)
    {
        var result = new List<(string, string)>();
        foreach (Match m in RelationStatement().Matches(answer))
        {
            string x = m.Groups[1].Value;
            string p = m.Groups[2].Value;
            string y = m.Groups[3].Value;
            Unique(objects, x);
            Unique(objects, y);
            var phrase = new Regex($@"^(?:a |an |the )?{Regex.Escape(x)} (?:is |are )?(?:[a-z]+ )?{Regex.Escape(p)} (?:a |an |the )?"
                + $"{Regex.Escape(y)}$");
            Assert.True(image.Regions.Any(r => phrase.IsMatch(Norm(r.Phrase))), $"no region says \"{m.Value}\"");
            result.Add((x, y));
        }

        return result;
    }

    [GeneratedRegex(@"^Of the (\S+) ([a-z' -]+?), (\S+) (?:is|are) in the (left|top) half and (\S+) in the (?:right|bottom) half, so ")]
    private static partial Regex HalfMoreAnswer();

    [GeneratedRegex(
        @"^In the (left|right|top|bottom) half there (?:is|are) (no|\S+) ([a-z' -]+?) and (no|\S+) ([a-z' -]+?), "
        + @"which makes (\S+) in total\.$")]
    private static partial Regex HalfTotalAnswer();

    [GeneratedRegex(@"\b[Tt]he ([a-z' -]+?) (?:is|are) (on top of|on|next to|near|beside|by|against) the ([a-z' -]+?)(?=[,;.]| and )")]
    private static partial Regex RelationStatement();

    [GeneratedRegex(@"^(?:Is the|Would you say the) ([a-z' -]+?) (?:is |are )?(?:near|close to) the ([a-z' -]+)\?$")]
    private static partial Regex NearQuestion();

    [GeneratedRegex(@"^The ([a-z' -]+?) (?:is|are) (?:on top of|on|next to|near|beside|by|behind|in front of|under|against) the "
        + @"([a-z' -]+?), and the ([a-z' -]+?) (?:is|are) ([a-z]+)\.$")]
    private static partial Regex RelationColourAnswer();

    [GeneratedRegex(@"^A caption of the image says ""(.+)"", which points to .+; so the ([a-z' -]+?) (?:is|are) most likely there .+\.$")]
    private static partial Regex PurposeAnswer();
}
