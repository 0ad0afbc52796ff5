using VisInstruct.Backends.Composition;
using VisInstruct.Config;
using VisInstruct.Engine;
using VisInstruct.Recipes;
using VisInstruct.Recipes.Annotated;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes.Annotated;

/// <summary>The annotation recipes as <see cref="IRecipe"/>s: their options, their plans, and the counters their card reads.</summary>
public class AnnotatedRecipeTests
{
    private static RunConfig VgConfig() => new()
    {
        Annotations = new AnnotationsConfig
        {
            VgImageData = Paths.Fixture("vg", "image_data.first2.json"),
            VgObjects = Paths.Fixture("vg", "objects.first2.json"),
            VgRegions = Paths.Fixture("vg", "region_descriptions.first2.json"),
            VgAttributes = Paths.Fixture("vg", "attributes.first2.json"),
        },
    };

    private static RecipeRequest Request(RunConfig config, RunBackends backends, RecipeArguments arguments) => new()
    {
        Config = config,
        Backends = backends,
        Seed = 3,
        OutputDirectory = "out",
        Arguments = arguments,
    };

    [Fact]
    public void Recipes_DeclareTheSixAnnotationOptions()
    {
        IRecipe[] recipes = [SvitRecipe.Instance, LlavaInstructRecipe.Instance];
        foreach (var recipe in recipes)
        {
            Assert.Equal(["--count", "--tasks", "--prompts", "--detail-questions", "--image-ids", "--exclude-image-ids"],
                recipe.Options.Select(o => o.Name));
            Assert.Equal(RecipeOptionKind.Integer, recipe.Options[0].Kind);
            Assert.Equal(RecipeOptionKind.List, recipe.Options[1].Kind);
            Assert.All(recipe.Options.Skip(2), o => Assert.Equal(RecipeOptionKind.Text, o.Kind));
        }

        Assert.Equal(["svit", "llava-instruct"], recipes.Select(r => r.Name));
        Assert.Equal(["conversation", "complex_reasoning", "detail_description", "referring_qa"],
            SvitRecipe.Instance.TaskWriters.Select(t => t.Name));
        Assert.Equal(["conversation", "detail_description", "complex_reasoning"],
            LlavaInstructRecipe.Instance.TaskWriters.Select(t => t.Name));
        Assert.True(SvitRecipe.Instance.Writer(AnnotatedTask.ReferringQa).Referring);
        Assert.DoesNotContain(LlavaInstructRecipe.Instance.TaskWriters, t => t.Referring);
    }

    [Fact]
    public void Plan_OpensTheAnnotationsItselfAndReadsItsOptions()
    {
        var config = VgConfig();
        using var backends = BackendFactory.Create(config, new Dictionary<string, string?>(), "run.yaml");
        var arguments = new RecipeArguments(
        [
            new(AnnotatedRecipeBase.Count, 1),
            new(AnnotatedRecipeBase.Tasks, new[] { "referring-qa", "conversation" }),
        ]);
        using var plan = SvitRecipe.Instance.Plan(Request(config, backends, arguments), CancellationToken.None);

        var keys = plan.Plan.Items().Select(i => i.Key).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(["conversation", "referring_qa"], keys.Select(k => k.Split('/')[1]));
        Assert.All(keys, k => Assert.Equal(keys[0].Split('/')[0], k.Split('/')[0]));
        Assert.Equal("svit", plan.Plan.Recipe);
        Assert.Contains("--tasks referring_qa,conversation --count 1", plan.Plan.ReproduceCommand, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RefusesAMissingAnnotationFileByItsKey()
    {
        var config = new RunConfig { Annotations = new AnnotationsConfig { VgImageData = Paths.Fixture("vg", "image_data.first2.json") } };
        using var backends = BackendFactory.Create(config, new Dictionary<string, string?>(), "run.yaml");
        var ex = Assert.Throws<ArgumentException>(() =>
            SvitRecipe.Instance.Plan(Request(config, backends, RecipeArguments.Empty), CancellationToken.None));
        Assert.Contains("annotations.vg_objects, annotations.vg_regions", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() =>
            LlavaInstructRecipe.Instance.Plan(Request(config, backends, RecipeArguments.Empty), CancellationToken.None));
        Assert.Contains("annotations.coco_captions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RefusesATaskTheRecipeDoesNotHave()
    {
        var config = new RunConfig
        {
            Annotations = new AnnotationsConfig
            {
                CocoCaptions = [Paths.Fixture("coco", "captions_train2017.first5.json")],
                CocoInstances = [Paths.Fixture("coco", "instances_train2017.first5.json")],
            },
        };
        using var backends = BackendFactory.Create(config, new Dictionary<string, string?>(), "run.yaml");
        var arguments = new RecipeArguments([new(AnnotatedRecipeBase.Tasks, new[] { "referring_qa" })]);
        var ex = Assert.Throws<ArgumentException>(() =>
            LlavaInstructRecipe.Instance.Plan(Request(config, backends, arguments), CancellationToken.None));
        Assert.Contains("its tasks are conversation, detail_description, complex_reasoning", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Statistics_ReadTheDeclaredCounters()
    {
        var summary = new DatasetSummary { Recipe = "svit" };
        // Three finished items over two images: the total counts each image once, with its boxes once.
        summary.Add(ItemStatus.Done, "{\"once:image\":\"1\",\"task\":\"a\"}", "{\"objects\":5}");
        summary.Add(ItemStatus.Done, "{\"once:image\":\"1\",\"task\":\"b\"}", "{\"objects\":5}");
        summary.Add(ItemStatus.Done, "{\"once:image\":\"2\",\"task\":\"b\"}", "{\"objects\":3}");
        summary.Counters[AnnotatedCounter.Questions.Key] = 7;
        summary.Counters[AnnotatedCounter.GroundingPairs.Key] = 10;
        summary.Counters[AnnotatedCounter.GroundingPairsKept.Key] = 8;
        summary.Counters[AnnotatedCounter.GroundingDropped(Grounding.NoReference).Key] = 2;
        summary.Counters[AnnotatedCounter.ContextCut.Key] = 1;

        var stats = AnnotatedStatistics.From(summary);
        Assert.Equal(2, stats.Total.Images);
        Assert.Equal(8, stats.Total.ObjectBoxes);
        Assert.DoesNotContain("once:image", summary.TagCounts.Keys);
        Assert.Equal(7, stats.Total.Questions);
        Assert.NotNull(stats.Grounding);
        Assert.Equal(8, stats.Grounding.PairsKept);
        Assert.Equal([new KeyValuePair<string, long>(Grounding.NoReference, 2)], stats.Grounding.Dropped);
        Assert.Equal(1, stats.ContextsCut);
        Assert.Null(stats.Windows);
        Assert.Contains("\"no-reference\": 2", SvitRecipe.Instance.Statistics(summary), StringComparison.Ordinal);
        Assert.Contains("# SVIT-style visual instruction data", SvitRecipe.Instance.Card(summary), StringComparison.Ordinal);
        Assert.Contains("# LLaVA-Instruct-style", LlavaInstructRecipe.Instance.Card(summary), StringComparison.Ordinal);
    }

    [Fact]
    public void Counters_HaveDistinctKeys()
    {
        var keys = typeof(AnnotatedCounter).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(AnnotatedCounter))
            .Select(p => ((AnnotatedCounter)p.GetValue(null)!).Key)
            .ToList();
        Assert.True(keys.Count >= 16);
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(AnnotatedCounter.GroundingDropped("x"), AnnotatedCounter.GroundingDropped("x"));
    }
}
