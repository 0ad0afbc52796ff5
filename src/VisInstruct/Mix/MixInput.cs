namespace VisInstruct.Mix;

/// <summary>
/// One <c>--input</c> of a mix: the dataset folder or LLaVA file, how much of it to take, the image folder its image
/// paths are relative to (null: the dataset's own), and the name it is known by in the card, in the ids it gets and
/// under <c>images/</c>.
/// </summary>
public sealed record MixInput(string Path, TakeSpec Take, string Name, string? ImageFolder = null)
{
    /// <summary>The argument as the user wrote it.</summary>
    public string Argument { get; init; } = Path;

    /// <summary>
    /// Splits <c>PATH[:SPEC]</c>: only a last <c>:</c> segment shaped as a spec (<see cref="TakeSpec.TryParse"/>) is
    /// one, so paths with colons need no quoting. <paramref name="exists"/> tells whether a path is there, to word
    /// the error for a spec that is neither a spec nor part of an existing path. Throws <see cref="ArgumentException"/>
    /// with a message naming the argument.
    /// </summary>
    public static (string Path, TakeSpec Take) Split(string argument, Func<string, bool> exists)
    {
        ArgumentException.ThrowIfNullOrEmpty(argument);
        ArgumentNullException.ThrowIfNull(exists);
        int colon = argument.LastIndexOf(':');
        if (colon > 0 && colon < argument.Length - 1 && !exists(argument))
        {
            string tail = argument[(colon + 1)..];
            string head = argument[..colon];
            var take = TakeSpec.TryParse(tail, out string? error);
            if (error is not null)
            {
                throw new ArgumentException($"--input {argument}: {error}");
            }

            if (take is not null)
            {
                return exists(head) ? (head, take)
                    : throw new ArgumentException($"--input {argument}: no such file or folder {head}");
            }

            if (exists(head))
            {
                throw new ArgumentException($"--input {argument}: \"{tail}\" is not a count (50000), a ratio (0.5) or a weight (2x)");
            }
        }

        return exists(argument) ? (argument, TakeSpec.All) : throw new ArgumentException($"--input {argument}: no such file or folder");
    }

    /// <summary>
    /// The name a path is known by: the folder's or file's name without extension, reduced to letters, digits,
    /// <c>.</c>, <c>_</c> and <c>-</c>; names taken already get <c>-2</c>, <c>-3</c>, ... in input order.
    /// </summary>
    public static string NameFor(string path, ICollection<string> taken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(taken);
        string trimmed = path.TrimEnd('/', '\\');
        string stem = Directory.Exists(trimmed) ? System.IO.Path.GetFileName(trimmed) : System.IO.Path.GetFileNameWithoutExtension(trimmed);
        if (stem.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            stem = stem[..^5];
        }

        string clean = string.Concat(stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_')).Trim('.');
        if (clean.Length == 0)
        {
            clean = "source";
        }

        string name = clean;
        for (int n = 2; taken.Contains(name); n++)
        {
            name = FormattableString.Invariant($"{clean}-{n}");
        }

        taken.Add(name);
        return name;
    }
}
