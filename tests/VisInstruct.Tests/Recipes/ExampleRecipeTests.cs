using System.Globalization;
using System.Text.Json;
using VisInstruct.Engine;
using VisInstruct.Randomness;
using VisInstruct.Recipes;
using VisInstruct.Recipes.StableLlava;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// The recipe of docs/adding-a-recipe.md: two stages (a sum drawn from the sample's seed, then its record), one option
/// of its own and one it shares with StableLLaVA, a card and statistics, registered in a registry of its own and run
/// through the command line's generate, as a built-in recipe is.
/// </summary>
public class ExampleRecipeTests
{
    /// <summary>Writes <c>sums.jsonl</c>: "What is a + b?" and its answer, one sample per item.</summary>
    private sealed class SumsRecipe : IRecipe
    {
        public static readonly RecipeOption Count = RecipeOption.Integer("--count", "sums to write (default 3)");

        public static readonly RecipeOption Largest = RecipeOption.Integer("--largest", "the largest number in a sum (default 9)");

        /// <summary>How many plans were released after their run (the engine is done with what they hold).</summary>
        public int Released { get; private set; }

        public string Name => "sums";

        public string Description => "seeds -> sums";

        public IReadOnlyList<RecipeOption> Options { get; } = [Count, Largest];

        public RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken)
        {
            int count = request.Arguments.Integer(Count) ?? 3;
            int largest = request.Arguments.Integer(Largest) ?? 9;
            if (largest < 1)
            {
                throw new ArgumentException("--largest must be at least 1");
            }

            var pipeline = Pipeline.Start<int>()
                .Then("draw", null, (index, context, _) =>
                {
                    var random = new DeterministicRandom(context.SeedFor("numbers"));
                    return ValueTask.FromResult((Index: index, A: random.NextInt(1, largest + 1), B: random.NextInt(1, largest + 1)));
                })
                .Then("assemble", null, (sum, _, _) => ValueTask.FromResult(new ItemResult()
                    .Add("sums.jsonl", sum, static (writer, s) =>
                    {
                        writer.WriteStartObject();
                        writer.WriteString("question", string.Create(CultureInfo.InvariantCulture, $"What is {s.A} + {s.B}?"));
                        writer.WriteNumber("answer", s.A + s.B);
                        writer.WriteEndObject();
                    })
                    .Count("total", sum.A + sum.B)))
                .Build();
            return new RecipePlan(new GenerationPlan
            {
                Recipe = Name,
                Fingerprint = string.Create(CultureInfo.InvariantCulture, $"{{\"seed\": \"{request.Seed}\", \"largest\": {largest}}}"),
                Items = () => Enumerable.Range(0, count).Select(i => new WorkItem(i.ToString("D6", CultureInfo.InvariantCulture), i)),
                Pipeline = pipeline,
                Card = Card,
                Statistics = Statistics,
            }, new Release(this));
        }

        public string Card(DatasetSummary summary) => string.Create(CultureInfo.InvariantCulture,
            $"# Sums\n\n{summary.Done} sums, adding up to {summary.Counters.GetValueOrDefault("total")}.\n");

        public string? Statistics(DatasetSummary summary) =>
            string.Create(CultureInfo.InvariantCulture, $"{{\"sums\": {summary.Done}}}\n");

        private sealed class Release(SumsRecipe recipe) : IDisposable
        {
            public void Dispose() => recipe.Released++;
        }
    }

    [Fact]
    public void ARegisteredRecipe_RunsThroughGenerate_AsTheDefault_WithItsOptionsFilesAndCard()
    {
        using var temp = new TempDir();
        var sums = new SumsRecipe();
        var registry = new RecipeRegistry([sums, new StableLlavaRecipe()]);

        var result = CliRunner.Run(registry,
            "generate", "--out", temp.File("out"), "--count", "4", "--largest", "5", "--seed", "7", "--quiet");

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        var lines = File.ReadAllLines(temp.File("out", "sums.jsonl"));
        Assert.Equal(4, lines.Length);
        long total = 0;
        foreach (string line in lines)
        {
            using var record = JsonDocument.Parse(line);
            string question = record.RootElement.GetProperty("question").GetString()!;
            var numbers = question["What is ".Length..^1].Split(" + ").Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList();
            Assert.All(numbers, n => Assert.InRange(n, 1, 5));
            Assert.Equal(numbers.Sum(), record.RootElement.GetProperty("answer").GetInt32());
            total += numbers.Sum();
        }

        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"# Sums\n\n4 sums, adding up to {total}.\n"),
            File.ReadAllText(temp.File("out", "README.md")));
        Assert.Equal("{\"sums\": 4}\n", File.ReadAllText(temp.File("out", "stats.json")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.File("out", "manifest.json")));
        Assert.Equal("sums", manifest.RootElement.GetProperty("recipe").GetString());
        Assert.Equal(1, sums.Released);
    }

    [Fact]
    public void TheRegistry_IsWhatGenerateOffers_AndSharedOptionNamesAreOneOption()
    {
        var registry = new RecipeRegistry([new SumsRecipe(), new StableLlavaRecipe()]);

        var help = CliRunner.Run(registry, "generate", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--recipe <stablellava|sums>", help.Out, StringComparison.Ordinal);
        Assert.Contains("[default: sums]", help.Out, StringComparison.Ordinal);
        Assert.Single(help.Out.Split('\n'), l => l.TrimStart().StartsWith("--count", StringComparison.Ordinal));
        Assert.Contains("sums: sums to write (default 3); stablellava: samples per ability", help.Out, StringComparison.Ordinal);
        Assert.Contains("--largest", help.Out, StringComparison.Ordinal);
        Assert.Contains("--abilities", help.Out, StringComparison.Ordinal);

        // A built-in recipe that is not in this registry is not offered.
        using var temp = new TempDir();
        var refused = CliRunner.Run(registry, "generate", "--recipe", "svit", "--out", temp.File("out"), "--quiet");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("svit", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("out")));
    }

    [Fact]
    public void ARecipesArgumentException_IsAUsageError()
    {
        using var temp = new TempDir();
        var sums = new SumsRecipe();

        var result = CliRunner.Run(new RecipeRegistry([sums]), "generate", "--out", temp.File("out"), "--largest", "0", "--quiet");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: --largest must be at least 1", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, sums.Released);
    }

    /// <summary>A recipe that reads <c>--count</c> as text, against the sums' whole number.</summary>
    private sealed class TextCountRecipe : IRecipe
    {
        public string Name => "text-count";

        public string Description => "nothing";

        public IReadOnlyList<RecipeOption> Options { get; } = [RecipeOption.Text("--count", "a count in words")];

        public RecipePlan Plan(RecipeRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public string Card(DatasetSummary summary) => "";

        public string? Statistics(DatasetSummary summary) => null;
    }

    [Fact]
    public void RecipesThatShareAnOptionName_MustShareItsKind()
    {
        var registry = new RecipeRegistry([new SumsRecipe(), new TextCountRecipe()]);

        var ex = Assert.Throws<ArgumentException>(
            () => VisInstruct.Cli.VisInstructCli.BuildRoot(TextWriter.Null, TextWriter.Null, registry));
        Assert.Contains("--count", ex.Message, StringComparison.Ordinal);
    }
}
