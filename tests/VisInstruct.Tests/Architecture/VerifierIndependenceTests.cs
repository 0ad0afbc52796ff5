namespace VisInstruct.Tests.Architecture;

/// <summary>
/// The verifier shares no code with the template writer: no file of <c>Recipes/StableLlava/Verification/</c> names
/// the writer's types (its words and geometry are its own), so a writer bug cannot pass by being checked against itself.
/// </summary>
public class VerifierIndependenceTests
{
    private static readonly string[] WriterTypes =
        ["ProceduralScenarios", "SceneWords", "CompositeWording", "DialogueWriter", "PromptScenarios", "PromptWriter", "English."];

    [Fact]
    public void TheVerifier_NamesNoWriterCode()
    {
        var files = SourceFiles.All().Where(f => f.Relative.StartsWith("src/VisInstruct/Recipes/StableLlava/Verification/",
            StringComparison.Ordinal)).ToList();
        Assert.True(files.Count >= 8, $"{files.Count} verifier files");
        var uses = files.SelectMany(f => f.Lines.Select((line, i) => (f.Relative, Line: i + 1, Text: line)))
            .Where(l => WriterTypes.Any(t => l.Text.Contains(t, StringComparison.Ordinal)))
            .Select(l => $"{l.Relative}:{l.Line}: {l.Text.Trim()}").ToList();
        Assert.Empty(uses);
    }
}
