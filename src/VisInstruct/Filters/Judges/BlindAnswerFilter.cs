using System.Globalization;
using VisInstruct.Backends.Llm;
using VisInstruct.Engine;

namespace VisInstruct.Filters.Judges;

/// <summary>
/// Flags samples whose closed-form questions a text-only LLM answers right without the image: such a question teaches
/// nothing about looking (the answer follows from the question, from priors, or from the dialogue's wording). Each
/// closed-form question (<see cref="ClosedFormQuestions"/>) is put to the <c>llm:</c> model with no image; yes/no,
/// option-letter, count and colour answers are compared by what they say, short free-form ones by the same model as
/// a judge (or not at all when <see cref="BlindOptions.UseJudge"/> is off). Long answers are never asked.
/// </summary>
public sealed class BlindAnswerFilter : ISampleJudge
{
    public const string BlindAnswerable = "blind-answerable";

    private const int DetailLength = 160;

    private const string System =
        "There is no image in this conversation: the question refers to a picture you cannot see. "
        + "Answer it anyway with your best guess from the question alone. Be as brief as you can: "
        + "a word, a number, an option letter or a short phrase, with no explanation.";

    private const string JudgeSystem =
        "You compare two short answers to the same question. Decide whether the candidate answer means the same as "
        + "the reference answer: the same fact, however it is worded. A vaguer, partial or different answer is not the same.";

    private readonly LlmService _llm;
    private readonly BlindOptions _options;

    public BlindAnswerFilter(LlmService llm, BlindOptions options)
    {
        _llm = llm ?? throw new ArgumentNullException(nameof(llm));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxShortAnswerWords, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, 1, nameof(options));
    }

    public string Name => FilterNames.Blind;

    public string Backend => _llm.Name;

    public string Settings => string.Create(CultureInfo.InvariantCulture,
        $"blind: model={_llm.Model} max_short_answer_words={_options.MaxShortAnswerWords} ")
        + (_options.UseJudge ? "use_judge=true" : "use_judge=false")
        + string.Create(CultureInfo.InvariantCulture, $" max_tokens={_options.MaxTokens}");

    public async ValueTask<FilterVerdict> JudgeAsync(FilterSubject subject, SampleContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var questions = ClosedFormQuestions.Select(subject.Sample.Sample, _options.MaxShortAnswerWords)
            .Where(q => _options.UseJudge || q.Kind != ClosedFormKind.Short).ToList();
        int hits = 0;
        var notes = new List<string>();
        foreach (var question in questions)
        {
            string blind = await AskAsync(question, context, cancellationToken).ConfigureAwait(false);
            if (await SameAsync(question, blind, context, cancellationToken).ConfigureAwait(false))
            {
                hits++;
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"q{question.Index} \"{Cut(question.Question, 60)}\" blind \"{Cut(blind, 30)}\" = \"{Cut(question.Reference, 30)}\""));
            }
        }

        if (questions.Count == 0)
        {
            return FilterVerdict.Pass(subject.Id, Name) with { Checked = 0, Hits = 0 };
        }

        return new FilterVerdict(subject.Id, Name, (double)hits / questions.Count, hits > 0, hits > 0 ? BlindAnswerable : null)
        {
            Checked = questions.Count,
            Hits = hits,
            Detail = notes.Count == 0 ? null : Cut(string.Join("; ", notes), DetailLength),
        };
    }

    /// <summary>The question put to the model without the image; the seed names the question's place in the dialogue.</summary>
    private async Task<string> AskAsync(ClosedFormQuestion question, SampleContext context, CancellationToken cancellationToken)
    {
        var reply = await _llm.CompleteAsync(context.Key, context.Gateway, new LlmRequest
        {
            Messages = [LlmMessage.System(System), LlmMessage.User(question.Question + "\n\n" + Hint(question.Kind))],
            Temperature = 0,
            MaxTokens = _options.MaxTokens,
            Seed = context.SeedFor(string.Create(CultureInfo.InvariantCulture, $"blind/{question.Index}")),
        }, cancellationToken).ConfigureAwait(false);
        return reply.Text.Trim();
    }

    /// <summary>Whether the blind answer says what the reference says: read for the exact kinds, judged for short ones.</summary>
    private async Task<bool> SameAsync(ClosedFormQuestion question, string blind, SampleContext context,
        CancellationToken cancellationToken)
    {
        if (ClosedFormQuestions.Matches(question.Kind, blind, question.Reference) is { } exact)
        {
            return exact;
        }

        if (ClosedFormQuestions.Unanswered(blind))
        {
            return false;
        }

        var verdict = await _llm.CompleteJsonAsync(context.Key, context.Gateway, new LlmRequest
        {
            Messages =
            [
                LlmMessage.System(JudgeSystem),
                LlmMessage.User($"Question: {question.Question}\nReference answer: {question.Reference}\nCandidate answer: {blind}\n\n"
                    + "Reply with only a JSON object: {\"same\": true} when they mean the same, {\"same\": false} otherwise."),
            ],
            Temperature = 0,
            Seed = context.SeedFor(string.Create(CultureInfo.InvariantCulture, $"blind-judge/{question.Index}")),
        }, JudgeSchemas.Same, JudgesJsonContext.Default.SameAnswer, cancellationToken: cancellationToken).ConfigureAwait(false);
        return verdict.Same;
    }

    private static string Hint(ClosedFormKind kind) => kind switch
    {
        ClosedFormKind.YesNo => "Answer yes or no.",
        ClosedFormKind.Option => "Answer with the option's letter.",
        ClosedFormKind.Count => "Answer with a number.",
        ClosedFormKind.Colour => "Answer with the colour.",
        _ => "Answer with a word or a short phrase.",
    };

    internal static string Cut(string text, int length)
    {
        string flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= length ? flat : flat[..(length - 3)] + "...";
    }
}
