using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using VisInstruct.Randomness;
using VisInstruct.Recipes.StableLlava;
using VisInstruct.Rendering;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// The offline template questions are well posed: every singular reference ("the large striped red circle", "the glossy
/// shape", "the star in the top left", "the second circle from the left") is exactly one object of the scene (parsed
/// here from the words of the dialogue language and checked against the scene itself, not the writer's words),
/// relations are between two different objects whose centres are clearly apart, and the options of "which is larger"
/// are balanced and answered as the boxes say.
/// </summary>
public class StableLlavaWellPosedTests
{
    private const int Samples = 1500;

    private static readonly string[] SingleImage = ["abnormal", "art_style", "color", "counting", "position", "size"];

    private static readonly Dictionary<string, Func<SceneObject, bool>> Adjectives = BuildAdjectives();

    private static readonly string[] Ordinals = ["first", "second", "third", "fourth", "fifth", "sixth"];

    private static readonly Regex Reference = BuildReference();

    private static Dictionary<string, Func<SceneObject, bool>> BuildAdjectives()
    {
        var words = new Dictionary<string, Func<SceneObject, bool>>(StringComparer.Ordinal);
        foreach (var colour in NamedColor.Palette)
        {
            words[colour.Name] = o => o.Color == colour;
        }

        void Add(IEnumerable<string> names, Func<SceneObject, bool> fits)
        {
            foreach (string name in names)
            {
                words[name] = fits;
            }
        }

        Add(["small", "little", "tiny"], o => o.Size == SizeClass.Small);
        Add(["medium", "medium-sized"], o => o.Size == SizeClass.Medium);
        Add(["large", "big", "huge"], o => o.Size == SizeClass.Large);
        Add(["plain", "solid"], o => o.Texture == Texture.Plain);
        Add(["striped"], o => o.Texture == Texture.Striped);
        Add(["dotted", "spotted", "polka-dot"], o => o.Texture == Texture.Dotted);
        Add(["checked", "checkered"], o => o.Texture == Texture.Checked);
        Add(["matte"], o => o.Material == Material.Matte);
        Add(["glossy", "shiny"], o => o.Material == Material.Glossy);
        Add(["metallic", "metal"], o => o.Material == Material.Metallic);
        Add(["glass"], o => o.Material == Material.Glass);
        return words;
    }

    private static Regex BuildReference()
    {
        string adjective = string.Join('|', Adjectives.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape));
        string noun = string.Join('|', Enum.GetValues<ShapeKind>().Select(ShapeNames.Name).Append("shape").Append("object")
            .Append("figure"));
        string place = @"in the (?:top|bottom) (?:left|right)|on the (?:left|right)|at the (?:top|bottom)|in the centre";
        return new Regex($@"\bthe (?:(?<ord>{string.Join('|', Ordinals)}|leftmost|rightmost) )?(?<adj>(?:(?:{adjective}) )*)"
            + $@"(?<noun>{noun})(?![a-z-])(?: (?<place>{place}|from the left))?", RegexOptions.CultureInvariant);
    }

    /// <summary>The questions of an ability's scenarios, built once for all the tests (composing the scenes is the slow part).</summary>
    private static readonly ConcurrentDictionary<string, Lazy<List<(string Ability, string Kind, SceneSpec Scene, QaPair Turn)>>> Built =
        new(StringComparer.Ordinal);

    private static IEnumerable<(string Ability, string Kind, SceneSpec Scene, QaPair Turn)> Questions(string abilityName,
        string? onlyKind = null) =>
        Built.GetOrAdd(abilityName, name => new(() => Build(name))).Value.Where(q => onlyKind is null || q.Kind == onlyKind);

    private static List<(string Ability, string Kind, SceneSpec Scene, QaPair Turn)> Build(string abilityName)
    {
        var catalog = AbilityCatalog.BuiltIn();
        var ability = catalog.Abilities[abilityName];
        var composer = new SceneComposer(SceneComposer.DefaultSize, SceneComposer.DefaultSize);
        var questions = new List<(string, string, SceneSpec, QaPair)>();
        foreach (string kind in ability.Kinds)
        {
            // Each scenario has its own seed, so building them in parallel gives the same ones, kept in index order.
            var scenarios = new Scenario[Samples];
            Parallel.For(0, Samples, i => scenarios[i] = ProceduralScenarios.Build(ability, kind, i,
                new DeterministicRandom((ulong)(i * 7919 + 13)), composer, catalog.CaptionInstructions));
            foreach (var scenario in scenarios)
            {
                var scene = scenario.Images[0].Scene!;
                questions.AddRange(scenario.TemplateTurns.Select(turn => (abilityName, kind, scene, turn)));
            }
        }

        return questions;
    }

    private static string Region(SceneObject o, SceneSpec scene)
    {
        int column = o.Box.CenterX < scene.Width / 3.0 ? 0 : o.Box.CenterX < scene.Width * 2 / 3.0 ? 1 : 2;
        int row = o.Box.CenterY < scene.Height / 3.0 ? 0 : o.Box.CenterY < scene.Height * 2 / 3.0 ? 1 : 2;
        return (row, column) switch
        {
            (1, 1) => "in the centre",
            (1, 0) => "on the left",
            (1, 2) => "on the right",
            (0, 1) => "at the top",
            (2, 1) => "at the bottom",
            _ => $"in the {(row == 0 ? "top" : "bottom")} {(column == 0 ? "left" : "right")}",
        };
    }

    /// <summary>The objects of the scene a reference fits.</summary>
    private static List<SceneObject> Matches(Match reference, SceneSpec scene)
    {
        string noun = reference.Groups["noun"].Value;
        var adjectives = reference.Groups["adj"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fits = scene.Objects.Where(o => (noun is "shape" or "object" or "figure" || o.ShapeName == noun)
            && adjectives.All(a => Adjectives[a](o))).ToList();
        string place = reference.Groups["place"].Value;
        if (place.Length > 0 && place != "from the left")
        {
            fits = fits.Where(o => Region(o, scene) == place).ToList();
        }

        string ordinal = reference.Groups["ord"].Value;
        if (ordinal.Length > 0)
        {
            var ordered = fits.OrderBy(o => o.Box.CenterX).ToList();
            int rank = ordinal switch { "leftmost" => 0, "rightmost" => ordered.Count - 1, _ => Array.IndexOf(Ordinals, ordinal) };
            fits = rank >= 0 && rank < ordered.Count ? [ordered[rank]] : [];
        }

        return fits;
    }

    [Fact]
    public void EverySingularReference_IsExactlyOneObjectOfTheScene()
    {
        int references = 0;
        var bad = new List<string>();
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (string ability in SingleImage)
        {
            foreach (var (_, kind, scene, turn) in Questions(ability))
            {
                foreach (Match reference in Reference.Matches(turn.Question))
                {
                    references++;
                    kinds.Add(reference.Groups["adj"].Value.Length > 0 ? "adjective" : "bare");
                    if (reference.Groups["place"].Success || reference.Groups["ord"].Success)
                    {
                        kinds.Add("place");
                    }

                    int n = Matches(reference, scene).Count;
                    if (n != 1)
                    {
                        bad.Add($"{ability}/{kind}: \"{turn.Question}\" ({reference.Value}) names {n} objects");
                    }
                }
            }
        }

        Assert.True(references > 5000, $"only {references} references");
        Assert.Equal(["adjective", "bare", "place"], kinds.Order(StringComparer.Ordinal));
        Assert.True(bad.Count == 0, $"{bad.Count} of {references} references are not one object, e.g. "
            + string.Join("; ", bad.Distinct().Take(5)));
    }

    [Fact]
    public void RelationQuestions_AreBetweenTwoDifferentObjects_ClearlyApart_AndAnsweredAsTheBoxesSay()
    {
        int relations = 0;
        var bad = new List<string>();
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, _, scene, turn) in Questions("position"))
        {
            if (turn.Template != "relation.name")
            {
                continue;
            }

            relations++;
            var named = Reference.Matches(turn.Question).Select(m => Matches(m, scene)).ToList();
            if (named.Count != 2 || named.Any(m => m.Count != 1) || ReferenceEquals(named[0][0], named[1][0]))
            {
                bad.Add(turn.Question);
                continue;
            }

            var (a, b) = (named[0][0], named[1][0]);
            double dx = a.Box.CenterX - b.Box.CenterX, dy = a.Box.CenterY - b.Box.CenterY;
            string truth = Math.Abs(dx) >= Math.Abs(dy) ? (dx < 0 ? "left" : "right") : (dy < 0 ? "above" : "below");
            string phrase = truth switch { "left" => "to the left of", "right" => "to the right of", _ => truth };
            bool clear = Math.Abs(Math.Abs(dx) - Math.Abs(dy)) >= scene.Width * 0.05
                && Math.Max(Math.Abs(dx), Math.Abs(dy)) >= scene.Width * 0.1;
            if (turn.Value != truth || !turn.Answer.Contains(phrase, StringComparison.Ordinal) || !clear)
            {
                bad.Add($"{turn.Question} -> {turn.Answer} (true: {truth})");
            }

            values[truth] = values.GetValueOrDefault(truth) + 1;
        }

        Assert.True(relations > 100, $"only {relations} relation questions");
        Assert.True(bad.Count == 0, $"{bad.Count} of {relations} relations are wrong, e.g. " + string.Join("; ", bad.Distinct().Take(5)));
        Assert.Equal(4, values.Count);
        Assert.All(values.Values, v => Assert.InRange((double)v / relations, 0.15, 0.35));
    }

    [Fact]
    public void WhichIsLargerOrSmaller_IsAnsweredAsTheBoxesSay_AndTheFirstOptionIsRightHalfTheTime()
    {
        int asked = 0;
        int first = 0;
        foreach (var (_, _, scene, turn) in Questions("size", "size"))
        {
            if (turn.Template != "size.compare")
            {
                continue;
            }

            var named = Reference.Matches(turn.Question).Select(m => Matches(m, scene)).ToList();
            Assert.Equal(2, named.Count);
            Assert.All(named, m => Assert.Single(m));
            asked++;
            bool smaller = turn.Question.Contains("smaller", StringComparison.Ordinal);
            bool firstIsLarger = named[0][0].Box.Area > named[1][0].Box.Area;
            string expected = firstIsLarger != smaller ? "first" : "second";
            Assert.True(turn.Value == expected, $"{turn.Question} -> {turn.Value}, the boxes say {expected}");
            first += expected == "first" ? 1 : 0;
        }

        Assert.True(asked > Samples / 2, $"only {asked} comparisons");
        Assert.Equal(0.5, (double)first / asked, 2);
    }

    [Fact]
    public void YesNoQuestions_AreAskedInPairs_OneYesOneNo_AndTheAnswersBeginWithIt()
    {
        int pairs = 0;
        foreach (string ability in SingleImage)
        {
            foreach (var group in Questions(ability).Where(q => q.Turn.Value is "yes" or "no").GroupBy(q => q.Turn.Template))
            {
                var list = group.ToList();
                pairs += list.Count;
                Assert.Equal(list.Count(q => q.Turn.Value == "yes"), list.Count(q => q.Turn.Value == "no"));
                Assert.All(list, q => Assert.StartsWith(q.Turn.Value == "yes" ? "Yes" : "No", q.Turn.Answer, StringComparison.Ordinal));
            }
        }

        Assert.True(pairs > 1000, $"only {pairs} yes/no turns");
    }
}
