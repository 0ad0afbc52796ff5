using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VisInstruct.Json;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// The prompt of one task: a system message, few-shot examples (user context, assistant answer) in order, and where
/// it came from (the built-in default, or a file).
/// </summary>
public sealed record TaskPrompt(string System, IReadOnlyList<(string User, string Assistant)> FewShot, string Source)
{
    public bool Equals(TaskPrompt? other) =>
        other is not null && System == other.System && Source == other.Source && FewShot.SequenceEqual(other.FewShot);

    public override int GetHashCode() => HashCode.Combine(System, FewShot.Count, Source);
}

/// <summary>
/// The prompts of one recipe, per task. <see cref="Defaults"/> are VisInstruct's own wording (they ask for the same
/// tasks and output formats as SVIT and LLaVA); <see cref="Load"/> reads a folder in the recipe's
/// <see cref="PromptLayout"/>: like SVIT's <c>prompts/</c> (<c>&lt;task&gt;.txt</c>, a system message each) or LLaVA's
/// <c>playground/data/prompts/</c> (<c>&lt;task&gt;/system_message.txt</c> and <c>NNN_caps.txt</c>/<c>NNN_conv.txt</c> few-shot pairs).
/// </summary>
public sealed partial class PromptSet
{
    public const string SystemRole = "system";
    public const string UserRole = "user";
    public const string AssistantRole = "assistant";

    private const string ResourcePrefix = "VisInstruct.Prompts/";

    private static readonly Lazy<Dictionary<string, string>> ResourceNames = new(() =>
        typeof(PromptSet).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToDictionary(n => n[ResourcePrefix.Length..].Replace('\\', '/'), n => n, StringComparer.Ordinal));

    private readonly Dictionary<AnnotatedTask, TaskPrompt> _tasks;

    private PromptSet(string recipe, Dictionary<AnnotatedTask, TaskPrompt> tasks)
    {
        Recipe = recipe;
        _tasks = tasks;
    }

    /// <summary>The recipe's name (<c>svit</c>, <c>llava-instruct</c>).</summary>
    public string Recipe { get; }

    /// <summary>The recipe's tasks and their prompts.</summary>
    public IReadOnlyDictionary<AnnotatedTask, TaskPrompt> Tasks => _tasks;

    public TaskPrompt this[AnnotatedTask task] => _tasks.TryGetValue(task, out var prompt)
        ? prompt
        : throw new ArgumentException($"recipe {Recipe} has no task {task.FileName()}", nameof(task));

    /// <summary>The built-in prompts of a recipe (<c>svit</c>: 4 tasks; <c>llava-instruct</c>: 3).</summary>
    public static PromptSet Defaults(AnnotatedRecipeBase recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return new PromptSet(recipe.Name, recipe.TaskWriters.ToDictionary(t => t.Task, t => Default(recipe, t.Task)));
    }

    /// <summary>
    /// Prompts read from <paramref name="dir"/>. SVIT layout: <c>&lt;task&gt;.txt</c>, used as the system message with
    /// its bytes as they are (UTF-8; a byte-order mark is dropped, nothing is trimmed). LLaVA layout:
    /// <c>&lt;task&gt;/system_message.txt</c> and <c>NNN_caps.txt</c> (user) / <c>NNN_conv.txt</c> (assistant) pairs
    /// in numeric order. A task missing from the folder keeps the built-in default, and its <see cref="TaskPrompt.Source"/>
    /// says so. An unreadable or empty file, or a few-shot file without its partner, is an <see cref="InputFormatException"/>.
    /// </summary>
    public static PromptSet Load(string dir, AnnotatedRecipeBase recipe)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(recipe);
        if (!Directory.Exists(dir))
        {
            throw new InputFormatException(dir, "prompt folder not found");
        }

        var prompts = new Dictionary<AnnotatedTask, TaskPrompt>();
        foreach (var task in recipe.TaskWriters.Select(t => t.Task))
        {
            prompts[task] = recipe.PromptLayout == PromptLayout.SystemFiles
                ? LoadSystemFile(dir, recipe, task)
                : LoadTaskFolder(dir, recipe, task);
        }

        return new PromptSet(recipe.Name, prompts);
    }

    /// <summary>
    /// The chat messages for one request: the system message, the few-shot pairs as user/assistant messages in order,
    /// then <paramref name="context"/> as the last user message.
    /// </summary>
    public IReadOnlyList<(string Role, string Content)> BuildMessages(AnnotatedTask task, string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prompt = this[task];
        var messages = new List<(string Role, string Content)>(2 + (2 * prompt.FewShot.Count)) { (SystemRole, prompt.System) };
        foreach (var (user, assistant) in prompt.FewShot)
        {
            messages.Add((UserRole, user));
            messages.Add((AssistantRole, assistant));
        }

        messages.Add((UserRole, context));
        return messages;
    }

    /// <summary>The text of a built-in prompt file (path relative to the <c>Prompts</c> folder), without its final newline.</summary>
    internal static string? BuiltInText(string relativePath)
    {
        if (!ResourceNames.Value.TryGetValue(relativePath, out string? name))
        {
            return null;
        }

        using var stream = typeof(PromptSet).Assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string text = reader.ReadToEnd();
        // The source files end with a newline (the repository's editor settings); the prompts themselves do not.
        return text.EndsWith('\n') ? text[..^1] : text;
    }

    /// <summary>The built-in prompt files under a folder (relative paths), sorted.</summary>
    internal static IEnumerable<string> BuiltInFiles(string folder) =>
        ResourceNames.Value.Keys.Where(k => k.StartsWith(folder + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    private static TaskPrompt Default(AnnotatedRecipeBase recipe, AnnotatedTask task, string? why = null)
    {
        string source = "built-in default" + (why is null ? "" : " (" + why + ")");
        if (recipe.PromptLayout == PromptLayout.SystemFiles)
        {
            string system = BuiltInText($"{recipe.Name}/{task.FileName()}.txt")
                ?? throw new InvalidOperationException(
                    $"the built-in {recipe.Name} prompt for {task.FileName()} is missing from the assembly");
            return new TaskPrompt(system, [], source);
        }

        string folder = $"{recipe.Name}/{task.FileName()}";
        string llavaSystem = BuiltInText(folder + "/system_message.txt")
            ?? throw new InvalidOperationException(
                $"the built-in {recipe.Name} prompt for {task.FileName()} is missing from the assembly");
        var pairs = new List<(string, string)>();
        foreach (string file in BuiltInFiles(folder))
        {
            var m = CapsFile().Match(file[(folder.Length + 1)..]);
            if (m.Success)
            {
                pairs.Add((BuiltInText(file)!, BuiltInText($"{folder}/{m.Groups[1].Value}_conv.txt")!));
            }
        }

        return new TaskPrompt(llavaSystem, pairs, source);
    }

    private static TaskPrompt LoadSystemFile(string dir, AnnotatedRecipeBase recipe, AnnotatedTask task)
    {
        string path = Path.Combine(dir, task.FileName() + ".txt");
        return File.Exists(path)
            ? new TaskPrompt(ReadPromptFile(path), [], path)
            : Default(recipe, task, $"no {task.FileName()}.txt in {dir}");
    }

    private static TaskPrompt LoadTaskFolder(string dir, AnnotatedRecipeBase recipe, AnnotatedTask task)
    {
        string folder = Path.Combine(dir, task.FileName());
        if (!Directory.Exists(folder))
        {
            return Default(recipe, task, $"no {task.FileName()}/ in {dir}");
        }

        string systemPath = Path.Combine(folder, "system_message.txt");
        if (!File.Exists(systemPath))
        {
            throw new InputFormatException(systemPath, $"the {task.FileName()} prompt folder has no system_message.txt");
        }

        string system = ReadPromptFile(systemPath);
        var caps = new SortedDictionary<(long, string), string>();
        var convs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(file);
            if (CapsFile().Match(name) is { Success: true } c)
            {
                caps[(Number(c.Groups[1].Value), c.Groups[1].Value)] = file;
            }
            else if (ConvFile().Match(name) is { Success: true } v)
            {
                convs[v.Groups[1].Value] = file;
            }
        }

        var pairs = new List<(string, string)>();
        foreach (var ((_, number), capsPath) in caps)
        {
            if (!convs.Remove(number, out string? convPath))
            {
                throw new InputFormatException(capsPath,
                    $"few-shot input {number}_caps.txt has no answer file {number}_conv.txt beside it");
            }

            pairs.Add((ReadPromptFile(capsPath), ReadPromptFile(convPath)));
        }

        if (convs.Count > 0)
        {
            var (number, convPath) = convs.OrderBy(p => p.Key, StringComparer.Ordinal).First();
            throw new InputFormatException(convPath, $"few-shot answer {number}_conv.txt has no input file {number}_caps.txt beside it");
        }

        return new TaskPrompt(system, pairs, folder);
    }

    private static long Number(string digits) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : long.MaxValue;

    /// <summary>A prompt file's text: strict UTF-8, a leading byte-order mark dropped, otherwise as it is.</summary>
    private static string ReadPromptFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFormatException(path, "cannot read the prompt file: " + ex.Message, innerException: ex);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InputFormatException(path, "the prompt file is not valid UTF-8", innerException: ex);
        }

        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InputFormatException(path, "the prompt file is empty");
        }

        return text;
    }

    [GeneratedRegex(@"^([0-9]+)_caps\.txt$", RegexOptions.CultureInvariant)]
    private static partial Regex CapsFile();

    [GeneratedRegex(@"^([0-9]+)_conv\.txt$", RegexOptions.CultureInvariant)]
    private static partial Regex ConvFile();
}
