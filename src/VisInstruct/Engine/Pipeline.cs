namespace VisInstruct.Engine;

/// <summary>
/// The stages a work item goes through, in order, each with the backend it waits on. Built with
/// <see cref="Pipeline.Start{T}"/> ... <c>Then</c> ... <c>Build()</c>; the last stage returns an <see cref="ItemResult"/>.
/// </summary>
public sealed class Pipeline
{
    internal Pipeline(IReadOnlyList<StageSpec> stages) => Stages = stages;

    internal IReadOnlyList<StageSpec> Stages { get; }

    /// <summary>The stage names, in order.</summary>
    public IReadOnlyList<string> StageNames => Stages.Select(s => s.Name).ToList();

    /// <summary>Starts a pipeline whose items carry inputs of type <typeparamref name="T"/>.</summary>
    public static PipelineBuilder<T> Start<T>() => new([]);
}

/// <summary>One stage: a name, the backend whose concurrency limit it uses (null for CPU work), and its function.</summary>
internal sealed record StageSpec(string Name, string? Backend, Func<object, SampleContext, CancellationToken, ValueTask<object>> Run);

/// <summary>Adds typed stages to a pipeline.</summary>
public sealed class PipelineBuilder<T>
{
    private readonly List<StageSpec> _stages;

    internal PipelineBuilder(List<StageSpec> stages) => _stages = stages;

    internal IReadOnlyList<StageSpec> Stages => _stages;

    /// <summary>
    /// Adds a stage. <paramref name="backend"/> names the backend it calls (<c>llm</c>, <c>images</c>): stages that
    /// share a backend share its concurrency limit. A stage fails its item by throwing
    /// <see cref="SampleFailedException"/>; any other exception is recorded as a failure too.
    /// </summary>
    public PipelineBuilder<TOut> Then<TOut>(string name, string? backend, Func<T, SampleContext, CancellationToken, ValueTask<TOut>> run)
        where TOut : notnull
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(run);
        if (_stages.Any(s => s.Name == name))
        {
            throw new ArgumentException($"a stage named {name} is already in the pipeline", nameof(name));
        }

        var stages = new List<StageSpec>(_stages)
        {
            new(name, backend, async (input, context, cancellationToken) =>
                await run((T)input, context, cancellationToken).ConfigureAwait(false)),
        };
        return new PipelineBuilder<TOut>(stages);
    }
}

/// <summary>Finishes a pipeline whose last stage makes the item's result.</summary>
public static class PipelineBuilderExtensions
{
    public static Pipeline Build(this PipelineBuilder<ItemResult> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Stages.Count == 0)
        {
            throw new InvalidOperationException("a pipeline needs at least one stage");
        }

        return new Pipeline(builder.Stages);
    }
}
