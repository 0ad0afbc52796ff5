using System.Text.Json.Serialization;

namespace VisInstruct.Formats;

/// <summary>Source-generated JSON metadata for every file format VisInstruct reads.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowTrailingCommas = false,
    MaxDepth = VisInstruct.Json.JsonRecordReader.MaxDepth,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(StableLlavaEntry))]
[JsonSerializable(typeof(LlavaSample))]
[JsonSerializable(typeof(SvitSample))]
[JsonSerializable(typeof(VqaQuestion))]
[JsonSerializable(typeof(VqaAnswer))]
[JsonSerializable(typeof(VgImage))]
public sealed partial class FormatsJsonContext : JsonSerializerContext;
