using System.Text;
using System.Text.Json;
using VisInstruct.Json;

namespace VisInstruct.Config;

/// <summary>A configuration as JSON text.</summary>
public static class ConfigJson
{
    public static string Write(RunConfig config) => JsonSerializer.Serialize(config, ConfigJsonContext.Default.RunConfig);

    /// <summary>
    /// The manifest's resolved configuration: one object with what the recipe decided first (written by
    /// <paramref name="head"/>), then every key of the configuration.
    /// </summary>
    public static string Resolved(RunConfig config, Action<PythonJsonWriter> head)
    {
        ArgumentNullException.ThrowIfNull(head);
        using var document = JsonDocument.Parse(Write(config));
        using var buffer = new MemoryStream();
        using (var writer = new PythonJsonWriter(buffer, JsonStyle.Compact, leaveOpen: true))
        {
            writer.WriteStartObject();
            head(writer);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                writer.WritePropertyName(property.Name);
                writer.WriteValue(property.Value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
