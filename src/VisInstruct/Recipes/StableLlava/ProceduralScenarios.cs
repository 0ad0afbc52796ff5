using System.Globalization;
using VisInstruct.Randomness;
using VisInstruct.Rendering;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The abilities the procedural renderer can express, each as a generator of scenes and of the facts about them.
/// Every answer is computed from the scene itself, so the dialogues are exact; outcomes that could lean one way (yes or
/// no, the first or second option, more or fewer) are drawn first and the scene or question is made to give them.
/// The questions are written by <see cref="AttributeQuestions"/>, <see cref="CountQuestions"/>,
/// <see cref="PlaceQuestions"/> and <see cref="SceneQuestions"/>; the multi-image abilities by <see cref="MultiImageScenarios"/>.
/// </summary>
public static class ProceduralScenarios
{
    public static readonly IReadOnlySet<string> Generators = new HashSet<string>(StringComparer.Ordinal)
    {
        "color", "style", "odd_one_out", "counting", "position", "size", "difference", "similarity", "reasoning", "multi_turn",
    };

    /// <summary>The scenario of one sample: its scene(s), facts, exact template dialogue.</summary>
    public static Scenario Build(AbilitySpec ability, string kind, long index, DeterministicRandom rng, SceneComposer composer,
        IReadOnlyList<string> captions)
    {
        ArgumentNullException.ThrowIfNull(ability);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(composer);
        string generator = ability.Procedural ?? throw new InvalidOperationException($"{ability.Name} has no procedural generator");
        return generator switch
        {
            "difference" => MultiImageScenarios.Difference(ability, index, rng, composer),
            "similarity" => MultiImageScenarios.Similarity(ability, index, rng, composer),
            "reasoning" => MultiImageScenarios.Reasoning(ability, index, rng, composer),
            "multi_turn" => MultiImageScenarios.MultiTurn(ability, index, rng, composer),
            _ => Single(ability, generator, kind, index, rng, composer, captions),
        };
    }

    /// <summary>The plan of image <paramref name="image"/> of <paramref name="images"/> of a sample.</summary>
    internal static ImagePlan Plan(AbilitySpec ability, long index, int image, int images, SceneSpec scene)
    {
        string file = images == 1 ? string.Create(CultureInfo.InvariantCulture, $"{ability.Name}/{index}.jpg")
            : string.Create(CultureInfo.InvariantCulture, $"{ability.Name}/{index}_{image + 1}.jpg");
        return new(file, SceneWords.Prompt(scene), scene, null);
    }

    private static Scenario Single(AbilitySpec ability, string generator, string kind, long index, DeterministicRandom rng,
        SceneComposer composer, IReadOnlyList<string> captions)
    {
        // The outcomes first, before any scene is drawn.
        bool yesFirst = rng.NextBool();
        string relation = rng.Pick(PlaceQuestions.Relations);
        int choice = rng.NextInt(1000);
        int counted = rng.NextInt(0, 7);
        var scene = generator switch
        {
            "odd_one_out" => ProceduralScenes.OddOneOut(composer, rng).Scene,
            "counting" => ProceduralScenes.Counting(composer, rng, rng.Pick(ProceduralScenes.Shapes), counted,
                counted == 0 ? rng.NextInt(1, 4) : rng.NextInt(0, 4), rng.NextInt(3) == 0 ? rng.Pick(NamedColor.Palette) : null),
            "size" => ProceduralScenes.Sized(composer, rng, rng.NextInt(2, 5)),
            "position" => ProceduralScenes.Varied(composer, rng, rng.NextInt(2, 6)),
            // Half of these scenes let objects overlap, so that occlusion is seen and asked about.
            _ => ProceduralScenes.Varied(composer, rng, rng.NextInt(1, 6), overlap: rng.NextBool()),
        };

        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        var turns = new List<QaPair>();
        string? fixedQuestion = null;
        bool after = false;
        var writer = new SingleWriter(scene, rng, yesFirst, relation);
        switch (kind)
        {
            case "caption":
                fixedQuestion = rng.Pick(captions);
                after = rng.NextBool();
                slots["question"] = fixedQuestion;
                turns.Add(SceneQuestions.Caption(fixedQuestion, scene, rng));
                break;
            case "color_name":
                turns.AddRange(writer.ColourName(slots));
                turns.AddRange(writer.Attribute(choice));

                break;
            case "color_check":
                turns.AddRange(writer.ColourChecks(slots));
                break;
            case "style":
                slots["style"] = SceneWords.StyleName(scene.Style);
                turns.Add(SceneQuestions.Style(scene, rng));
                if (choice % 2 == 0)
                {
                    turns.Add(SceneQuestions.Background(scene, rng));
                }

                break;
            case "unusual":
                turns.AddRange(writer.Unusual(slots));
                break;
            case "count":
                turns.AddRange(writer.Count(slots, choice, generator == "counting"));
                break;
            case "position":
                turns.AddRange(writer.Position(slots, choice));
                break;
            case "size":
                turns.AddRange(writer.Size(slots, choice));
                break;
            default:
                slots["turns"] = "three";
                turns.AddRange(writer.Mixed(choice));
                break;
        }

        return new Scenario
        {
            Kind = kind,
            Images = [Plan(ability, index, 0, 1, scene)],
            Facts = SceneWords.Describe(scene),
            Slots = slots,
            TemplateTurns = turns,
            FixedQuestion = fixedQuestion,
            ImageTokenAfter = after,
        };
    }
}
