namespace VisInstruct.Config;

/// <summary>
/// The quality filters (<c>filters:</c>). A filter runs when its key is present (an empty mapping, <c>text: {}</c>,
/// runs it with its defaults); it only flags unless <c>drop: true</c>. During <c>generate</c> the filters run after the
/// dataset is written and make <c>OUT/filtered/</c>; <c>visinstruct filter</c> reads the same section.
/// </summary>
public sealed class FiltersConfig
{
    public TextFilterConfig? Text { get; set; }

    public LanguageFilterConfig? Language { get; set; }

    public ImageDupFilterConfig? ImageDup { get; set; }

    public TextDupFilterConfig? TextDup { get; set; }

    public BlindFilterConfig? Blind { get; set; }

    public ConsistencyFilterConfig? Consistency { get; set; }

    /// <summary>True when no filter is configured.</summary>
    public bool IsEmpty => Text is null && Language is null && ImageDup is null && TextDup is null && Blind is null && Consistency is null;

    internal void Validate(ConfigCheck check, RunConfig config)
    {
        if (Text is { } text)
        {
            check.AtLeastOne(text.MaxAnswerWords, "filters.text.max_answer_words");
            if (text.MaxSentenceRepeats is < 2)
            {
                check.Fail("filters.text.max_sentence_repeats", "filters.text.max_sentence_repeats must be at least 2");
            }
        }

        if (Language?.Expected is { } expected && expected.Length != 2)
        {
            check.Fail("filters.language.expected", "filters.language.expected is a two-letter ISO 639-1 code (en, de, zh)");
        }

        if (ImageDup?.Distance is < 0 or > 31)
        {
            check.Fail("filters.image_dup.distance", "filters.image_dup.distance must be between 0 and 31 bits");
        }

        if (TextDup?.Threshold is <= 0 or > 1)
        {
            check.Fail("filters.text_dup.threshold", "filters.text_dup.threshold is a similarity above 0 and at most 1");
        }

        if (Blind is { } blind)
        {
            if (config.Llm?.Endpoints is not { Count: > 0 })
            {
                check.Fail("filters.blind",
                    "filters.blind asks the llm: section's model without the image; configure llm: (endpoints, model)");
            }

            check.AtLeastOne(blind.MaxShortAnswerWords, "filters.blind.max_short_answer_words");
        }

        if (Consistency is { } consistency)
        {
            ValidateConsistency(check, config, consistency);
        }
    }

    private static void ValidateConsistency(ConfigCheck check, RunConfig config, ConsistencyFilterConfig consistency)
    {
        int judges = consistency.Judges?.Count ?? (config.Vision?.Endpoints is { Count: > 0 } ? 1 : 0);
        if (judges == 0)
        {
            check.Fail("filters.consistency", "filters.consistency needs judges: configure vision: or filters.consistency.judges");
        }

        for (int i = 0; i < (consistency.Judges?.Count ?? 0); i++)
        {
            var judge = consistency.Judges![i];
            string name = $"filters.consistency.judges[{i}]";
            if (judge.Endpoints is not { Count: > 0 })
            {
                check.Fail(name, $"{name} needs endpoints");
            }

            judge.Validate(check, name);
        }

        if (consistency.Mode is not (null or "claims" or "score"))
        {
            check.Fail("filters.consistency.mode", "filters.consistency.mode is claims (yes/no per claim) or score (1-5)");
        }

        if (consistency.MinScore is < 1 or > 5)
        {
            check.Fail("filters.consistency.min_score", "filters.consistency.min_score must be between 1 and 5");
        }

        if (consistency.MinAgree is { } agree && (agree < 1 || agree > judges))
        {
            check.Fail("filters.consistency.min_agree", $"filters.consistency.min_agree must be between 1 and the {judges} judges");
        }
    }
}

/// <summary>What every filter's section has.</summary>
public abstract class FilterConfigBase
{
    /// <summary>Remove the samples the filter flags (default false: flag only, in <c>filters.jsonl</c> and the card).</summary>
    public bool? Drop { get; set; }
}

/// <summary><c>filters.text</c>: the text heuristics.</summary>
public sealed class TextFilterConfig : FilterConfigBase
{
    /// <summary>An answer with more words is flagged (default <c>TextHeuristicOptions.MaxAnswerWords</c>, 400).</summary>
    public int? MaxAnswerWords { get; set; }

    /// <summary>A sentence said this often in one answer is flagged (default 3).</summary>
    public int? MaxSentenceRepeats { get; set; }
}

/// <summary><c>filters.language</c>: turns in another language.</summary>
public sealed class LanguageFilterConfig : FilterConfigBase
{
    /// <summary>The language the dialogues should be in, ISO 639-1 (default <c>en</c>).</summary>
    public string? Expected { get; set; }
}

/// <summary><c>filters.image_dup</c>: near-duplicate images by perceptual hash.</summary>
public sealed class ImageDupFilterConfig : FilterConfigBase
{
    /// <summary>The largest Hamming distance between two 64-bit hashes that counts as the same image (default 6).</summary>
    public int? Distance { get; set; }

    /// <summary>Datasets or image folders whose images this one must not contain (decontamination).</summary>
    public List<string>? Against { get; set; }
}

/// <summary><c>filters.text_dup</c>: exact and near-duplicate conversations.</summary>
public sealed class TextDupFilterConfig : FilterConfigBase
{
    /// <summary>The estimated Jaccard similarity of 4-gram shingles at which two conversations are near duplicates (default 0.8).</summary>
    public double? Threshold { get; set; }

    /// <summary>Compare across groups too (default false: duplicates are looked for within an ability or task).</summary>
    public bool? AcrossGroups { get; set; }
}

/// <summary><c>filters.blind</c>: questions the <c>llm:</c> model answers without the image.</summary>
public sealed class BlindFilterConfig : FilterConfigBase
{
    /// <summary>A reference answer of at most this many words is closed-form (default 8).</summary>
    public int? MaxShortAnswerWords { get; set; }

    /// <summary>Compare short free-form answers with the LLM as judge (default true).</summary>
    public bool? UseJudge { get; set; }
}

/// <summary><c>filters.consistency</c>: vision judges of whether the dialogue holds in the image.</summary>
public sealed class ConsistencyFilterConfig : FilterConfigBase
{
    /// <summary><c>claims</c> (default: yes/no per claim, every claim must hold) or <c>score</c> (1-5).</summary>
    public string? Mode { get; set; }

    /// <summary>In score mode, the lowest accepted score (default 4).</summary>
    public int? MinScore { get; set; }

    /// <summary>Judges that must accept a sample (default: a majority).</summary>
    public int? MinAgree { get; set; }

    /// <summary>The judges (same keys as <c>vision:</c>); default: the <c>vision:</c> model alone.</summary>
    public List<LlmConfig>? Judges { get; set; }
}
