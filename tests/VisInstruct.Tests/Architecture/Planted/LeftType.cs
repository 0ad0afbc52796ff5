// Half of a cycle planted for FolderCycleTests.FindsACycleInACompiledAssembly: Left uses Right in a signature.
namespace VisInstruct.Tests.Architecture.Planted.Left;

internal sealed class LeftType
{
    public Right.RightType? Partner { get; set; }
}
