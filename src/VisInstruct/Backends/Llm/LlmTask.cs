using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace VisInstruct.Backends.Llm;

/// <summary>
/// One kind of question put to an LLM, in one place: the messages it sends for an input, the type its answer is
/// read into, the JSON schema of that type (derived from the type, then narrowed for the input: counts, enums,
/// lengths), and the problems that make an answer unusable. <see cref="LlmService.AskAsync"/> runs it: one
/// structured request, the answer parsed once into <typeparamref name="TOutput"/>, and the shared repair turn when
/// it has problems.
/// </summary>
public abstract class LlmTask<TInput, TOutput>
{
    /// <summary>The schema's name (sent as <c>response_format.json_schema.name</c>): letters, digits, <c>_</c>, <c>-</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The answer's type, from a source-generated JSON context.</summary>
    public abstract JsonTypeInfo<TOutput> Type { get; }

    /// <summary>The request for <paramref name="input"/> (messages, and any sampling settings of its own).</summary>
    public abstract LlmRequest Request(TInput input);

    /// <summary>
    /// Why <paramref name="answer"/> cannot be used for <paramref name="input"/>, one line per problem; empty when
    /// it can. The first problem is quoted to the model in the repair turn.
    /// </summary>
    public virtual IReadOnlyList<string> Problems(TOutput answer, TInput input) => [];

    /// <summary>The schema sent for <paramref name="input"/>: the type's own, narrowed by <see cref="Narrow"/>.</summary>
    public LlmSchema Schema(TInput input)
    {
        var schema = LlmSchemas.Of(Type);
        Narrow(schema, input);
        using var document = JsonDocument.Parse(schema.ToJsonString());
        return new LlmSchema(Name, document.RootElement.Clone());
    }

    /// <summary>
    /// Adds to the type's schema what depends on the input: <c>minItems</c>/<c>maxItems</c>, an <c>enum</c> of the
    /// allowed values, string lengths. Use <see cref="LlmSchemas.Property"/> to reach a property.
    /// </summary>
    protected virtual void Narrow(JsonObject schema, TInput input)
    {
    }
}

/// <summary>JSON schemas derived from types, in the subset every guided-decoding server accepts.</summary>
public static class LlmSchemas
{
    private static readonly JsonSchemaExporterOptions Exporter = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = (context, node) =>
        {
            // Guided decoding (xgrammar, outlines, llama.cpp's grammar) wants closed objects with every property
            // required; nullable reference types already say which are optional.
            if (node is JsonObject obj && obj["properties"] is JsonObject properties)
            {
                obj["additionalProperties"] = false;
                if (obj["required"] is null)
                {
                    obj["required"] = new JsonArray([.. properties.Select(p => (JsonNode?)JsonValue.Create(p.Key))]);
                }
            }

            return node;
        },
    };

    /// <summary>The schema of <paramref name="type"/> as a fresh, mutable object.</summary>
    public static JsonObject Of<T>(JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetJsonSchemaAsNode(Exporter) as JsonObject
            ?? throw new InvalidOperationException($"the schema of {typeof(T).Name} is not an object");
    }

    /// <summary>
    /// The schema of the property at <paramref name="path"/> (names of nested properties; <c>[]</c> steps into an
    /// array's items), to narrow it.
    /// </summary>
    public static JsonObject Property(JsonObject schema, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(schema);
        JsonObject node = schema;
        foreach (string step in path)
        {
            node = (step == "[]" ? node["items"] : node["properties"]?[step]) as JsonObject
                ?? throw new ArgumentException($"the schema has no {string.Join('.', path)}", nameof(path));
        }

        return node;
    }
}
