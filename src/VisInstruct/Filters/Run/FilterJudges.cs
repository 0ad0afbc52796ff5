using VisInstruct.Backends.Composition;

namespace VisInstruct.Filters.Run;

/// <summary>The filters that ask models, built from the run's backends: blind (the <c>llm:</c> model), consistency (the judges).</summary>
public static class FilterJudges
{
    /// <summary>
    /// The judges for <paramref name="settings"/>, in <see cref="FilterNames.All"/> order. A model filter without its
    /// backend is an <see cref="ArgumentException"/> naming the config section it needs.
    /// </summary>
    public static IReadOnlyList<ISampleJudge> Create(RunBackends backends, FilterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(settings);
        var judges = new List<ISampleJudge>();
        if (settings.Runs(FilterNames.Blind))
        {
            var llm = backends.Llm ?? throw new ArgumentException(
                "the blind filter asks the llm: model without the image: configure llm: (endpoints, model) in --config");
            _ = llm; throw new ArgumentException("this build has no model judges yet");
        }

        if (settings.Runs(FilterNames.Consistency))
        {
            if (backends.Judges.Count == 0)
            {
                throw new ArgumentException("the consistency filter needs judges: configure vision: or filters.consistency.judges in --config");
            }

            int agree = settings.Consistency.AgreementFor(backends.Judges.Count);
            if (agree > backends.Judges.Count)
            {
                throw new ArgumentException($"filters.consistency.min_agree is {agree} but only {backends.Judges.Count} judges are configured");
            }

            throw new ArgumentException("this build has no model judges yet");
        }

        return judges;
    }
}
