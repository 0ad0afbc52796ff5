using VisInstruct.Config;
using VisInstruct.Json;

namespace VisInstruct.Tests;

public class ConfigTests
{
    [Fact]
    public void TheDesignDocumentsExample_Loads()
    {
        var config = RunConfigLoader.Parse("""
            seed: 1234
            count: 1000
            llm:                       # any OpenAI-compatible chat endpoint
              endpoints: [http://127.0.0.1:8000/v1, http://127.0.0.1:8001/v1]
              model: Qwen2.5-7B-Instruct
              api_key_env: OPENAI_API_KEY   # the name of the variable, never the key
              temperature: 0.7
            images:
              backend: comfyui
              endpoints: [http://127.0.0.1:8188]
              model: sd_xl_base_1.0.safetensors
              workflow: sdxl_api.json
              width: 1024
              height: 1024
              steps: 50
              guidance: 5.0
            annotations:
              vg_image_data: vg/image_data.json
              vg_objects: vg/objects.json
              vg_regions: vg/region_descriptions.json
              coco_captions: [coco/annotations/captions_train2017.json]
              coco_instances: [coco/annotations/instances_train2017.json]
            prices:
              Qwen2.5-7B-Instruct: {input: 0.2, output: 0.6}
            """);
        Assert.Equal(1234UL, config.Seed);
        Assert.Equal(["http://127.0.0.1:8000/v1", "http://127.0.0.1:8001/v1"], config.Llm!.Endpoints);
        Assert.Equal("OPENAI_API_KEY", config.Llm.ApiKeyEnv);
        Assert.Equal(5.0, config.Images!.Guidance);
        Assert.Equal(0.6m, config.Prices!["Qwen2.5-7B-Instruct"].Output);
        Assert.Equal(["coco/annotations/captions_train2017.json"], config.Annotations!.CocoCaptions);
    }

    [Fact]
    public void EmptyFile_IsAllDefaults() => Assert.Null(RunConfigLoader.Parse("").Llm);

    [Fact]
    public void SectionsWithoutOptionalKeys_Load()
    {
        Assert.Equal("procedural", RunConfigLoader.Parse("images:\n  backend: procedural\n").Images!.Backend);
        Assert.Null(RunConfigLoader.Parse("images:\n  backend: a1111\n  endpoints: [http://127.0.0.1:7860]\n").Images!.Width);
    }

    [Theory]
    [InlineData("seed: 1\nllm:\n  modle: x\n", 3, "unknown key \"modle\"")]
    [InlineData("count: many\n", 1, "count")]
    [InlineData("llm:\n  endpoints: [ftp://x]\n  model: m\n", 2, "not an http(s) URL")]
    [InlineData("llm:\n  endpoints: [http://x/v1]\n", 1, "llm.model is needed")]
    [InlineData("llm:\n  temperature: 3\n", 2, "between 0 and 2")]
    [InlineData("images:\n  backend: dalle\n", 2, "must be one of comfyui, a1111, openai, procedural")]
    [InlineData("images:\n  backend: comfyui\n", 1, "images.endpoints is needed")]
    [InlineData("images:\n  width: 1020\n", 2, "multiple of 8")]
    [InlineData("llm:\n  api_key_env: sk-abcdef123456\n", 2, "NAME of an environment variable")]
    public void BadConfig_NamesTheLineAndKey(string yaml, int line, string expected)
    {
        var error = Assert.Throws<InputFormatException>(() => RunConfigLoader.Parse(yaml, "run.yaml"));
        Assert.Contains(expected, error.Describe(), StringComparison.Ordinal);
        Assert.Equal(line, error.Position!.Value.Line);
        Assert.StartsWith("run.yaml:", error.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ApiKeyLookingValues_AreNeverEchoedWhole()
    {
        var error = Assert.Throws<InputFormatException>(() => RunConfigLoader.Parse("llm:\n  api_key_env: sk-abcdef123456\n"));
        Assert.DoesNotContain("abcdef123456", error.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsBadInput() =>
        Assert.Contains("not found", Assert.Throws<InputFormatException>(() => RunConfigLoader.Load("/no/such/run.yaml")).Message,
            StringComparison.Ordinal);
}
