namespace VisInstruct.Tests.Architecture;

/// <summary>No folder (namespace) of an assembly uses a folder that uses it back, directly or around a loop.</summary>
public class FolderCycleTests
{
    public static TheoryData<string, string> Assemblies() => new()
    {
        { typeof(VisInstruct.Engine.EngineOptions).Assembly.Location, "VisInstruct" },
        { typeof(VisInstruct.Cli.VisInstructCli).Assembly.Location, "VisInstruct.Cli" },
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void NoNamespaceCycle(string assembly, string prefix)
    {
        var graph = NamespaceGraph.Read(assembly, prefix);
        Assert.Empty(graph.Cycles());
    }

    [Fact]
    public void TheGraphHasTheArrowsTheCodeHas()
    {
        // Known arrows, one from a signature and one only from a method body (the CLI's root builds the commands).
        var library = NamespaceGraph.Read(typeof(VisInstruct.Engine.EngineOptions).Assembly.Location, "VisInstruct");
        Assert.Contains("VisInstruct.Json", library.UsesOf("VisInstruct.Config"));
        var cli = NamespaceGraph.Read(typeof(VisInstruct.Cli.VisInstructCli).Assembly.Location, "VisInstruct.Cli");
        Assert.Contains("VisInstruct.Cli.Commands", cli.UsesOf("VisInstruct.Cli"));
        Assert.DoesNotContain("VisInstruct.Cli", cli.UsesOf("VisInstruct.Cli.Commands"));
    }

    [Fact]
    public void FindsAPlantedCycle()
    {
        var graph = new NamespaceGraph();
        graph.Add("App.A", "App.B");
        graph.Add("App.B", "App.C");
        graph.Add("App.C", "App.A");
        graph.Add("App.C", "App.D");
        graph.Add("App.D", "App.D");
        Assert.Equal(["App.A -> App.B -> App.C -> App.A"], graph.Cycles());

        graph.Remove("App.C", "App.A");
        Assert.Empty(graph.Cycles());
    }

    [Fact]
    public void FindsACycleInACompiledAssembly()
    {
        // This test assembly's Architecture.Planted namespaces use each other (below), one way in a signature, the
        // other only in a method body.
        var graph = NamespaceGraph.Read(typeof(FolderCycleTests).Assembly.Location, "VisInstruct.Tests.Architecture.Planted");
        Assert.Equal(
            ["VisInstruct.Tests.Architecture.Planted.Left -> VisInstruct.Tests.Architecture.Planted.Right -> " +
                "VisInstruct.Tests.Architecture.Planted.Left"],
            graph.Cycles());
    }
}
