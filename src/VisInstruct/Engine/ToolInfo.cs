using System.Reflection;

namespace VisInstruct.Engine;

/// <summary>The tool's name and version, as written into manifests.</summary>
public static class ToolInfo
{
    public const string Name = "visinstruct";

    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ToolInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
