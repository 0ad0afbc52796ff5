using System.Text.Json;
using System.Text.Json.Serialization;

namespace VisInstruct.Config;

/// <summary>Source-generated JSON for writing a resolved configuration into manifests (it holds no secrets: only variable names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;

/// <summary>A configuration as JSON text.</summary>
public static class ConfigJson
{
    public static string Write(RunConfig config) => JsonSerializer.Serialize(config, ConfigJsonContext.Default.RunConfig);
}
