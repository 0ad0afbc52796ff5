using System.Globalization;
using System.Text;
using VisInstruct.Datasets;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Mix;

/// <summary>
/// The card of a mix: <c>mix.json</c> (every source with its path, spec, image folder, samples read, refused by
/// reason, duplicates, usable, taken and held out, per group; the seed, caps, image mode, holdout and the command)
/// and <c>README.md</c>, the same facts for a reader.
/// </summary>
internal static class MixCard
{
    public const string CardFile = "mix.json";

    public static void WriteRefusal(PythonJsonWriter writer, (MixSource Source, Refusal Refusal) item) =>
        item.Refusal.Write(writer, item.Source.Name);

    public static void Write(string output, MixOptions options, MixResult result, StagedOutput staged)
    {
        using (var stream = staged.Create(Path.Combine(output, CardFile)))
        using (var writer = new PythonJsonWriter(stream, JsonStyle.Indented(2)))
        {
            WriteJson(writer, options, result);
            writer.WriteNewLine();
        }

        using var readme = new StreamWriter(staged.Create(Path.Combine(output, "README.md")), new UTF8Encoding(false));
        readme.Write(Markdown(options, result));
    }

    private static void WriteJson(PythonJsonWriter writer, MixOptions options, MixResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("tool", "visinstruct mix");
        writer.WriteString("command", options.Command);
        writer.WriteNumber("seed", unchecked((long)options.Seed));
        writer.WriteString("images", Mode(options.Images));
        if (options.ImageRoot is { } root)
        {
            writer.WriteString("image_root", Path.GetFullPath(root));
        }

        writer.WriteNumber("holdout_ratio", options.Holdout);
        writer.WritePropertyName("files");
        writer.WriteStartObject();
        writer.WriteNumber("llava.json", result.Single);
        writer.WriteNumber("llava_multi.json", result.Multi);
        writer.WriteNumber("holdout.json", result.Holdout);
        writer.WriteEndObject();
        writer.WriteNumber("refused", result.Refused);
        writer.WriteNumber("duplicates_removed", result.Duplicates);
        writer.WriteNumber("ids_renamed", result.IdsRenamed);
        writer.WritePropertyName("caps");
        writer.WriteStartArray();
        foreach (var cap in options.Caps)
        {
            writer.WriteStartObject();
            writer.WriteString("source", cap.Source ?? "*");
            writer.WriteString("group", cap.Group);
            writer.WriteString("take", cap.Take.Text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("sources");
        writer.WriteStartArray();
        foreach (var source in result.Sources)
        {
            WriteSource(writer, source);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSource(PythonJsonWriter writer, MixSource source)
    {
        writer.WriteStartObject();
        writer.WriteString("name", source.Name);
        writer.WriteString("path", Path.GetFullPath(source.Input.Path));
        writer.WriteString("spec", source.Input.Take.Text);
        writer.WriteString("image_folder", Path.GetFullPath(source.Dataset.ImageRoot!));
        if (source.Dataset.Recipe is { } recipe)
        {
            writer.WriteString("recipe", recipe);
        }

        writer.WriteNumber("samples_read", source.Read);
        writer.WritePropertyName("refused");
        writer.WriteStartObject();
        foreach (var (reason, count) in source.Refusals.Counts)
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
        writer.WriteNumber("duplicates_removed", source.Duplicates);
        writer.WriteNumber("usable", source.Usable);
        writer.WriteNumber("target", source.Target);
        writer.WriteNumber("taken", source.Taken);
        writer.WriteNumber("held_out", source.HeldOut);
        writer.WritePropertyName("groups");
        writer.WriteStartObject();
        foreach (var (name, g) in source.Groups)
        {
            writer.WritePropertyName(name);
            writer.WriteStartObject();
            writer.WriteNumber("read", g.Read);
            writer.WriteNumber("refused", g.Refused);
            writer.WriteNumber("duplicates", g.Duplicates);
            writer.WriteNumber("usable", g.Usable);
            writer.WriteNumber("capped", g.Capped);
            writer.WriteNumber("taken", g.Taken);
            writer.WriteNumber("held_out", g.HeldOut);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string Markdown(MixOptions options, MixResult result)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append("# Training mix\n\n");
        text.Append(c, $"Made by `visinstruct mix` with seed {options.Seed}: {result.Single:N0} samples in `llava.json`");
        text.Append(c, $", {result.Multi:N0} in `llava_multi.json`, {result.Holdout:N0} held out in `holdout.json`");
        text.Append(c, $" (share {options.Holdout}). {result.Refused:N0} samples were refused (listed in `refused.jsonl`), ");
        text.Append(c, $"{result.Duplicates:N0} exact duplicates removed, {result.IdsRenamed:N0} repeated ids given a `~N` suffix.\n\n");
        text.Append(options.Images == ImageMode.Rebase
            ? $"Image paths are relative to `{Path.GetFullPath(options.ImageRoot!)}` (train with `--image_folder` set to it).\n\n"
            : $"Images are under `images/<source>/` ({Mode(options.Images)}); train with `--image_folder` set to this folder.\n\n");
        text.Append("| source | spec | read | refused | duplicates | usable | taken | held out |\n");
        text.Append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var s in result.Sources)
        {
            text.Append(c, $"| {s.Name} | {s.Input.Take.Text} | {s.Read:N0} | {s.Refusals.Total:N0} | {s.Duplicates:N0} | ");
            text.Append(c, $"{s.Usable:N0} | {s.Taken:N0} | {s.HeldOut:N0} |\n");
        }

        foreach (var s in result.Sources)
        {
            text.Append(c, $"\n## {s.Name}\n\n`{Path.GetFullPath(s.Input.Path)}`, ");
            text.Append(c, $"images from `{Path.GetFullPath(s.Dataset.ImageRoot!)}`.\n\n");
            text.Append("| group | read | refused | duplicates | usable | after cap | taken | held out |\n");
            text.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (var (name, g) in s.Groups)
            {
                text.Append(c, $"| {name} | {g.Read:N0} | {g.Refused:N0} | {g.Duplicates:N0} | {g.Usable:N0} | {g.Capped:N0} | ");
                text.Append(c, $"{g.Taken:N0} | {g.HeldOut:N0} |\n");
            }

            if (s.Refusals.Total > 0)
            {
                text.Append("\nRefused:\n\n```\n");
                foreach (string line in s.Refusals.Describe())
                {
                    text.Append(line).Append('\n');
                }

                text.Append("```\n");
            }
        }

        text.Append(c, $"\n## Command\n\n```\n{options.Command}\n```\n");
        return text.ToString();
    }

    private static string Mode(ImageMode mode) => mode switch
    {
        ImageMode.Copy => "copy",
        ImageMode.Link => "link",
        _ => "rebase",
    };
}
