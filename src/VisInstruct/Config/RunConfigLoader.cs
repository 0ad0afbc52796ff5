using VisInstruct.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace VisInstruct.Config;

/// <summary>
/// Reads and checks a run configuration. Unknown keys, wrong types and out-of-range values are bad input, named with
/// the file, line, column and key (each section checks its own keys: <see cref="RunConfig"/>'s <c>Validate</c>).
/// </summary>
public static class RunConfigLoader
{
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
        path is null ? null
        : Path.IsPathRooted(path) || configFile is null ? path
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile)) ?? ".", path);

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
            string? field = YamlPaths.FieldAt(yaml, ex.Start);
            throw new InputFormatException(file, YamlErrors.Explain(ex, field), YamlGuard.PositionAt(yaml, ex.Start), field,
                innerException: ex);
        }

        config.Validate(new ConfigCheck(yaml, file));
        return config;
    }
}
