using VisInstruct.Backends.Composition;
using VisInstruct.Filters.Judges;

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
            judges.Add(new BlindAnswerFilter(llm, settings.Blind));
        }

        if (settings.Runs(FilterNames.Consistency))
        {
            if (backends.Judges.Count == 0)
            {
                throw new ArgumentException(
                    "the consistency filter needs judges: configure vision: or filters.consistency.judges in --config");
            }

            int agree = settings.Consistency.AgreementFor(backends.Judges.Count);
            if (agree > backends.Judges.Count)
            {
                throw new ArgumentException(
                    $"filters.consistency.min_agree is {agree} but only {backends.Judges.Count} judges are configured");
            }

            judges.Add(new ConsistencyFilter(backends.Judges, settings.Consistency));
        }

        return judges;
    }
}
