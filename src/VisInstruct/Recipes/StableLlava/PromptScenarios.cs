using System.Globalization;
using VisInstruct.Randomness;
using VisInstruct.Text;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// Scenarios for images a text-to-image backend renders from prompts. The facts are the prompt's (as in the original
/// recipe, dialogues follow the prompt; the check stage verifies the image). Image sets differ in exactly one fact:
/// for "difference" the colour the question asks about, for "similarity" everything but the subject, for "reasoning"
/// the number of subjects, for "multi_turn" the setting.
/// </summary>
public static class PromptScenarios
{
    /// <summary>A prompt spec from the ability's lists (the template writer's prompt, used when there is no LLM).</summary>
    public static PromptSpec TemplatePrompt(AbilitySpec ability, AbilityCatalog catalog, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(ability);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(rng);
        var subjects = ability.Subjects.Count > 0 ? ability.Subjects : catalog.ComparisonSubjects;
        var subject = rng.Pick(subjects);
        var attributes =
            subject.Where(p => p.Key is not ("name" or "context")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        string context = subject.TryGetValue("context", out var own) ? own : ability.Contexts.Count > 0 ? rng.Pick(ability.Contexts)
            : rng.Pick(AllContexts(catalog));
        var modifiers = catalog.Modifiers.ToList();
        rng.Shuffle(modifiers);
        return new PromptSpec { Subject = subject["name"], Attributes = attributes, Context = context,
            Modifiers = modifiers.Take(rng.NextInt(2, 4)).ToList() };
    }

    private static List<string> AllContexts(AbilityCatalog catalog) =>
        catalog.All.SelectMany(a => a.Contexts).Distinct(StringComparer.Ordinal).ToList();

    public static Scenario Build(AbilitySpec ability, AbilityCatalog catalog, string kind, long index, PromptSpec spec,
        DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(ability);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(rng);
        return kind switch
        {
            "difference" => Difference(ability, catalog, index, spec, rng),
            "similarity" => Similarity(ability, catalog, index, spec, rng),
            "reasoning" => Reasoning(ability, index, spec, rng),
            "multi_turn" => MultiTurn(ability, catalog, index, spec, rng),
            _ => Single(ability, catalog, kind, index, spec, rng),
        };
    }

    private static string File(AbilitySpec ability, long index, int image, int images) =>
        images == 1 ? string.Create(CultureInfo.InvariantCulture, $"{ability.Name}/{index}.jpg")
            : string.Create(CultureInfo.InvariantCulture, $"{ability.Name}/{index}_{image + 1}.jpg");

    private static ImagePlan Plan(AbilitySpec ability, long index, int image, int images, PromptSpec spec) =>
        new(File(ability, index, image, images), spec.Text, null, spec);

    private static CheckQuestion Shows(int image, PromptSpec spec) =>
        new(image, $"Does this image show {PromptSpec.Article(spec.Subject)}? Answer yes or no.", "yes");

    private static Scenario Single(AbilitySpec ability, AbilityCatalog catalog, string kind, long index, PromptSpec spec,
        DeterministicRandom rng)
    {
        string subject = spec.Subject;
        string description = spec.Description;
        var slots = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["subject"] = subject,
            ["category"] = ability.Category,
        };
        foreach (var (name, value) in spec.Attributes)
        {
            slots[name] = value;
        }

        var checks = new List<CheckQuestion> { Shows(0, spec) };
        var turns = new List<QaPair>();
        string? fixedQuestion = null;
        bool after = false;
        switch (kind)
        {
            case "caption":
                fixedQuestion = rng.Pick(catalog.CaptionInstructions);
                after = rng.NextBool();
                slots["question"] = fixedQuestion;
                turns.Add(new QaPair(fixedQuestion,
                    rng.Pick(["{0}.", "The image shows {1}.", "A picture of {1}."])
                    .Replace("{0}", PromptSpec.Capitalize(description), StringComparison.Ordinal)
                    .Replace("{1}", description, StringComparison.Ordinal)));
                break;
            case "color_name" when spec.Attribute("color") is { } color:
                turns.Add(new QaPair($"What colour is the {subject}?", $"The {subject} is {color}."));
                checks.Add(new CheckQuestion(0, $"What colour is the {subject} in this image? Answer with one word.", color));
                break;
            case "color_check" when spec.Attribute("color") is { } color:
            {
                bool yes = rng.NextBool();
                string asked = yes ? color : rng.Pick(catalog.Colors.Where(c => c != color).ToList());
                slots["asked_color"] = asked;
                slots["yes_no"] = yes ? "Yes" : "No";
                turns.Add(new QaPair($"Is the {subject} {asked}?",
                    yes ? $"Yes, the {subject} is {color}." : $"No, the {subject} is {color}, not {asked}."));
                checks.Add(new CheckQuestion(0, $"What colour is the {subject} in this image? Answer with one word.", color));
                break;
            }

            case "identify":
                turns.Add(new QaPair(rng.Pick([$"What {ability.Category} is shown in the image?",
                    $"Which {ability.Category} can you see here?", $"Name the {ability.Category} in this picture."]),
                    PromptSpec.Capitalize($"It is {PromptSpec.Article(subject)}{(spec.Context.Length > 0 ? ", " + spec.Context : "")}.")));
                break;
            case "action" when spec.Attribute("action") is { } action:
                turns.Add(new QaPair($"What is the {subject} doing?", $"The {subject} is {action}."));
                checks.Add(new CheckQuestion(0, $"Is the {subject} in this image {action}? Answer yes or no.", "yes"));
                break;
            case "profession":
                turns.Add(new QaPair(rng.Pick(["What profession does the person in the image have?",
                    "What does this person do for a living?"]),
                    PromptSpec.Capitalize($"The person is {PromptSpec.Article(subject)}"
                        + $"{(spec.Context.Length > 0 ? ", as the " + spec.Context + " suggests" : "")}.")));
                break;
            case "scene":
                turns.Add(new QaPair(rng.Pick(["Where was this picture taken?", "What place is shown here?"]),
                    PromptSpec.Capitalize($"It shows {PromptSpec.Article(subject)}.")));
                break;
            case "style" when spec.Attribute("style") is { } style:
                turns.Add(new QaPair(rng.Pick(["In what style is this image made?", "What artistic style is this?"]),
                    PromptSpec.Capitalize($"It is {PromptSpec.Article(style)} of {PromptSpec.Article(subject)}.")));
                break;
            case "unusual" when spec.Attribute("unusual") is { } unusual:
                turns.Add(new QaPair(rng.Pick(["What is unusual in this image?", "What is strange about this picture?"]),
                    PromptSpec.Capitalize($"It is unusual to see {PromptSpec.Article(subject)} {unusual}.")));
                break;
            default:
                slots["turns"] = "three";
                turns.Add(new QaPair("What is the main subject of the image?",
                    PromptSpec.Capitalize($"The main subject is {PromptSpec.Article(subject)}.")));
                if (spec.Context.Length > 0)
                {
                    turns.Add(new QaPair("What is around it, or where is it?", PromptSpec.Capitalize($"It is {spec.Context}.")));
                }

                if (spec.Attribute("color") is { } c)
                {
                    turns.Add(new QaPair($"What colour is the {subject}?", $"It is {c}."));
                }
                else if (spec.Attribute("action") is { } a)
                {
                    turns.Add(new QaPair($"What is the {subject} doing?", PromptSpec.Capitalize($"It is {a}.")));
                }
                else if (spec.Modifiers.Count > 0)
                {
                    turns.Add(new QaPair("How would you describe the look of the picture?",
                        PromptSpec.Capitalize($"It looks {SceneWords.List(spec.Modifiers.Take(2).ToList())}.")));
                }

                break;
        }

        if (turns.Count == 0)
        {
            // The kind needs an attribute this prompt lacks: fall back to a caption of the prompt.
            return Single(ability, catalog, "caption", index, spec, rng);
        }

        return new Scenario
        {
            Kind = kind,
            Images = [Plan(ability, index, 0, 1, spec)],
            Facts = description,
            Slots = slots,
            TemplateTurns = turns,
            Checks = checks,
            FixedQuestion = fixedQuestion,
            ImageTokenAfter = after,
        };
    }

    private static Scenario Difference(AbilitySpec ability, AbilityCatalog catalog, long index, PromptSpec spec, DeterministicRandom rng)
    {
        string first = spec.Attribute("color") ?? rng.Pick(catalog.Colors);
        string second = rng.Pick(catalog.Colors.Where(c => c != first).ToList());
        var a = spec.With("color", first);
        var b = spec.With("color", second);
        string difference = $"the {spec.Subject} is {first} in the first image and {second} in the second";
        return new Scenario
        {
            Kind = "difference",
            Images = [Plan(ability, index, 0, 2, a), Plan(ability, index, 1, 2, b)],
            Facts = $"first image: {a.Description}. Second image: {b.Description}",
            Slots = new Dictionary<string, string> { ["difference"] = difference },
            TemplateTurns = [
                new QaPair(rng.Pick(["What is different between these two images?", "How does the second image differ from the first?"]),
                PromptSpec.Capitalize(difference) + ".")],
            Checks =
            [
                new CheckQuestion(0, $"What colour is the {spec.Subject} in this image? Answer with one word.", first),
                new CheckQuestion(1, $"What colour is the {spec.Subject} in this image? Answer with one word.", second),
            ],
        };
    }

    private static Scenario Similarity(AbilitySpec ability, AbilityCatalog catalog, long index, PromptSpec spec, DeterministicRandom rng)
    {
        var contexts = AllContexts(catalog);
        rng.Shuffle(contexts);
        var a = spec with { Context = contexts[0] };
        var b = spec with { Context = contexts[1] };
        string common = spec.Attribute("color") is { } color ? $"{color} {spec.Subject}" : spec.Subject;
        return new Scenario
        {
            Kind = "similarity",
            Images = [Plan(ability, index, 0, 2, a), Plan(ability, index, 1, 2, b)],
            Facts = $"first image: {a.Description}. Second image: {b.Description}",
            Slots = new Dictionary<string, string> { ["similarity"] = $"both show {PromptSpec.Article(common)}" },
            TemplateTurns = [new QaPair(rng.Pick(["What do these two images have in common?", "What is shared by both pictures?"]),
                $"Both show {PromptSpec.Article(common)}: in the first {contexts[0]}, in the second {contexts[1]}.")],
            Checks = [Shows(0, a), Shows(1, b)],
        };
    }

    private static Scenario Reasoning(AbilitySpec ability, long index, PromptSpec spec, DeterministicRandom rng)
    {
        int x = rng.NextInt(1, 5);
        int y = rng.NextInt(1, 5);
        while (y == x)
        {
            y = rng.NextInt(1, 5);
        }

        var a = spec.With("count", English.Number(x));
        var b = spec.With("count", English.Number(y));
        string plural = PromptSpec.Plural(spec.Subject);
        return new Scenario
        {
            Kind = "reasoning",
            Images = [Plan(ability, index, 0, 2, a), Plan(ability, index, 1, 2, b)],
            Facts = $"first image: {a.Description}. Second image: {b.Description}",
            Slots = new Dictionary<string, string> { ["comparison"] = $"which image has more {plural} ({x} against {y})" },
            TemplateTurns = [new QaPair($"Which of the two images has more {plural}?",
                $"The {(x > y ? "first" : "second")} image: it shows {English.Number(Math.Max(x, y))}, the other "
                    + $"{English.Number(Math.Min(x, y))}.")],
            Checks =
            [
                new CheckQuestion(0, $"How many {plural} are in this image? Answer with a number.",
                    x.ToString(CultureInfo.InvariantCulture)),
                new CheckQuestion(1, $"How many {plural} are in this image? Answer with a number.",
                    y.ToString(CultureInfo.InvariantCulture)),
            ],
        };
    }

    private static Scenario MultiTurn(AbilitySpec ability, AbilityCatalog catalog, long index, PromptSpec spec, DeterministicRandom rng)
    {
        var contexts = AllContexts(catalog);
        rng.Shuffle(contexts);
        var specs = Enumerable.Range(0, 3).Select(i => spec with { Context = contexts[i] }).ToList();
        return new Scenario
        {
            Kind = "multi_turn",
            Images = specs.Select((s, i) => Plan(ability, index, i, 3, s)).ToList(),
            Facts = string.Join(". ", specs.Select((s, i) => $"image {i + 1}: {s.Description}")),
            Slots = new Dictionary<string, string> { ["turns"] = "three" },
            TemplateTurns =
            [
                new QaPair("What is in this picture?", PromptSpec.Capitalize($"{specs[0].Description}.")),
                new QaPair("And where is it now?", PromptSpec.Capitalize($"Now it is {contexts[1]}.")),
                new QaPair("Which of the three settings is this last one?",
                    PromptSpec.Capitalize($"The last one is {contexts[2]}, after {contexts[0]} and {contexts[1]}.")),
            ],
            Checks = specs.Select((s, i) => Shows(i, s)).ToList(),
        };
    }
}
