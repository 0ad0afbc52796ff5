using System.Globalization;
using System.Text;
using VisInstruct.Json;
using VisInstruct.Randomness;
using VisInstruct.Recipes.StableLlava;
using VisInstruct.Rendering;
using VisInstruct.Text;

namespace VisInstruct.Evaluation.Abilities;

/// <summary>How a benchmark question is answered: yes or no, a number, or an option letter.</summary>
public enum AnswerKind
{
    YesNo,
    Number,
    Choice,
}

/// <summary>One closed-form question of the per-ability benchmark and its one correct answer.</summary>
public sealed record AbilityQuestion(string Id, string Ability, string Image, string Text, AnswerKind Kind, string Answer,
    string Template, IReadOnlyList<string> Options)
{
    /// <summary>The scene prompts of the question's image(s), as a training run's provenance records prompts.</summary>
    public IReadOnlyList<string> Prompts { get; init; } = [];
}

/// <summary>What <see cref="AbilityBenchmark.Make"/> wrote and left out.</summary>
public sealed record AbilityBenchmarkReport(IReadOnlyList<AbilityQuestion> Questions, int Excluded, IReadOnlyList<string> Short);

/// <summary>
/// StableLLaVA's per-ability test set, offline: per procedural ability, questions with one correct answer (yes/no, a
/// count, or a multiple choice of colours or shapes), drawn from the procedural world in a seed space of their own
/// (so no scene is a training sample's), rendered exactly, multi-image samples drawn as one composite image with the
/// places named. With a training dataset to exclude, no question's scene prompt is an exact or near duplicate of a
/// training prompt. Written in LLaVA's eval layout (<c>questions.jsonl</c>, images) with the answers in
/// <c>answers_gt.jsonl</c>, for <c>eval answer</c> and <c>eval score ability</c>.
/// </summary>
public static class AbilityBenchmark
{
    public const string QuestionsFile = "questions.jsonl";
    public const string TruthFile = "answers_gt.jsonl";

    private const string ShortInstruction = "Answer the question using a single word or phrase.";
    private const string ChoiceInstruction = "Answer with the option's letter from the given choices directly.";
    private static readonly string[] OptionLetters = ["A", "B", "C", "D", "E", "F", "G"];
    private static readonly List<string> Shapes = [.. Enum.GetValues<ShapeKind>().Select(ShapeNames.Name)];

    public static AbilityBenchmarkReport Make(string output, int perAbility, ulong seed, string? excludeDataset = null,
        IReadOnlyList<string>? abilities = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var catalog = AbilityCatalog.BuiltIn();
        var chosen = catalog.All.Where(a => a.Procedural is not null && (abilities is null || abilities.Contains(a.Name))).ToList();
        var exclude = excludeDataset is null ? null : TrainingPrompts(excludeDataset);
        var composer = new SceneComposer(SceneComposer.DefaultSize, SceneComposer.DefaultSize);
        var questions = new List<AbilityQuestion>();
        var shortAbilities = new List<string>();
        int excluded = 0;
        Directory.CreateDirectory(Path.Combine(output, "images"));
        foreach (var ability in chosen)
        {
            int made = 0;
            for (long index = 0; made < perAbility && index < perAbility * 40L; index++)
            {
                // A seed space of its own: "benchmark/..." is never a training key's derivation.
                var rng = new DeterministicRandom(DeterministicRandom.DeriveSeed(seed, $"benchmark/{ability.Name}/{index}"));
                string kind = rng.Pick(ability.Kinds.Where(k => k != "caption").DefaultIfEmpty(ability.Kinds[0]).ToList());
                var scenario = ProceduralScenarios.Build(ability, kind, index, rng, composer, catalog.CaptionInstructions);
                if (Closed(scenario, rng) is not { } closed)
                {
                    continue;
                }

                if (exclude is not null && scenario.Images.Any(i => exclude.Check(i.Prompt) is not null))
                {
                    excluded++;
                    continue;
                }

                string id = string.Create(CultureInfo.InvariantCulture, $"{ability.Name}/{made:D4}");
                string image = string.Create(CultureInfo.InvariantCulture, $"{ability.Name}/{made:D4}.jpg");
                WriteImage(Path.Combine(output, "images", image), scenario);
                questions.Add(closed with
                {
                    Id = id, Ability = ability.Name, Image = image, Prompts = [.. scenario.Images.Select(i => i.Prompt)],
                });
                made++;
            }

            if (made < perAbility)
            {
                shortAbilities.Add(string.Create(CultureInfo.InvariantCulture, $"{ability.Name} ({made} of {perAbility})"));
            }
        }

        Write(Path.Combine(output, QuestionsFile), questions, static (w, q) =>
        {
            w.WriteString("question_id", q.Id);
            w.WriteString("image", q.Image);
            w.WriteString("text", q.Text);
            w.WriteString("category", q.Ability);
        });
        Write(Path.Combine(output, TruthFile), questions, static (w, q) =>
        {
            w.WriteString("question_id", q.Id);
            w.WriteString("ability", q.Ability);
            w.WriteString("kind", q.Kind switch { AnswerKind.YesNo => "yes_no", AnswerKind.Number => "number", _ => "choice" });
            w.WriteString("answer", q.Answer);
            w.WriteString("template", q.Template);
            w.WritePropertyName("options");
            w.WriteStartArray();
            foreach (string option in q.Options)
            {
                w.WriteStringValue(option);
            }

            w.WriteEndArray();
            w.WritePropertyName("prompts");
            w.WriteStartArray();
            foreach (string prompt in q.Prompts)
            {
                w.WriteStringValue(prompt);
            }

            w.WriteEndArray();
        });
        return new AbilityBenchmarkReport(questions, excluded, shortAbilities);
    }

    /// <summary>
    /// The scenario's first turn as a closed-form question, when its canonical answer is one: yes/no, a count, or a
    /// colour or shape (asked as a choice of four). Later turns lean on earlier ones ("and this one?"), so only the first.
    /// </summary>
    private static AbilityQuestion? Closed(Scenario scenario, DeterministicRandom rng)
    {
        if (scenario.TemplateTurns is not [var turn, ..] || turn.Template is null || turn.Value is not { } value)
        {
            return null;
        }

        string question = scenario.Images.Count > 1 ? CompositeWording.Rewrite(turn.Question, scenario.Images.Count, null) : turn.Question;
        if (value is "yes" or "no")
        {
            return Question(question + "\n" + ShortInstruction, AnswerKind.YesNo, value, turn.Template, []);
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return Question(question + "\n" + ShortInstruction, AnswerKind.Number, value, turn.Template, []);
        }

        if (turn.Template == "reasoning.more" && value is "first" or "second" or "neither")
        {
            // Which image has more: the composite's two places, or neither, in a fixed order (the outcomes are drawn evenly).
            return Choice(question, ["the left image", "the right image", "neither"],
                value switch { "first" => 0, "second" => 1, _ => 2 }, turn.Template);
        }

        if (turn.Template == "difference.change" && Changes.TryGetValue(value, out int change))
        {
            // The kind of change, asked as such (the writer's question asks for the difference in words).
            return Choice("What kind of difference is there between the left and right images?", [.. Changes.Keys.Select(Describe)],
                change, turn.Template);
        }

        var pool = NamedColor.Palette.Any(c => c.Name == value) ? NamedColor.Palette.Select(c => c.Name).ToList()
            : Shapes.Contains(value) ? [.. Shapes] : null;
        if (pool is null)
        {
            return null;
        }

        var options = pool.Where(p => p != value).ToList();
        rng.Shuffle(options);
        options = [.. options.Take(3)];
        int at = rng.NextInt(4);
        options.Insert(at, value);
        return Choice(question, options, at, turn.Template);
    }

    /// <summary>The kinds of change of the difference ability, in the order the options list them.</summary>
    private static readonly Dictionary<string, int> Changes = new(StringComparer.Ordinal)
    {
        ["colour"] = 0, ["shape"] = 1, ["removed"] = 2, ["added"] = 3, ["size"] = 4, ["texture"] = 5, ["material"] = 6,
    };

    private static string Describe(string change) => change switch
    {
        "colour" => "an object changes colour",
        "shape" => "an object changes shape",
        "removed" => "an object is missing from the right image",
        "added" => "the right image has an extra object",
        "size" => "an object changes size",
        "texture" => "an object changes pattern",
        _ => "an object changes finish (matte, glossy, metallic or glass)",
    };

    private static AbilityQuestion Choice(string question, List<string> options, int at, string template)
    {
        var text = new StringBuilder(question);
        for (int i = 0; i < options.Count; i++)
        {
            text.Append('\n').Append(OptionLetters[i]).Append(". ").Append(options[i]);
        }

        text.Append('\n').Append(ChoiceInstruction);
        return Question(text.ToString(), AnswerKind.Choice, OptionLetters[at], template, options);
    }

    private static AbilityQuestion Question(string text, AnswerKind kind, string answer, string template, IReadOnlyList<string> options) =>
        new("", "", "", text, kind, answer, template, options);

    private static void WriteImage(string path, Scenario scenario)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var scenes = scenario.Images.Select(i => i.Scene ?? throw new InvalidOperationException("a procedural scenario without a scene"))
            .ToList();
        byte[] jpeg;
        if (scenes.Count == 1)
        {
            jpeg = ProceduralRenderer.Render(scenes[0]);
        }
        else
        {
            // The parts as files first (the composite reads them), then one image.
            var parts = scenes.Select((s, i) => path + string.Create(CultureInfo.InvariantCulture, $".part{i}.jpg")).ToList();
            for (int i = 0; i < parts.Count; i++)
            {
                File.WriteAllBytes(parts[i], ProceduralRenderer.Render(scenes[i]));
            }

            jpeg = ImageComposite.Compose(parts);
            parts.ForEach(File.Delete);
        }

        string temp = path + ".tmp";
        File.WriteAllBytes(temp, jpeg);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The prompts of a training run's images (its <c>images/provenance.jsonl</c>).</summary>
    private static NearDuplicates TrainingPrompts(string dataset)
    {
        string provenance = Path.Combine(dataset, "images", "provenance.jsonl");
        if (!File.Exists(provenance))
        {
            throw new InputFormatException(provenance,
                "no such file: --exclude-dataset names a StableLLaVA run folder (images/provenance.jsonl)");
        }

        var prompts = new NearDuplicates();
        foreach (var (record, context) in JsonInput.Records(provenance))
        {
            if (record.TryGetProperty("image", out var image) && image.TryGetProperty("prompt", out var prompt)
                && prompt.GetString() is { } text)
            {
                prompts.TryAdd(text);
            }
        }

        return prompts;
    }

    private static void Write(string path, List<AbilityQuestion> questions, Action<PythonJsonWriter, AbilityQuestion> fields)
    {
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new PythonJsonWriter(stream, JsonStyle.Compact))
        {
            foreach (var question in questions)
            {
                writer.WriteStartObject();
                fields(writer, question);
                writer.WriteEndObject();
                writer.WriteNewLine();
            }
        }

        File.Move(temp, path, overwrite: true);
    }
}
