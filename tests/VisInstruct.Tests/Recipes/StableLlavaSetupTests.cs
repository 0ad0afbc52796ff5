using VisInstruct.Backends.Composition;
using VisInstruct.Config;
using VisInstruct.Recipes.StableLlava;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// What the backends make of the StableLLaVA recipe, decided once: procedural images or a backend, the LLM prompt
/// lanes, the vision check, who writes the dialogues and whether before the images.
/// </summary>
public class StableLlavaSetupTests
{
    private const string Chat = "llm:\n  endpoints: [http://127.0.0.1:9/v1]\n  model: writer\n"
        + "vision:\n  endpoints: [http://127.0.0.1:9/v1]\n  model: vlm\n";
    private const string A1111 = "images:\n  backend: a1111\n  endpoints: [http://127.0.0.1:9]\n";

    private static StableLlavaSetup Resolve(string yaml, out RunBackends backends)
    {
        var config = RunConfigLoader.Parse(yaml);
        backends = BackendFactory.Create(config, new Dictionary<string, string?>(), "run.yaml");
        return StableLlavaSetup.Resolve(config, backends, AbilityCatalog.BuiltIn());
    }

    [Fact]
    public void ProceduralImages_DrawScenes_WithoutLanesOrCheck_AndTheDialogueComesFirst()
    {
        var setup = Resolve(Chat, out var backends);
        using (backends)
        {
            Assert.NotNull(setup.Scenes);
            Assert.Equal((512, 512), (setup.Scenes.Width, setup.Scenes.Height));
            Assert.Null(setup.Lanes);
            Assert.Null(setup.Checker);
            Assert.Same(backends.Llm, setup.DialogueModel);
            Assert.True(setup.DialogueBeforeImages);

            var notices = new List<string>();
            var selected = setup.Select(AbilityCatalog.BuiltIn(), null, notices);
            Assert.All(selected, a => Assert.NotNull(a.Procedural));
            Assert.StartsWith("skipped ", notices[0], StringComparison.Ordinal);
            Assert.Equal(
                "images are drawn by the built-in procedural renderer; the LLM writes the dialogues from each scene's ground truth",
                notices[^1]);
        }
    }

    [Fact]
    public void AnImageBackend_GetsLanesAndTheCheck_AndTheDialogueAfterTheCheck()
    {
        var setup = Resolve(Chat + A1111 + "stablellava:\n  lane_size: 4\n  check_retries: 1\n", out var backends);
        using (backends)
        {
            Assert.Null(setup.Scenes);
            Assert.NotNull(setup.Lanes);
            Assert.Equal(4, setup.Lanes.LaneSize);
            Assert.Same(backends.Vision, setup.Checker);
            Assert.Equal(1, setup.CheckRetries);
            Assert.False(setup.DialogueBeforeImages);

            var notices = new List<string>();
            var selected = setup.Select(AbilityCatalog.BuiltIn(), null, notices);
            Assert.DoesNotContain(selected, a => a.Procedural is "counting" or "position" or "size");
            Assert.Contains(selected, a => a.Procedural is null);
        }
    }

    [Fact]
    public void ADialogueThatSeesTheImages_IsTheVisionModels_AndComesAfterThem()
    {
        var setup = Resolve(Chat + A1111 + "stablellava:\n  check: false\n  dialogue_sees_image: true\n", out var backends);
        using (backends)
        {
            Assert.Null(setup.Checker);
            Assert.Same(backends.Vision, setup.DialogueModel);
            Assert.True(setup.DialogueSeesImages);
            Assert.False(setup.DialogueBeforeImages);
        }
    }
}
