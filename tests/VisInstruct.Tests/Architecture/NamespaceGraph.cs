using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace VisInstruct.Tests.Architecture;

/// <summary>
/// Which namespace of one assembly uses which, read from the compiled assembly: every type a type names in its base
/// type, interfaces, fields, properties, method signatures, locals, attributes and method bodies (the IL's type,
/// method and field tokens). Compiler-generated nested types (lambdas, async state machines) count as the type that
/// declares them. Only types defined in the assembly are nodes; references to other assemblies are left out.
/// </summary>
/// <remarks>
/// The compiled assembly is read rather than the sources' usings: a using may be unused (an arrow that is not there),
/// and code in <c>A.B</c> names types of <c>A</c> with no using at all (an arrow a using scan misses).
/// </remarks>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);

    /// <summary>The namespaces that <paramref name="from"/> uses (never itself).</summary>
    public IReadOnlyCollection<string> UsesOf(string from) =>
        _edges.TryGetValue(from, out var to) ? to : (IReadOnlyCollection<string>)[];

    public IEnumerable<string> Namespaces => _edges.Keys;

    public void Add(string from, string to)
    {
        if (!_edges.TryGetValue(from, out var set))
        {
            _edges[from] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        if (!_edges.ContainsKey(to))
        {
            _edges[to] = new SortedSet<string>(StringComparer.Ordinal);
        }

        if (from != to)
        {
            set.Add(to);
        }
    }

    public void Remove(string from, string to)
    {
        if (_edges.TryGetValue(from, out var set))
        {
            set.Remove(to);
        }
    }

    /// <summary>
    /// The cycles: one per strongly connected component of more than one namespace, written as a path that starts and
    /// ends at the component's first namespace (<c>A -> B -> A</c>).
    /// </summary>
    public IReadOnlyList<string> Cycles()
    {
        var cycles = new List<string>();
        foreach (var component in Components().Where(c => c.Count > 1))
        {
            var members = component.ToHashSet(StringComparer.Ordinal);
            string start = component.Min(StringComparer.Ordinal)!;
            cycles.Add(string.Join(" -> ", PathBack(start, members)));
        }

        return cycles;
    }

    // A shortest way from start back to start inside its component (breadth first).
    private List<string> PathBack(string start, HashSet<string> members)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            string at = queue.Dequeue();
            foreach (string next in UsesOf(at).Where(members.Contains))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (string back = at; back != start; back = previous[back])
                    {
                        path.Add(back);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(next, at))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException($"{start} is in a component but no way leads back to it");
    }

    // Tarjan's strongly connected components.
    private List<List<string>> Components()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (string next in UsesOf(node))
            {
                if (!index.TryGetValue(next, out int seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string popped;
                do
                {
                    popped = stack.Pop();
                    onStack.Remove(popped);
                    component.Add(popped);
                }
                while (popped != node);
                components.Add(component);
            }
        }

        foreach (string node in _edges.Keys.Order(StringComparer.Ordinal).ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    /// <summary>
    /// The graph of the assembly file at <paramref name="path"/>, for the namespaces starting with <paramref name="prefix"/>.
    /// </summary>
    public static NamespaceGraph Read(string path, string prefix)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var graph = new NamespaceGraph();
        var provider = new TypeCollector(reader);
        foreach (var handle in reader.TypeDefinitions)
        {
            string from = NamespaceOf(reader, handle);
            if (!from.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            graph.Add(from, from);
            foreach (var used in UsedTypes(reader, pe, provider, handle))
            {
                string to = NamespaceOf(reader, used);
                if (to.StartsWith(prefix, StringComparison.Ordinal))
                {
                    graph.Add(from, to);
                }
            }
        }

        return graph;
    }

    /// <summary>A type's namespace; a nested type has its outermost declaring type's.</summary>
    private static string NamespaceOf(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        while (type.GetDeclaringType() is { IsNil: false } outer)
        {
            type = reader.GetTypeDefinition(outer);
        }

        return reader.GetString(type.Namespace);
    }

    private static HashSet<TypeDefinitionHandle> UsedTypes(MetadataReader reader, PEReader pe, TypeCollector provider,
        TypeDefinitionHandle handle)
    {
        var used = provider.Start();
        var type = reader.GetTypeDefinition(handle);
        provider.Add(type.BaseType);
        foreach (var implementation in type.GetInterfaceImplementations())
        {
            provider.Add(reader.GetInterfaceImplementation(implementation).Interface);
        }

        Attributes(reader, provider, type.GetCustomAttributes());
        foreach (var parameter in type.GetGenericParameters())
        {
            foreach (var constraint in reader.GetGenericParameter(parameter).GetConstraints())
            {
                provider.Add(reader.GetGenericParameterConstraint(constraint).Type);
            }
        }

        foreach (var field in type.GetFields().Select(reader.GetFieldDefinition))
        {
            field.DecodeSignature(provider, null);
            Attributes(reader, provider, field.GetCustomAttributes());
        }

        foreach (var property in type.GetProperties().Select(reader.GetPropertyDefinition))
        {
            property.DecodeSignature(provider, null);
            Attributes(reader, provider, property.GetCustomAttributes());
        }

        foreach (var method in type.GetMethods().Select(reader.GetMethodDefinition))
        {
            method.DecodeSignature(provider, null);
            Attributes(reader, provider, method.GetCustomAttributes());
            if (method.RelativeVirtualAddress != 0)
            {
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                {
                    reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
                }

                Body(body.GetILReader(), provider);
            }
        }

        return used;
    }

    private static void Attributes(MetadataReader reader, TypeCollector provider, CustomAttributeHandleCollection attributes)
    {
        foreach (var attribute in attributes)
        {
            provider.Add(reader.GetCustomAttribute(attribute).Constructor);
        }
    }

    // Every token operand of the IL: types, fields, methods (with their declaring types) and signatures.
    private static void Body(BlobReader il, TypeCollector provider)
    {
        while (il.RemainingBytes > 0)
        {
            var opCode = ReadOpCode(ref il);
            switch (OperandSize(opCode))
            {
                case OperandKind.Token:
                    provider.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandKind.Switch:
                    int count = il.ReadInt32();
                    il.Offset += count * 4;
                    break;
                case var size:
                    il.Offset += (int)size;
                    break;
            }
        }
    }

    private static ILOpCode ReadOpCode(ref BlobReader il)
    {
        byte first = il.ReadByte();
        return first == 0xFE ? (ILOpCode)(0xFE00 | il.ReadByte()) : (ILOpCode)first;
    }

    private enum OperandKind
    {
        None = 0,
        Byte = 1,
        Int32 = 4,
        Int64 = 8,
        Token = -1,
        Switch = -2,
    }

    private static OperandKind OperandSize(ILOpCode opCode) => opCode switch
    {
        ILOpCode.Ldtoken or ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldfld or ILOpCode.Ldflda
            or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld or ILOpCode.Ldftn or ILOpCode.Ldvirtftn
            or ILOpCode.Jmp or ILOpCode.Box or ILOpCode.Unbox or ILOpCode.Unbox_any or ILOpCode.Castclass or ILOpCode.Isinst
            or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Ldobj or ILOpCode.Stobj
            or ILOpCode.Cpobj or ILOpCode.Initobj or ILOpCode.Sizeof or ILOpCode.Mkrefany or ILOpCode.Refanyval
            or ILOpCode.Constrained or ILOpCode.Calli => OperandKind.Token,
        ILOpCode.Ldstr => OperandKind.Int32,
        ILOpCode.Switch => OperandKind.Switch,
        ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8 => OperandKind.Int64,
        ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Br or ILOpCode.Brfalse or ILOpCode.Brtrue or ILOpCode.Beq or ILOpCode.Bge
            or ILOpCode.Bgt or ILOpCode.Ble or ILOpCode.Blt or ILOpCode.Bne_un or ILOpCode.Bge_un or ILOpCode.Bgt_un
            or ILOpCode.Ble_un or ILOpCode.Blt_un or ILOpCode.Leave => OperandKind.Int32,
        ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => (OperandKind)2,
        ILOpCode.Ldc_i4_s or ILOpCode.Br_s or ILOpCode.Brfalse_s or ILOpCode.Brtrue_s or ILOpCode.Beq_s or ILOpCode.Bge_s
            or ILOpCode.Bgt_s or ILOpCode.Ble_s or ILOpCode.Blt_s or ILOpCode.Bne_un_s or ILOpCode.Bge_un_s or ILOpCode.Bgt_un_s
            or ILOpCode.Ble_un_s or ILOpCode.Blt_un_s or ILOpCode.Leave_s or ILOpCode.Ldarg_s or ILOpCode.Ldarga_s
            or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s
            or ILOpCode.Unaligned => OperandKind.Byte,
        _ => OperandKind.None,
    };

    /// <summary>Decodes signatures and resolves tokens, collecting the type definitions they name.</summary>
    private sealed class TypeCollector(MetadataReader reader) : ISignatureTypeProvider<object?, object?>
    {
        private HashSet<TypeDefinitionHandle> _found = [];

        public HashSet<TypeDefinitionHandle> Start() => _found = [];

        public void Add(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    _found.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.FieldDefinition:
                    var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    _found.Add(field.GetDeclaringType());
                    field.DecodeSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    _found.Add(method.GetDeclaringType());
                    method.DecodeSignature(this, null);
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    Add(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        member.DecodeMethodSignature(this, null);
                    }
                    else
                    {
                        member.DecodeFieldSignature(this, null);
                    }

                    break;
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(specification.Method);
                    specification.DecodeSignature(this, null);
                    break;
                case HandleKind.StandaloneSignature:
                    var signature = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (signature.GetKind() == StandaloneSignatureKind.Method)
                    {
                        signature.DecodeMethodSignature(this, null);
                    }

                    break;
            }
        }

        public object? GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            _found.Add(handle);
            return null;
        }

        public object? GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => null;

        public object? GetTypeFromSpecification(MetadataReader metadata, object? context, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            metadata.GetTypeSpecification(handle).DecodeSignature(this, context);
            return null;
        }

        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;

        public object? GetSZArrayType(object? elementType) => null;

        public object? GetArrayType(object? elementType, ArrayShape shape) => null;

        public object? GetByReferenceType(object? elementType) => null;

        public object? GetPointerType(object? elementType) => null;

        public object? GetPinnedType(object? elementType) => null;

        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;

        public object? GetGenericTypeParameter(object? genericContext, int index) => null;

        public object? GetGenericMethodParameter(object? genericContext, int index) => null;

        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;

        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;
    }
}
