using System.Globalization;
using System.Text;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;
using VisInstruct.Formats;

namespace VisInstruct.Filters.Judges;

/// <summary>
/// Flags dialogues that the vision judges do not find in the image. Each judge sees the sample's images and its
/// dialogue and answers in JSON: in claims mode it lists the factual claims the assistant makes about the image, each
/// holding or not (it accepts when all hold, and when there are none); in score mode it rates the dialogue from 1 to
/// 5 (it accepts at <see cref="ConsistencyOptions.MinScore"/> or above). The sample is kept when at least
/// <see cref="ConsistencyOptions.AgreementFor"/> judges accept. An answer that does not parse after the repair turn
/// fails the item; no verdict is guessed.
/// </summary>
public sealed class ConsistencyFilter : ISampleJudge
{
    public const string Inconsistent = "inconsistent";

    private const int DetailLength = 300;

    private const string ClaimsSystem =
        "You check a conversation about an image against the image itself. Find every factual statement the assistant's "
        + "answers make about what the image shows: objects, their number, colours, sizes, positions, text, actions, "
        + "the setting. For each one, say whether the image bears it out (holds: true) or not (holds: false: it is "
        + "wrong, or nothing in the image supports it). Leave out statements that are not about the image, such as "
        + "general knowledge or advice. Write each claim as a short sentence.";

    private const string ScoreSystem =
        "You check a conversation about an image against the image itself. Rate how well the assistant's answers agree "
        + "with what the image shows, from 1 to 5: 5 when every statement about the image is right, 4 when there is "
        + "only a minor slip, 3 when some statements are wrong, 2 when most are wrong, 1 when the answers describe "
        + "something else. Give the reason in one sentence.";

    private readonly IReadOnlyList<LlmService> _judges;
    private readonly ConsistencyOptions _options;
    private readonly int _required;

    public ConsistencyFilter(IReadOnlyList<LlmService> judges, ConsistencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(judges);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (judges.Count == 0)
        {
            throw new ArgumentException("the consistency filter needs at least one judge", nameof(judges));
        }

        _judges = [.. judges];
        _required = options.AgreementFor(judges.Count);
        if (_required < 1 || _required > judges.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(options),
                $"min_agree must be between 1 and the {judges.Count} judges (got {_required})");
        }

        if (options.MinScore is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "min_score must be between 1 and 5");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, 1, nameof(options));
    }

    public string Name => FilterNames.Consistency;

    public string Backend => _judges[0].Name;

    public string Settings => string.Create(CultureInfo.InvariantCulture,
        $"consistency: mode={(_options.Mode == ConsistencyMode.Score ? "score" : "claims")} min_score={_options.MinScore} ")
        + string.Create(CultureInfo.InvariantCulture, $"min_agree={_required} of {_judges.Count} max_tokens={_options.MaxTokens} ")
        + "judges=[" + string.Join(", ", _judges.Select(j => j.Model)) + "]";

    public async ValueTask<FilterVerdict> JudgeAsync(FilterSubject subject, SampleContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Images.Count == 0)
        {
            // Nothing to hold the dialogue against.
            return FilterVerdict.Pass(subject.Id, Name) with { Checked = 0, Hits = 0, Detail = "no image" };
        }

        string dialogue = Dialogue(subject.Sample.Sample);
        var verdicts = await Task.WhenAll(_judges.Select((judge, i) => AskAsync(judge, i, subject, dialogue, context, cancellationToken)))
            .ConfigureAwait(false);
        int accepting = verdicts.Count(v => v.Accepts);
        bool flagged = accepting < _required;
        return new FilterVerdict(subject.Id, Name, verdicts.Average(v => v.Score), flagged, flagged ? Inconsistent : null)
        {
            Checked = verdicts.Length,
            Hits = accepting,
            Detail = BlindAnswerFilter.Cut(string.Join("; ", verdicts.Select(v => v.Note)), DetailLength),
        };
    }

    /// <summary>One judge's verdict: whether it accepts, its score (share of claims that hold, or 1-5), and a note.</summary>
    private sealed record JudgeVerdict(bool Accepts, double Score, string Note);

    private async Task<JudgeVerdict> AskAsync(LlmService judge, int index, FilterSubject subject, string dialogue, SampleContext context,
        CancellationToken cancellationToken)
    {
        bool claims = _options.Mode == ConsistencyMode.Claims;
        string instruction = claims
            ? "Reply with only a JSON object: {\"claims\": [{\"claim\": \"...\", \"holds\": true}]} "
                + "(an empty list when the answers state nothing about the image)."
            : "Reply with only a JSON object: {\"score\": 1-5, \"reason\": \"...\"}.";
        var request = new LlmRequest
        {
            Messages =
            [
                LlmMessage.System(claims ? ClaimsSystem : ScoreSystem),
                LlmMessage.User($"The conversation:\n\n{dialogue}\n\n{instruction}", subject.Images),
            ],
            Temperature = 0,
            MaxTokens = _options.MaxTokens,
            Seed = context.SeedFor(string.Create(CultureInfo.InvariantCulture, $"consistency/{index}")),
        };
        if (!claims)
        {
            var scored = await judge.CompleteJsonAsync(context.Key, context.Gateway, request, JudgeSchemas.Score,
                JudgesJsonContext.Default.ScoreAnswer, a => a.Score is < 1 or > 5 ? "the score must be an integer from 1 to 5" : null,
                cancellationToken).ConfigureAwait(false);
            return new JudgeVerdict(scored.Score >= _options.MinScore, scored.Score,
                string.Create(CultureInfo.InvariantCulture, $"{judge.Model}: {scored.Score}"));
        }

        var listed = await judge.CompleteJsonAsync(context.Key, context.Gateway, request, JudgeSchemas.Claims,
            JudgesJsonContext.Default.ClaimsAnswer,
            a => a.Claims.Any(c => c is null || string.IsNullOrWhiteSpace(c.Claim)) ? "every claim needs its text" : null,
            cancellationToken).ConfigureAwait(false);
        int total = listed.Claims.Count;
        int hold = listed.Claims.Count(c => c.Holds);
        string note = string.Create(CultureInfo.InvariantCulture, $"{judge.Model}: {hold}/{total} claims hold");
        if (listed.Claims.FirstOrDefault(c => !c.Holds) is { } failing)
        {
            note += $" (\"{BlindAnswerFilter.Cut(failing.Claim, 60)}\" does not)";
        }

        return new JudgeVerdict(hold == total, total == 0 ? 1.0 : (double)hold / total, note);
    }

    /// <summary>The dialogue as the judges read it: one line per turn, <c>&lt;image&gt;</c> tokens removed.</summary>
    internal static string Dialogue(LlavaSample sample)
    {
        var sb = new StringBuilder();
        foreach (var turn in sample.Conversations)
        {
            string text = ClosedFormQuestions.StripImageTokens(turn.Value);
            if (text.Length > 0)
            {
                sb.Append(turn.From == LlavaTurn.Gpt ? "Assistant: " : "User: ").Append(text).Append('\n');
            }
        }

        return sb.ToString().TrimEnd();
    }
}
