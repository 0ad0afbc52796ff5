using System.Text.Json.Serialization;

namespace VisInstruct.Engine;

/// <summary>Source-generated JSON metadata for the engine's own small documents (tags, counters).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(SortedDictionary<string, long>))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
