using System.Text.Json.Serialization;

namespace VisInstruct.Config;

/// <summary>Source-generated JSON for writing a resolved configuration into manifests (it holds no secrets: only variable names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
