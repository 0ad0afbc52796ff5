using System.Globalization;
using VisInstruct.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace VisInstruct.Config;

/// <summary>
/// Reads and checks a run configuration. Unknown keys, wrong types and out-of-range values are bad input, named with
/// the file, line, column and key.
/// </summary>
public static class RunConfigLoader
{
    private static readonly string[] ImageBackends = ["comfyui", "a1111", "openai", "procedural"];

    /// <summary>The keys of <c>images.nodes</c>: which ComfyUI workflow node takes which value.</summary>
    public static readonly string[] NodeRoles = ["prompt", "negative", "sampler", "latent", "checkpoint", "output"];

    public static RunConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new InputFormatException(path, "this is a folder; --config takes a YAML file");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(path, "configuration file not found", innerException: ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InputFormatException(path, "the configuration file cannot be read (no permission)", innerException: ex);
        }

        return Parse(YamlGuard.DecodeUtf8(bytes, path), path);
    }

    /// <summary>
    /// A path named in a configuration file: relative ones are relative to that file's folder (unchanged when there is
    /// no file); null stays null.
    /// </summary>
    public static string? ResolvePath(string? configFile, string? path) =>
        path is null ? null : Path.IsPathRooted(path) || configFile is null ? path : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile)) ?? ".", path);

    public static RunConfig Parse(string yaml, string file = "run.yaml")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        YamlGuard.Check(yaml, file);
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        RunConfig config;
        try
        {
            config = deserializer.Deserialize<RunConfig?>(yaml) ?? new RunConfig();
        }
        catch (YamlException ex)
        {
            string? field = FieldAt(yaml, ex.Start);
            throw new InputFormatException(file, Explain(ex, field), Position(yaml, ex.Start), field, innerException: ex);
        }

        Validate(config, yaml, file);
        return config;
    }

    private static void Validate(RunConfig config, string yaml, string file)
    {
        void Fail(string field, string message) => throw new InputFormatException(file, message, PositionOf(yaml, field), field);

        CheckFinite(config, "", Fail);

        if (config.Count is < 1)
        {
            Fail("count", "count must be at least 1");
        }

        if (config.MaxFailureRatio is < 0 or > 1)
        {
            Fail("max_failure_ratio", "max_failure_ratio must be between 0 and 1");
        }

        if (config.StallWarningSeconds is <= 0)
        {
            Fail("stall_warning_seconds", "stall_warning_seconds must be positive");
        }

        foreach (var (name, llm) in new[] { ("llm", config.Llm), ("vision", config.Vision) })
        {
            if (llm is null)
            {
                continue;
            }

            CheckEndpoints(llm.Endpoints, name, Fail);
            if (llm.Endpoints is { Count: > 0 } && string.IsNullOrWhiteSpace(llm.Model))
            {
                Fail(name, $"{name}.model is needed: the name of the model the server serves");
            }

            if (llm.Temperature is < 0 or > 2)
            {
                Fail($"{name}.temperature", "temperature must be between 0 and 2");
            }

            if (llm.TopP is <= 0 or > 1)
            {
                Fail($"{name}.top_p", "top_p must be in (0, 1]");
            }

            if (llm.MaxTokens is < 1)
            {
                Fail($"{name}.max_tokens", "max_tokens must be at least 1");
            }

            if (llm.ContextTokens is < 1)
            {
                Fail($"{name}.context_tokens", "context_tokens (the model's window) must be at least 1");
            }

            if (llm.ContextTokens is { } window && llm.MaxTokens is { } answer && answer >= window)
            {
                Fail($"{name}.max_tokens", $"max_tokens ({answer}) leaves no room for the prompt in a window of context_tokens ({window})");
            }

            CheckPositive(llm.TimeoutSeconds, $"{name}.timeout_seconds", Fail);
            CheckPositive(llm.QueueTimeoutSeconds, $"{name}.queue_timeout_seconds", Fail);
            CheckAtLeastOne(llm.Concurrency, $"{name}.concurrency", Fail);
            if (llm.Retries is < 0)
            {
                Fail($"{name}.retries", "retries must be 0 or more");
            }

            CheckEnvName(llm.ApiKeyEnv, $"{name}.api_key_env", Fail);
            if (llm.Endpoints is not { Count: > 0 })
            {
                Fail(name, $"{name}: has no endpoints, so the run would not use this model while its manifest names it; give {name}.endpoints (the server URLs) or leave the {name}: section out for the built-in {(name == "llm" ? "template writer" : "checks")}");
            }
        }

        if (config.Images is { } images)
        {
            string backend = images.Backend ?? (images.Endpoints is { Count: > 0 } ? "" : "procedural");
            if (!ImageBackends.Contains(backend))
            {
                Fail(images.Backend is null ? "images" : "images.backend",
                    $"images.backend must be one of {string.Join(", ", ImageBackends)}{(images.Backend is null ? " (it is needed with endpoints)" : $", not \"{images.Backend}\"")}");
            }

            if (backend != "procedural")
            {
                CheckEndpoints(images.Endpoints, "images", Fail);
                if (images.Endpoints is not { Count: > 0 })
                {
                    Fail("images", $"images.endpoints is needed for the {backend} backend");
                }
            }

            foreach (var (value, field) in new[] { (images.Width, "images.width"), (images.Height, "images.height") })
            {
                if (value is { } v && (v < 64 || v > 8192 || v % 8 != 0))
                {
                    Fail(field, $"{field} must be a multiple of 8 between 64 and 8192");
                }
            }

            foreach (var (role, id) in images.Nodes ?? [])
            {
                if (!NodeRoles.Contains(role))
                {
                    Fail($"images.nodes.{role}", $"unknown key \"{role}\" in images.nodes; the node roles are {string.Join(", ", NodeRoles)}");
                }

                if (string.IsNullOrWhiteSpace(id))
                {
                    Fail($"images.nodes.{role}", $"images.nodes.{role} needs a node id (like \"6\")");
                }
            }

            CheckAtLeastOne(images.Steps, "images.steps", Fail);
            if (images.Guidance is < 0 or > 50)
            {
                Fail("images.guidance", "images.guidance must be between 0 and 50");
            }

            CheckPositive(images.TimeoutSeconds, "images.timeout_seconds", Fail);
            CheckAtLeastOne(images.Concurrency, "images.concurrency", Fail);
            if (images.Format is not (null or "jpg" or "png"))
            {
                Fail("images.format", "images.format must be jpg or png");
            }

            if (images.Quality is < 1 or > 100)
            {
                Fail("images.quality", "images.quality must be between 1 and 100");
            }

            CheckEnvName(images.ApiKeyEnv, "images.api_key_env", Fail);
            CheckEnvName(images.UsernameEnv, "images.username_env", Fail);
            CheckEnvName(images.PasswordEnv, "images.password_env", Fail);
        }

        foreach (var (model, price) in config.Prices ?? [])
        {
            if (price.Input < 0 || price.Output < 0 || price.Image < 0 || price.ImageSecond < 0)
            {
                Fail($"prices.{model}", "prices must not be negative");
            }
        }

        if (config.Stablellava is { } stablellava)
        {
            if (stablellava.LaneSize is < 1 or > 256)
            {
                Fail("stablellava.lane_size", "stablellava.lane_size must be between 1 and 256");
            }

            if (stablellava.BatchSize is < 1 or > 64)
            {
                Fail("stablellava.batch_size", "stablellava.batch_size must be between 1 and 64");
            }

            if (stablellava.CheckRetries is < 0 or > 10)
            {
                Fail("stablellava.check_retries", "stablellava.check_retries must be between 0 and 10");
            }

            if ((stablellava.Check == true || stablellava.DialogueSeesImage == true) && config.Vision is null)
            {
                Fail("stablellava", "stablellava.check and stablellava.dialogue_sees_image need a vision model (the vision: section)");
            }
        }

        foreach (var (name, section) in new[] { ("svit", config.Svit), ("llava_instruct", config.LlavaInstruct) })
        {
            if (section?.ContextTokens is < 0)
            {
                Fail(name + ".context_tokens", name + ".context_tokens must be 0 (no limit) or more");
            }

            if (section?.GroundingIou is < 0 or > 1)
            {
                Fail(name + ".grounding_iou", name + ".grounding_iou must be between 0 and 1");
            }
        }

        if (config.Output?.Indent is < 0 or > 32)
        {
            Fail("output.indent", "output.indent must be between 0 and 32");
        }
    }

    private static void CheckEndpoints(List<string>? endpoints, string section, Action<string, string> fail)
    {
        for (int i = 0; i < (endpoints?.Count ?? 0); i++)
        {
            string endpoint = endpoints![i];
            string field = string.Create(CultureInfo.InvariantCulture, $"{section}.endpoints[{i}]");
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                fail(field, $"\"{RedactUserInfo(endpoint)}\" is not an http(s) URL");
            }

            if (uri!.UserInfo.Length > 0)
            {
                string where = section == "images"
                    ? "images.api_key_env, or images.username_env and images.password_env for AUTOMATIC1111"
                    : $"{section}.api_key_env";
                fail(field, $"\"{RedactUserInfo(endpoint)}\" has a user name or password in it; credentials never go in the file: put them in environment variables and name those in {where}");
            }
        }
    }

    /// <summary>An endpoint as it may be shown: whatever stands before an '@' in its authority is hidden.</summary>
    public static string RedactUserInfo(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        int scheme = endpoint.IndexOf("://", StringComparison.Ordinal);
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = endpoint.IndexOfAny(['/', '?', '#'], start);
        string authority = end < 0 ? endpoint[start..] : endpoint[start..end];
        int at = authority.LastIndexOf('@');
        return at < 0 ? endpoint : endpoint[..start] + "***@" + authority[(at + 1)..] + (end < 0 ? "" : endpoint[end..]);
    }

    // NaN and infinity are YAML numbers (.nan, .inf) that no setting means: refused wherever they are.
    private static void CheckFinite(object? node, string path, Action<string, string> fail)
    {
        if (node is null)
        {
            return;
        }

        foreach (var property in node.GetType().GetProperties())
        {
            string name = UnderscoredNamingConvention.Instance.Apply(property.Name);
            string field = path.Length == 0 ? name : path + "." + name;
            object? value = property.GetValue(node);
            if (value is double d && !double.IsFinite(d))
            {
                fail(field, $"{field} must be a number; {(double.IsNaN(d) ? "NaN (.nan)" : "infinity (.inf)")} is not accepted");
            }
            else if (value is not null && property.PropertyType.Namespace == typeof(RunConfig).Namespace)
            {
                CheckFinite(value, field, fail);
            }
        }
    }

    private static void CheckPositive(double? value, string field, Action<string, string> fail)
    {
        if (value is <= 0)
        {
            fail(field, $"{field} must be positive");
        }
    }

    private static void CheckAtLeastOne(int? value, string field, Action<string, string> fail)
    {
        if (value is < 1)
        {
            fail(field, $"{field} must be at least 1");
        }
    }

    private static void CheckEnvName(string? name, string field, Action<string, string> fail)
    {
        if (name is not null && (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(name[0])))
        {
            fail(field, $"{field} is the NAME of an environment variable (like OPENAI_API_KEY), not a key; \"{Mask(name)}\" is not a variable name");
        }
    }

    // A value that is not a variable name may be a pasted key: never echo it whole.
    private static string Mask(string value) => value.Length <= 4 ? value : value[..2] + new string('*', Math.Min(8, value.Length - 2));

    private static string Explain(YamlException ex, string? field)
    {
        string message = ex.InnerException?.Message ?? ex.Message;
        if (message.Contains("not found on type", StringComparison.Ordinal) || message.Contains("Property '", StringComparison.Ordinal))
        {
            int start = message.IndexOf('\'', StringComparison.Ordinal);
            int end = start >= 0 ? message.IndexOf('\'', start + 1) : -1;
            string key = start >= 0 && end > start ? message[(start + 1)..end] : "?";
            return $"unknown key \"{key}\" (see docs/configuration.md for the keys)";
        }

        // Every other refusal of the deserializer is a value of the wrong shape; say what the key takes, in words
        // (its messages name .NET types).
        if (field is not null && ExpectedType(field) is { } expected)
        {
            return $"{field} takes {Describe(expected)}";
        }

        return message.StartsWith("(Line", StringComparison.Ordinal) && message.Contains("): ", StringComparison.Ordinal)
            ? message[(message.IndexOf("): ", StringComparison.Ordinal) + 3)..]
            : message;
    }

    /// <summary>The .NET type a dotted key of the configuration is read into, or null when the path names none.</summary>
    private static Type? ExpectedType(string field)
    {
        Type type = typeof(RunConfig);
        foreach (string part in field.Split('.'))
        {
            string name = part.Contains('[', StringComparison.Ordinal) ? part[..part.IndexOf('[', StringComparison.Ordinal)] : part;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                type = type.GetGenericArguments()[1];
            }
            else
            {
                var property = type.GetProperties().FirstOrDefault(p => UnderscoredNamingConvention.Instance.Apply(p.Name) == name);
                if (property is null)
                {
                    return null;
                }

                type = property.PropertyType;
            }

            if (part.Contains('[', StringComparison.Ordinal) && type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            {
                type = type.GetGenericArguments()[0];
            }
        }

        return Nullable.GetUnderlyingType(type) ?? type;
    }

    private static string Describe(Type type)
    {
        if (type == typeof(int) || type == typeof(long))
        {
            return "a whole number";
        }

        if (type == typeof(ulong))
        {
            return "a whole number, 0 or more";
        }

        if (type == typeof(double) || type == typeof(decimal))
        {
            return "a number";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(string))
        {
            return "one value (text)";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return $"a list of {Describe(type.GetGenericArguments()[0]).Replace("one value (text)", "text", StringComparison.Ordinal)} ([a, b] or lines starting with \"- \")";
        }

        return "a section of keys (key: value lines below it, or {key: value})";
    }

    private static SourcePosition Position(string yaml, Mark mark) => YamlGuard.PositionAt(yaml, mark);

    /// <summary>The dotted path of the key at a place in the document, if one is there.</summary>
    private static string? FieldAt(string yaml, Mark mark)
    {
        string? found = null;
        Walk(yaml, (path, node) =>
        {
            if (node.Start.Line == mark.Line && node.Start.Column <= mark.Column)
            {
                found = path;
            }
        });
        return found;
    }

    /// <summary>Where the value of a dotted key is in the document (its key line when the value is a section).</summary>
    private static SourcePosition? PositionOf(string yaml, string field)
    {
        SourcePosition? position = null;
        Walk(yaml, (path, node) =>
        {
            if (position is null && path == field)
            {
                position = YamlGuard.PositionAt(yaml, node.Start);
            }
        });
        return position;
    }

    private static void Walk(string yaml, Action<string, YamlNode> visit)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            return;
        }

        if (stream.Documents.Count == 0)
        {
            return;
        }

        void Visit(YamlNode node, string path)
        {
            if (node is YamlMappingNode mapping)
            {
                foreach (var (key, value) in mapping.Children)
                {
                    string name = key is YamlScalarNode scalar ? scalar.Value ?? "" : "?";
                    string child = path.Length == 0 ? name : path + "." + name;
                    visit(child, value is YamlScalarNode ? value : key);
                    Visit(value, child);
                }
            }
            else if (node is YamlSequenceNode sequence)
            {
                int index = 0;
                foreach (var item in sequence.Children)
                {
                    string child = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
                    visit(child, item);
                    Visit(item, child);
                }
            }
        }

        Visit(stream.Documents[0].RootNode, "");
    }
}
