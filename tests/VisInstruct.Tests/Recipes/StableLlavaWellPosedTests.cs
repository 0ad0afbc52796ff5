using System.Text.RegularExpressions;
using VisInstruct.Randomness;
using VisInstruct.Recipes.StableLlava;
using VisInstruct.Rendering;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// The offline template questions are well posed: every object they name with "the ... shape" is exactly one object of the
/// scene (checked against the scene itself, not the writer's words), relations are between two different objects, and the
/// right answer of "Which is larger" is not always the same option.
/// </summary>
public class StableLlavaWellPosedTests
{
    private const int Samples = 2000;

    private static readonly string[] SingleImage = ["abnormal", "art_style", "color", "counting", "position", "size"];

    private static readonly string[] Shapes = Enum.GetValues<ShapeKind>().Select(ShapeNames.Name).ToArray();

    private static readonly string[] Attributes =
        NamedColor.Palette.Select(c => c.Name).Concat(Enum.GetNames<SizeClass>().Select(s => s.ToLowerInvariant())).ToArray();

    private static readonly Regex Reference = new(
        $@"\bthe ((?:(?:{string.Join('|', Attributes)}) )*)({string.Join('|', Shapes)})(?![a-z])", RegexOptions.CultureInvariant);

    private static IEnumerable<(string Kind, SceneSpec Scene, QaPair Turn)> Questions(string abilityName, string? onlyKind = null)
    {
        var catalog = AbilityCatalog.BuiltIn();
        var ability = catalog.Abilities[abilityName];
        var composer = new SceneComposer(SceneComposer.DefaultSize, SceneComposer.DefaultSize);
        foreach (string kind in ability.Kinds.Where(k => onlyKind is null || k == onlyKind))
        {
            for (int i = 0; i < Samples; i++)
            {
                var rng = new DeterministicRandom((ulong)(i * 7919 + 13));
                var scenario = ProceduralScenarios.Build(ability, kind, i, rng, composer, catalog.CaptionInstructions);
                var scene = scenario.Images[0].Scene!;
                foreach (var turn in scenario.TemplateTurns)
                {
                    yield return (kind, scene, turn);
                }
            }
        }
    }

    /// <summary>The objects of the scene a reference ("the red ring", "the large star") fits.</summary>
    private static List<int> Matches(Match reference, SceneSpec scene)
    {
        string shape = reference.Groups[2].Value;
        var words = reference.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Enumerable.Range(0, scene.Objects.Count).Where(i =>
        {
            var o = scene.Objects[i];
            return ShapeNames.Name(o.Shape) == shape
                && words.All(w => w == o.Color.Name || string.Equals(w, o.Size.ToString(), StringComparison.OrdinalIgnoreCase));
        }).ToList();
    }

    [Fact]
    public void EveryObjectAQuestionNames_IsExactlyOneObjectOfTheScene()
    {
        int references = 0;
        var bad = new List<string>();
        foreach (string ability in SingleImage)
        {
            foreach (var (kind, scene, turn) in Questions(ability))
            {
                foreach (Match reference in Reference.Matches(turn.Question))
                {
                    references++;
                    int n = Matches(reference, scene).Count;
                    if (n != 1)
                    {
                        bad.Add($"{ability}/{kind}: \"{turn.Question}\" names {n} objects");
                    }
                }
            }
        }

        Assert.True(references > 5000, $"only {references} references");
        Assert.True(bad.Count == 0, $"{bad.Count} of {references} references are not one object, e.g. "
            + string.Join("; ", bad.Distinct().Take(5)));
    }

    [Fact]
    public void RelationQuestions_AreBetweenTwoDifferentObjects()
    {
        int relations = 0;
        var bad = new List<string>();
        foreach (var (_, scene, turn) in Questions("position", "position"))
        {
            if (!turn.Question.Contains(" relative to ", StringComparison.Ordinal))
            {
                continue;
            }

            relations++;
            var named = Reference.Matches(turn.Question).Select(m => Matches(m, scene)).ToList();
            if (named.Count != 2 || named.Any(m => m.Count != 1) || named[0][0] == named[1][0])
            {
                bad.Add(turn.Question);
            }
        }

        Assert.True(relations > Samples / 2, $"only {relations} relation questions");
        Assert.True(bad.Count == 0, $"{bad.Count} of {relations} relations are not two objects, e.g. "
            + string.Join("; ", bad.Distinct().Take(5)));
    }

    [Fact]
    public void WhichIsLarger_TheRightAnswerIsTheFirstOptionAboutHalfTheTime()
    {
        int asked = 0;
        int first = 0;
        foreach (var (_, scene, turn) in Questions("size", "size"))
        {
            if (!turn.Question.StartsWith("Which is larger, ", StringComparison.Ordinal))
            {
                continue;
            }

            var named = Reference.Matches(turn.Question).Select(m => Matches(m, scene)).ToList();
            Assert.Equal(2, named.Count);
            Assert.All(named, m => Assert.Single(m));
            asked++;
            if (scene.Objects[named[0][0]].Box.Area > scene.Objects[named[1][0]].Box.Area)
            {
                first++;
            }
        }

        Assert.Equal(Samples, asked);
        double share = (double)first / asked;
        Assert.InRange(share, 0.4, 0.6);
    }
}
