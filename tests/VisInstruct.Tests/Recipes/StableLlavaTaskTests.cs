using VisInstruct.Recipes.StableLlava;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// The StableLLaVA LLM tasks: each schema, derived from the answer type and narrowed, says exactly what the hand-built
/// schemas said before (the same text, so cached answers stay valid); problems and turns as the stages use them.
/// </summary>
public class StableLlavaTaskTests
{
    private static AbilitySpec Ability(string? attribute) => new()
    {
        Name = "test",
        Description = "Testing.",
        Subjects = [attribute is null ? new() { ["name"] = "kite" } : new() { ["name"] = "kite", [attribute] = "red" }],
    };

    private static Scenario Scenario(string kind, Dictionary<string, string>? slots = null, string? fixedQuestion = null) => new()
    {
        Kind = kind,
        Images = [new ImagePlan("test/0.jpg", "a kite", null, null)],
        Facts = "a kite",
        Slots = slots ?? [],
        TemplateTurns = [],
        FixedQuestion = fixedQuestion,
    };

    private static PromptBatch Batch(string? attribute) => new(Ability(attribute), [], [], 1);

    private static DialogueInput Dialogue(Scenario scenario) => new(Ability(null), scenario, null, 1);

    [Theory]
    [InlineData("color", 2, """{"type":"object","properties":{"prompts":{"type":"array","items":{"type":"object","properties":{"subjec"""
        + """t":{"type":"string","minLength":1,"maxLength":80},"attribute":{"type":"string","enum":["red","green"]}"""
        + ""","context":{"type":"string","minLength":0,"maxLength":120}"""
        + ""","modifiers":{"type":"array","items":{"type":"string","minLength":1,"maxLength":40},"maxItems":5}}"""
        + ""","required":["subject","attribute","context","modifiers"],"additionalProperties":false},"minItems":1,"maxItems":2}}"""
        + ""","required":["prompts"],"additionalProperties":false}""")]
    [InlineData("action", 8, """{"type":"object","properties":{"prompts":{"type":"array","items":{"type":"object","properties":{"subje"""
        + """ct":{"type":"string","minLength":1,"maxLength":80},"attribute":{"type":"string","minLength":1,"maxLength":60}"""
        + ""","context":{"type":"string","minLength":0,"maxLength":120}"""
        + ""","modifiers":{"type":"array","items":{"type":"string","minLength":1,"maxLength":40},"maxItems":5}}"""
        + ""","required":["subject","attribute","context","modifiers"],"additionalProperties":false},"minItems":1,"maxItems":8}}"""
        + ""","required":["prompts"],"additionalProperties":false}""")]
    [InlineData(null, 0, """{"type":"object","properties":{"prompts":{"type":"array","items":{"type":"object","properties":{"subject":"""
        + """{"type":"string","minLength":1,"maxLength":80},"context":{"type":"string","minLength":0,"maxLength":120}"""
        + ""","modifiers":{"type":"array","items":{"type":"string","minLength":1,"maxLength":40},"maxItems":5}}"""
        + ""","required":["subject","context","modifiers"],"additionalProperties":false},"minItems":1,"maxItems":1}}"""
        + ""","required":["prompts"],"additionalProperties":false}""")]
    public void ThePromptSchema_IsTheHandBuiltOne(string? attribute, int batchSize, string expected)
    {
        var catalog = new AbilityCatalog { Colors = ["red", "green"] };
        var schema = new PromptWriter(catalog, batchSize).Schema(Batch(attribute));
        Assert.Equal("prompts", schema.Name);
        Assert.Equal(expected, schema.Schema.GetRawText());
    }

    [Fact]
    public void TheDialogueSchema_IsTheHandBuiltOne_WithTheVerdictOnlyForYesNoSamples()
    {
        var writer = new DialogueWriter(new AbilityCatalog());
        Assert.Equal(
            """{"type":"object","properties":{"turns":{"type":"array","items":{"type":"object","properties":{"question":{"type":"strin"""
                + """g","minLength":1},"answer":{"type":"string","minLength":1},"verdict":{"type":"string","enum":["Yes"]}}"""
                + ""","required":["question","answer","verdict"],"additionalProperties":false},"minItems":1,"maxItems":1}}"""
                + ""","required":["turns"],"additionalProperties":false}""",
            writer.Schema(Dialogue(Scenario("color_yes_no", new() { ["yes_no"] = "Yes" }))).Schema.GetRawText());
        Assert.Equal(
            """{"type":"object","properties":{"turns":{"type":"array","items":{"type":"object","properties":{"question":{"type":"strin"""
                + """g","minLength":1},"answer":{"type":"string","minLength":1}},"required":["question","answer"]"""
                + ""","additionalProperties":false},"minItems":2,"maxItems":4}},"required":["turns"],"additionalProperties":false}""",
            writer.Schema(Dialogue(Scenario("qa"))).Schema.GetRawText());
    }

    [Fact]
    public void APromptAnswer_WithoutPrompts_HasAProblem_AndAnUnusablePrompt_IsNoSpec()
    {
        var writer = new PromptWriter(new AbilityCatalog { Colors = ["red"] }, 2);
        Assert.Equal(["no prompts in the answer"], writer.Problems(new WrittenPrompts([]), Batch("color")));
        Assert.Empty(writer.Problems(new WrittenPrompts([new WrittenPrompt("kite", "red", "beach", [])]), Batch("color")));

        var ability = Ability("color");
        Assert.Null(writer.Spec(ability, new WrittenPrompt("kite", "purple", "beach", [])));
        Assert.Null(writer.Spec(ability, new WrittenPrompt(new string('k', 81), "red", "beach", [])));
        var spec = writer.Spec(ability, new WrittenPrompt("(Kite)", "Red", "beach.", ["  oil   painting ", ""]));
        Assert.NotNull(spec);
        Assert.Equal("kite", spec.Subject);
        Assert.Equal("red", spec.Attributes["color"]);
        Assert.Equal("beach", spec.Context);
        Assert.Equal(["oil painting"], spec.Modifiers);
    }

    [Fact]
    public void ADialogueAnswer_IsCheckedForTurnsAndVerdict_ThenTrimmedAndCleaned()
    {
        var qa = Dialogue(Scenario("qa"));
        Assert.Equal(["expected 2 to 4 turns, got 1"],
            new DialogueWriter(new AbilityCatalog()).Problems(new WrittenDialogue([new("q?", "a.")]), qa));

        var yesNo = Dialogue(Scenario("color_yes_no", new() { ["yes_no"] = "No", ["subject"] = "kite", ["color"] = "blue" },
            fixedQuestion: "Is it red?"));
        var writer = new DialogueWriter(new AbilityCatalog());
        Assert.Equal(["the answer must start with \"No\" (the kite is blue)"],
            writer.Problems(new WrittenDialogue([new("q?", "Yes, it is.")]), yesNo));
        var answer = new WrittenDialogue([new("<image>\nIs the kite red?", "It is blue.", "No"), new("extra?", "extra.")]);
        Assert.Empty(writer.Problems(answer, yesNo));

        var (turns, trimmed) = DialogueWriter.Turns(answer, yesNo);
        Assert.Equal(1, trimmed);
        Assert.Equal([new QaPair("Is it red?", "No, it is blue.")], turns);
    }
}
