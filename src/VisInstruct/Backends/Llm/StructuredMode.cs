namespace VisInstruct.Backends.Llm;

/// <summary>How a structured (JSON) answer is asked of one endpoint, from the strongest to the weakest.</summary>
public enum StructuredMode
{
    /// <summary><c>response_format: {"type": "json_schema", ...}</c>: the server constrains the answer to the schema.</summary>
    JsonSchema,

    /// <summary><c>response_format: {"type": "json_object"}</c> with the schema in the prompt.</summary>
    JsonObject,

    /// <summary>No <c>response_format</c>; the schema is in the prompt and the answer is read leniently.</summary>
    Instructions,
}
