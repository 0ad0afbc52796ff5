// The other half: Right uses Left only inside a method body (a lambda, so through a compiler-generated nested type).
namespace VisInstruct.Tests.Architecture.Planted.Right;

internal sealed class RightType
{
    public Func<object> Make() => () => new Left.LeftType();
}
