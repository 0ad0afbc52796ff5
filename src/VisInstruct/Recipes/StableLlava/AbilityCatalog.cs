using System.Text.RegularExpressions;
using VisInstruct.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace VisInstruct.Recipes.StableLlava;

/// <summary>
/// The StableLLaVA abilities as data: the built-in catalog (<c>abilities.yaml</c>, VisInstruct's own wording) or a
/// user's file that changes or adds abilities. Also holds the LLM instructions and the caption questions.
/// </summary>
public sealed partial class AbilityCatalog
{
    public Dictionary<string, List<string>> Groups { get; set; } = [];

    public List<string> Modifiers { get; set; } = [];

    public Dictionary<string, AbilitySpec> Abilities { get; set; } = [];

    public List<Dictionary<string, string>> ComparisonSubjects { get; set; } = [];

    public List<string> Colors { get; set; } = [];

    public List<string> CaptionInstructions { get; set; } = [];

    public Instructions PromptWriter { get; set; } = new();

    public Instructions DialogueWriter { get; set; } = new();

    /// <summary>Per dialogue kind, what the dialogue writer is asked to write.</summary>
    public Dictionary<string, string> Kinds { get; set; } = [];

    /// <summary>The abilities in catalog order, with their names.</summary>
    public IEnumerable<AbilitySpec> All => Abilities.Select(p => p.Value);

    /// <summary>The built-in catalog.</summary>
    public static AbilityCatalog BuiltIn()
    {
        using var stream = typeof(AbilityCatalog).Assembly.GetManifestResourceStream("VisInstruct.abilities.yaml")
            ?? throw new InvalidOperationException("the built-in abilities file is missing from the assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "abilities.yaml (built in)");
    }

    /// <summary>The built-in catalog with a user's file laid over it (abilities and keys it names replace the built-in ones).</summary>
    public static AbilityCatalog Load(string? userFile)
    {
        var catalog = BuiltIn();
        if (userFile is null)
        {
            return catalog;
        }

        if (Directory.Exists(userFile))
        {
            throw new InputFormatException(userFile, "this is a folder; stablellava.abilities_file takes a YAML file");
        }

        string text;
        try
        {
            text = VisInstruct.Config.YamlGuard.DecodeUtf8(File.ReadAllBytes(userFile), userFile);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(userFile, "abilities file not found", innerException: ex);
        }

        var user = Parse(text, userFile, validate: false);
        foreach (var (name, ability) in user.Abilities)
        {
            catalog.Abilities[name] = ability;
            ability.Name = name;
        }

        foreach (var (group, members) in user.Groups)
        {
            catalog.Groups[group] = members;
        }

        foreach (var (kind, instruction) in user.Kinds)
        {
            catalog.Kinds[kind] = instruction;
        }

        if (user.CaptionInstructions.Count > 0)
        {
            catalog.CaptionInstructions = user.CaptionInstructions;
        }

        if (user.Modifiers.Count > 0)
        {
            catalog.Modifiers = user.Modifiers;
        }

        if (user.PromptWriter.User is not null)
        {
            catalog.PromptWriter = user.PromptWriter;
        }

        if (user.DialogueWriter.User is not null)
        {
            catalog.DialogueWriter = user.DialogueWriter;
        }

        catalog.Validate(userFile);
        return catalog;
    }

    /// <summary>Caption questions read from a file, one per line (to use the original LLaVA list, say).</summary>
    public void LoadCaptionInstructions(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InputFormatException(path,
                "this is a folder; stablellava.caption_instructions_file takes a text file, one question per line");
        }

        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0)
        {
            throw new InputFormatException(path, "the caption instructions file has no instructions");
        }

        CaptionInstructions = lines;
    }

    public static AbilityCatalog Parse(string yaml, string file, bool validate = true)
    {
        VisInstruct.Config.YamlGuard.Check(yaml, file);
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        AbilityCatalog catalog;
        try
        {
            catalog = deserializer.Deserialize<AbilityCatalog?>(yaml) ?? new AbilityCatalog();
        }
        catch (YamlException ex)
        {
            throw new InputFormatException(file, ex.InnerException?.Message ?? ex.Message,
                new SourcePosition(ex.Start.Line, ex.Start.Column, ex.Start.Index));
        }

        foreach (var (name, ability) in catalog.Abilities)
        {
            ability.Name = name;
        }

        if (validate)
        {
            catalog.Validate(file);
        }

        return catalog;
    }

    private void Validate(string file)
    {
        foreach (var ability in All)
        {
            string where = $"abilities.{ability.Name}";
            if (!NamePattern().IsMatch(ability.Name))
            {
                throw new InputFormatException(file,
                    $"ability names are lower-case words joined by _ (they become folder and file names), not \"{ability.Name}\"",
                    field: where);
            }

            if (ability.Images is < 1 or > 4)
            {
                throw new InputFormatException(file, "images must be 1 to 4", field: where + ".images");
            }

            if (ability.Kinds.Count == 0)
            {
                throw new InputFormatException(file, "an ability needs at least one dialogue kind", field: where + ".kinds");
            }

            foreach (string kind in ability.Kinds)
            {
                if (!Kinds.ContainsKey(kind))
                {
                    throw new InputFormatException(file, $"unknown dialogue kind \"{kind}\"; the kinds are {string.Join(", ", Kinds.Keys)}",
                        field: where + ".kinds");
                }
            }

            if (ability.Procedural is { } generator && !ProceduralScenarios.Generators.Contains(generator))
            {
                throw new InputFormatException(file,
                    $"unknown procedural generator \"{generator}\"; they are {string.Join(", ", ProceduralScenarios.Generators)}",
                    field: where + ".procedural");
            }

            if (ability.Procedural is null && ability.Subjects.Count == 0 && ability.Images == 1)
            {
                throw new InputFormatException(file, "an open-world ability needs subjects", field: where + ".subjects");
            }

            if (ability.Subjects.Any(s => !s.ContainsKey("name")))
            {
                throw new InputFormatException(file, "every subject needs a name", field: where + ".subjects");
            }
        }

        if (CaptionInstructions.Count == 0)
        {
            throw new InputFormatException(file, "caption_instructions must not be empty", field: "caption_instructions");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex NamePattern();
}

/// <summary>One ability: what it teaches, what prompts are about, which dialogues it makes, how it is drawn offline.</summary>
public sealed class AbilitySpec
{
    [YamlIgnore]
    public string Name { get; set; } = "";

    public string Group { get; set; } = "";

    /// <summary>What the subjects are, for questions (<c>animal</c>, <c>piece of furniture</c>).</summary>
    public string Category { get; set; } = "object";

    public string Description { get; set; } = "";

    public int Images { get; set; } = 1;

    public List<Dictionary<string, string>> Subjects { get; set; } = [];

    public List<string> Contexts { get; set; } = [];

    public List<Dictionary<string, object>> Examples { get; set; } = [];

    public List<string> Kinds { get; set; } = [];

    /// <summary>The procedural generator that draws it offline; null for open-world abilities.</summary>
    public string? Procedural { get; set; }

    /// <summary>The attribute the ability is about (<c>color</c>, <c>action</c>, <c>style</c>, <c>unusual</c>), if its subjects carry
    /// one.</summary>
    [YamlIgnore]
    public string? KeyAttribute => Subjects.SelectMany(s => s.Keys).FirstOrDefault(k => k != "name" && k != "context");

    public bool IsOpenWorld => Procedural is null;
}

/// <summary>A system and a user message template for an LLM stage.</summary>
public sealed class Instructions
{
    public string? System { get; set; }

    public string? User { get; set; }
}
