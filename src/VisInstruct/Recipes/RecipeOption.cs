namespace VisInstruct.Recipes;

/// <summary>The kinds of value a recipe option takes on the command line.</summary>
public enum RecipeOptionKind
{
    /// <summary>A whole number (<c>--count 40</c>).</summary>
    Integer,

    /// <summary>A path or any other single string.</summary>
    Text,

    /// <summary>A comma-separated list (<c>--tasks conversation,referring_qa</c>).</summary>
    List,
}

/// <summary>
/// A command-line option a recipe reads, declared once (as a static field of the recipe) and used both to build the
/// command and to read its value from <see cref="RecipeArguments"/>. Recipes that share an option name share the
/// option; the help lists each recipe's description of it.
/// </summary>
public sealed record RecipeOption(string Name, RecipeOptionKind Kind, string Description)
{
    public static RecipeOption Integer(string name, string description) => new(name, RecipeOptionKind.Integer, description);

    public static RecipeOption Text(string name, string description) => new(name, RecipeOptionKind.Text, description);

    public static RecipeOption List(string name, string description) => new(name, RecipeOptionKind.List, description);
}

/// <summary>The values given for recipe options (absent ones read as null).</summary>
public sealed class RecipeArguments
{
    private readonly Dictionary<string, object> _values;

    public RecipeArguments(IEnumerable<KeyValuePair<RecipeOption, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (option, value) in values)
        {
            if (value is null)
            {
                continue;
            }

            bool fits = option.Kind switch
            {
                RecipeOptionKind.Integer => value is int,
                RecipeOptionKind.Text => value is string,
                RecipeOptionKind.List => value is IReadOnlyList<string>,
                _ => false,
            };
            if (!fits)
            {
                throw new ArgumentException($"{option.Name} takes a {option.Kind}, not {value.GetType().Name}", nameof(values));
            }

            _values[option.Name] = value;
        }
    }

    public static RecipeArguments Empty { get; } = new([]);

    public int? Integer(RecipeOption option) => Get(option, RecipeOptionKind.Integer) is int value ? value : null;

    public string? Text(RecipeOption option) => (string?)Get(option, RecipeOptionKind.Text);

    public IReadOnlyList<string>? List(RecipeOption option) => (IReadOnlyList<string>?)Get(option, RecipeOptionKind.List);

    private object? Get(RecipeOption option, RecipeOptionKind kind)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (option.Kind != kind)
        {
            throw new ArgumentException($"{option.Name} is a {option.Kind} option, read as {kind}", nameof(option));
        }

        return _values.GetValueOrDefault(option.Name);
    }
}
