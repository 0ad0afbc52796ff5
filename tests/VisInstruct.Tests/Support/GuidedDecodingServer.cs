using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VisInstruct.Tests.Support;

/// <summary>How a double of a real OpenAI-compatible server treats <c>response_format</c>.</summary>
public enum ServerBehaviour
{
    /// <summary>Guided decoding (vLLM, SGLang, llama.cpp): any instance the request's JSON schema allows, as bare JSON.</summary>
    SchemaStrict,

    /// <summary>Takes <c>response_format</c> and ignores it: chatty prose, the JSON in a <c>```json</c> fence, sometimes extra
    /// items.</summary>
    IgnoresFormat,

    /// <summary>Refuses <c>response_format</c> with a 400 (json_schema as vLLM words it, json_object as OpenAI does); answers plain
    /// requests.</summary>
    RefusesFormat,

    /// <summary>A reasoning model: a <c>&lt;think&gt;</c> block before the answer and a <c>reasoning_content</c> field.</summary>
    Reasoning,
}

/// <summary>
/// A loopback OpenAI-compatible server (<c>GET /v1/models</c>, <c>POST /v1/chat/completions</c>) that answers like a
/// real model server rather than a script: structured requests get a random but valid instance of their schema
/// (<see cref="SchemaInstances"/>, seeded from the request, so the same request gets the same answer), free-text
/// requests of the annotation recipes get text in the forms those prompts ask for (<see cref="AnnotationWriter"/>),
/// wrapped as <see cref="ServerBehaviour"/> says.
/// </summary>
internal static class GuidedDecodingServer
{
    /// <summary>A word that only ever appears in reasoning: it must never reach a dataset file.</summary>
    public const string ReasoningMarker = "zqxreasoning";

    public static Task<LoopbackServer> StartAsync(ServerBehaviour behaviour, string model, int seed = 0, string? models = null,
        string? props = null) =>
        LoopbackServer.StartAsync(async (context, request) =>
        {
            if (request.Method == "GET" && request.Path == "/v1/models")
            {
                await context.Json(models
                    ?? $"{{\"object\": \"list\", \"data\": [{{\"id\": \"{model}\", \"object\": \"model\", \"owned_by\": \"test\"}}]}}");
                return;
            }

            if (request.Method == "GET" && request.Path == "/props" && props is not null)
            {
                await context.Json(props);
                return;
            }

            if (request.Method != "POST" || request.Path != "/v1/chat/completions")
            {
                await context.Json("{\"error\": {\"message\": \"not found\"}}", 404);
                return;
            }

            using var body = JsonDocument.Parse(request.Body);
            var root = body.RootElement;
            var rng = new Random(seed ^ BitConverter.ToInt32(SHA256.HashData(request.Body), 0));
            string? format = root.TryGetProperty("response_format", out var rf) && rf.ValueKind == JsonValueKind.Object
                && rf.TryGetProperty("type", out var type)
                ? type.GetString()
                : null;
            if (behaviour == ServerBehaviour.RefusesFormat && format is "json_schema")
            {
                await context.Json("{\"object\": \"error\", \"message\": \"response_format json_schema is not supported by this "
                    + "server\", \"type\": \"BadRequestError\", \"param\": null, \"code\": 400}", 400);
                return;
            }

            if (behaviour == ServerBehaviour.RefusesFormat && format is "json_object")
            {
                await context.Json("{\"error\": {\"message\": \"Invalid parameter: 'response_format' of type 'json_object' is not "
                    + "supported with this model.\", \"type\": \"invalid_request_error\", \"param\": \"response_format\", \"code\": "
                    + "null}}", 400);
                return;
            }

            var messages = root.GetProperty("messages");
            JsonElement? schema = format == "json_schema" && behaviour != ServerBehaviour.IgnoresFormat
                ? rf.GetProperty("json_schema").GetProperty("schema")
                : null;
            // A model that is not constrained still reads the prompt: the schema the client put there, or (for a
            // server that ignores response_format) the one it was sent, as a model would infer the shape it is asked for.
            schema ??= SchemaInPrompt(messages) ?? (format == "json_schema" ? rf.GetProperty("json_schema").GetProperty("schema") : null);
            string content;
            if (schema is { } s)
            {
                var instance = SchemaInstances.Generate(s, rng);
                if (behaviour == ServerBehaviour.IgnoresFormat)
                {
                    AddExtraItems(instance, rng);
                    content = $"Sure! Here is the JSON you asked for:\n\n```json\n"
                        + $"{instance!.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}\n```\n\nLet me know if you "
                        + $"would like any changes.";
                }
                else
                {
                    content = instance!.ToJsonString();
                }
            }
            else
            {
                content = AnnotationWriter.Answer(messages, rng);
                if (behaviour == ServerBehaviour.IgnoresFormat)
                {
                    content = $"Of course! Here is what you asked for.\n\n```\n{content}\n```\n\nI hope this helps!";
                }
            }

            string? reasoning = null;
            if (behaviour == ServerBehaviour.Reasoning)
            {
                reasoning = $"The user wants an answer; {ReasoningMarker} let me think about {SchemaInstances.Words(rng, 6)}.";
                content = $"<think>\n{ReasoningMarker}: {SchemaInstances.Words(rng, 12)}. The answer should follow the "
                    + $"format.\n</think>\n\n{content}";
            }

            await context.Json(Completion(model, content, reasoning));
        });

    private static string Completion(string model, string content, string? reasoning)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (reasoning is not null)
        {
            message["reasoning_content"] = reasoning;
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-guided",
            ["object"] = "chat.completion",
            ["created"] = 1700000000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = "stop" }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 50, ["total_tokens"] = 150 },
        }.ToJsonString();
    }

    /// <summary>The last JSON schema written into the user messages (the client's instructions-only and json_object modes, or a repair
    /// turn).</summary>
    private static JsonElement? SchemaInPrompt(JsonElement messages)
    {
        for (int i = messages.GetArrayLength() - 1; i >= 0; i--)
        {
            var message = messages[i];
            if (message.GetProperty("role").GetString() != "user")
            {
                continue;
            }

            string text = Text(message);
            int marker = text.LastIndexOf("schema", StringComparison.OrdinalIgnoreCase);
            int open = marker < 0 ? -1 : text.IndexOf('{', marker);
            if (open < 0)
            {
                continue;
            }

            try
            {
                var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text[open..]));
                using var document = JsonDocument.ParseValue(ref reader);
                if (document.RootElement.TryGetProperty("type", out _))
                {
                    return document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
                // Not a schema after all.
            }
        }

        return null;
    }

    /// <summary>A chatty model: a third of the time, one or two more items in each top-level array than it was asked for.</summary>
    private static void AddExtraItems(JsonNode? instance, Random rng)
    {
        if (instance is not JsonObject obj || rng.Next(3) != 0)
        {
            return;
        }

        foreach (var (_, value) in obj.ToList())
        {
            if (value is JsonArray { Count: > 0 } array)
            {
                int extra = 1 + rng.Next(2);
                for (int i = 0; i < extra; i++)
                {
                    array.Add(array[rng.Next(array.Count)]!.DeepClone());
                }
            }
        }
    }

    internal static string Text(JsonElement message)
    {
        var content = message.GetProperty("content");
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        return string.Concat(content.EnumerateArray().Where(p => p.TryGetProperty("text", out _))
            .Select(p => p.GetProperty("text").GetString()));
    }
}

/// <summary>
/// A little JSON-schema instance generator, as guided decoding sees a schema: <c>type</c> (object, array, string,
/// integer, number, boolean, null, or a list of them), <c>properties</c> with <c>required</c> (optional properties half
/// the time; nothing else when <c>additionalProperties</c> is false, which is all this generator ever writes),
/// <c>items</c> with <c>minItems</c>/<c>maxItems</c>, <c>enum</c>, <c>const</c>, <c>minLength</c>/<c>maxLength</c>,
/// <c>minimum</c>/<c>maximum</c>, <c>anyOf</c>/<c>oneOf</c>. Strings are random words; an array without
/// <c>maxItems</c> gets up to three more items than its minimum, as an unconstrained count would.
/// </summary>
internal static class SchemaInstances
{
    private static readonly string[] Vocabulary =
    [
        "red", "kite", "harbour", "lantern", "quiet", "meadow", "silver", "train", "window", "river", "bright", "table",
        "garden", "morning", "stone", "blue", "bridge", "orange", "cloud", "market", "wooden", "path", "small", "tower",
        "yellow", "field", "evening", "glass", "green", "village", "round", "shadow", "corner", "soft", "street", "lamp",
    ];

    public static string Words(Random rng, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => Vocabulary[rng.Next(Vocabulary.Length)]));

    public static JsonNode? Generate(JsonElement schema, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return Words(rng, 2);
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }

        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[rng.Next(values.GetArrayLength())].GetRawText());
        }

        foreach (string choice in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(choice, out var options) && options.GetArrayLength() > 0)
            {
                return Generate(options[rng.Next(options.GetArrayLength())], rng);
            }
        }

        string type = "string";
        if (schema.TryGetProperty("type", out var t))
        {
            type = t.ValueKind == JsonValueKind.Array ? t[rng.Next(t.GetArrayLength())].GetString()! : t.GetString()!;
        }
        else if (schema.TryGetProperty("properties", out _))
        {
            type = "object";
        }
        else if (schema.TryGetProperty("items", out _))
        {
            type = "array";
        }

        switch (type)
        {
            case "object":
            {
                var result = new JsonObject();
                var required = schema.TryGetProperty("required", out var r)
                    ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal) : [];
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        if (required.Contains(property.Name) || rng.Next(2) == 0)
                        {
                            result[property.Name] = Generate(property.Value, rng);
                        }
                    }
                }

                return result;
            }

            case "array":
            {
                int min = Int(schema, "minItems") ?? 0;
                int max = Int(schema, "maxItems") ?? min + 3;
                int count = min + rng.Next(Math.Max(0, max - min) + 1);
                var array = new JsonArray();
                var items = schema.TryGetProperty("items", out var i) ? i : default;
                for (int k = 0; k < count; k++)
                {
                    array.Add(Generate(items, rng));
                }

                return array;
            }

            case "integer":
            {
                int lo = Int(schema, "minimum") ?? 0;
                int hi = Int(schema, "maximum") ?? lo + 100;
                return lo + rng.Next(Math.Max(0, hi - lo) + 1);
            }

            case "number":
                return Math.Round(rng.NextDouble() * 100, 3);
            case "boolean":
                return rng.Next(2) == 0;
            case "null":
                return null;
            default:
            {
                int min = Int(schema, "minLength") ?? 0;
                int max = Int(schema, "maxLength") ?? 200;
                string text = Words(rng, 1 + rng.Next(6));
                while (text.Length < min)
                {
                    text += " " + Words(rng, 1);
                }

                if (text.Length > max)
                {
                    text = text[..max].TrimEnd();
                    if (text.Length < min)
                    {
                        text = new string('a', min);
                    }
                }

                return text;
            }
        }
    }

    private static int? Int(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? (int)value.GetDouble() : null;
}

/// <summary>
/// Free-text answers to the annotation recipes' prompts, in the forms those prompts ask for: SVIT's three
/// conversations (<c>Topic:</c>/<c>User:</c>/<c>GPT:</c>), question-answer pairs (<c>Question:</c>/<c>Answer:</c>, as many
/// as the prompt asks), referring pairs whose <c>&lt;st&gt;name&lt;ed&gt; [box]</c> mentions copy boxes from the context, and
/// plain description paragraphs. Anything else gets a sentence of random words.
/// </summary>
internal static partial class AnnotationWriter
{
    public static string Answer(JsonElement messages, Random rng)
    {
        string system = messages[0].GetProperty("role").GetString() == "system" ? GuidedDecodingServer.Text(messages[0]) : "";
        string context = GuidedDecodingServer.Text(messages[messages.GetArrayLength() - 1]);
        string Sentence()
        {
            string words = SchemaInstances.Words(rng, 5 + rng.Next(6));
            return char.ToUpperInvariant(words[0]) + words[1..] + ".";
        }

        var sb = new StringBuilder();
        if (system.Contains("<st>", StringComparison.Ordinal))
        {
            var boxes = Boxes().Matches(context).Select(m => (Name: m.Groups[1].Value.Trim(), Box: m.Groups[2].Value)).ToList();
            int pairs = Count(system) ?? 10;
            for (int i = 0; i < pairs && boxes.Count > 0; i++)
            {
                var (name, box) = boxes[rng.Next(boxes.Count)];
                sb.Append(CultureInfo.InvariantCulture, $"Question: Where is the <st>{name}<ed> [{box}] in the picture?\nAnswer: The "
                    + $"<st>{name}<ed> [{box}] is near the {SchemaInstances.Words(rng, 2)}.\n");
            }

            return sb.Length == 0 ? Sentence() : sb.ToString().TrimEnd();
        }

        if (system.Contains("Topic:", StringComparison.Ordinal))
        {
            for (int c = 0; c < 3; c++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"Topic: {SchemaInstances.Words(rng, 2)}\n");
                for (int q = 0; q < 5; q++)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"User: What about the {SchemaInstances.Words(rng, 2)}?\nGPT: {Sentence()}\n");
                }
            }

            return sb.ToString().TrimEnd();
        }

        if (system.Contains("Question", StringComparison.Ordinal))
        {
            int pairs = Count(system) ?? 1 + rng.Next(3);
            for (int i = 0; i < pairs; i++)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"Question: Why is the {SchemaInstances.Words(rng, 2)} there?\nAnswer: {Sentence()} {Sentence()}\n\n");
            }

            return sb.ToString().TrimEnd();
        }

        if (system.Contains("descri", StringComparison.OrdinalIgnoreCase))
        {
            return $"{Sentence()} {Sentence()}\n\n{Sentence()}";
        }

        return Sentence();
    }

    private static int? Count(string system) =>
        WriteCount().Match(system) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^(.+?): \[([0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+)\]$", RegexOptions.Multiline)]
    private static partial Regex Boxes();

    [GeneratedRegex(@"Write (\d+) question")]
    private static partial Regex WriteCount();
}
