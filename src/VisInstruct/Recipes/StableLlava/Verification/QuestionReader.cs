namespace VisInstruct.Recipes.StableLlava.Verification;

/// <summary>
/// Reads a question of the language by its cue words and structure (not by templates): the intent from the table
/// of <c>docs/procedural-language.md</c>, the referring expressions, the stated value of a check question, and the
/// image it is about (named by ordinal, <c>this one</c> for the turn's image in a turn-per-image dialogue, <c>last</c>).
/// </summary>
internal static class QuestionReader
{
    private static readonly string[] YesNoStarts = [" is ", " are ", " does ", " do ", " can ", " has ", " have ", " was "];

    private static readonly string[] DescribeCues =
    [
        " describe", " caption", " what shapes ", " what do you see", " what can you see", " what is in ", " what is shown",
        " what does ", " depicted", " show ", " shows ", " summar", " sum up", " list ", " what objects ", " tell me about ",
        " in a few words", " one sentence", " overview", " which shapes do you see", " which objects do you see", " which shapes are in ",
    ];

    /// <param name="question">The question text.</param>
    /// <param name="images">How many images the sample has.</param>
    /// <param name="turn">The turn's index (turn i shows image i where <paramref name="turnPerImage"/>).</param>
    /// <param name="turnPerImage">True for dialogues whose turn i brings image i (multi_turn).</param>
    /// <param name="caption">True for the fixed caption instruction: read by the caption rule.</param>
    public static Question Read(string question, int images, int turn, bool turnPerImage, bool caption)
    {
        var words = Words.Read(question);
        string p = Words.Plain(question);
        var phrases = NounPhrases.Find(words);
        int? image = WhichImage(p, images, turn, turnPerImage);
        var read = new Question { Intent = Intent.Unknown, Words = words, Phrases = phrases, Image = image };
        if (caption)
        {
            return read with { Intent = Intent.Describe };
        }

        var intent = IntentOf(p, words, phrases, images);
        var predicate = PredicateOf(words, phrases);
        if (intent == Intent.Unknown && predicate is null && phrases.Count == 1 && phrases[0].Place is int place && IsYesNo(p))
        {
            // "Is the blue circle on the right?": the place phrase is what is asked, not part of the reference.
            intent = Intent.Place;
            predicate = new Word(WordKind.Place, Words.PlaceNames[place], place);
            phrases = [phrases[0] with { Place = null }];
        }

        return read with { Intent = intent, Phrases = phrases, Predicate = predicate, Cue = CueOf(p, words) };
    }

    private static Intent IntentOf(string p, List<Word> words, List<NounPhrase> phrases, int images)
    {
        bool yesNo = IsYesNo(p);
        bool occlusionWord = words.Any(w => w.Kind == WordKind.Relation && w.Value >= (int)Relation.InFrontOf)
            || Has(p, " hidden ", " covered ", " hiding ", " covering ", " overlap");
        if (images > 1)
        {
            if (Has(p, " differ", " difference", " changed", " what changed", " not the same"))
            {
                return Intent.Difference;
            }

            if (Has(p, " in common", " share", " appears in both", " in both", " both images", " both pictures"))
            {
                return Intent.Common;
            }

            if (Has(p, " together") && Has(p, " how many"))
            {
                return Intent.CountVersusOthers;
            }

            if (Has(p, " more ", " fewer ", " most ") && Has(p, " image", " picture"))
            {
                return Intent.MoreImages;
            }
        }

        if (Has(p, " how many ") && Has(p, " colors ", " color ", " different colors"))
        {
            return Intent.DistinctColors;
        }

        if (Has(p, " how many ", " number of ", " count the "))
        {
            return Intent.Count;
        }

        if (Has(p, " most common", " most frequent", " appears most", " most often", " the most "))
        {
            return Intent.MostCommon;
        }

        if (Has(p, " style", " how are the shapes drawn") || (Has(p, " how is ") && Has(p, " drawn ")))
        {
            return Intent.Style;
        }

        if (Has(p, " background", " behind the shapes", " behind the objects"))
        {
            return Intent.Background;
        }

        if (Has(p, " missing", " not in the picture", " not in the image", " which of these is not in ", " absent", " left out"))
        {
            return Intent.Missing;
        }

        if (Has(p, " unusual", " not belong", " n't belong", " out of place", " odd one", " stands out", " the odd "))
        {
            return Intent.OddOneOut;
        }

        if (yesNo && phrases.Count >= 2 && Has(p, " larger than ", " bigger than ", " smaller than "))
        {
            return Intent.SizeCompare;
        }

        if (yesNo)
        {
            return YesNoIntent(p, words, phrases);
        }

        if (occlusionWord)
        {
            return Intent.Occlusion;
        }

        if (Has(p, " color", " colors"))
        {
            return Intent.Color;
        }

        if (Has(p, " pattern", " texture", " made of", " material", " what size", " size of", " how big", " how large"))
        {
            return Intent.Attribute;
        }

        if (Has(p, " larger", " bigger", " smaller") && Has(p, " or "))
        {
            return Intent.SizeCompare;
        }

        if (Has(p, " largest", " biggest", " smallest") || words.Any(w => w.Kind == WordKind.Extreme))
        {
            return Intent.Superlative;
        }

        if (Has(p, " where "))
        {
            return phrases.Count >= 2 && Has(p, " relative to", " compared with", " compared to", " in relation to")
                ? Intent.Relation
                : Intent.Place;
        }

        return DescribeCues.Any(c => p.Contains(c, StringComparison.Ordinal)) ? Intent.Describe : Intent.Unknown;
    }

    private static Intent YesNoIntent(string p, List<Word> words, List<NounPhrase> phrases)
    {
        if (Has(p, " is there ", " are there ", " is any ", " are any ", " can you see ", " do you see ", " does the image have ",
            " does the picture have ", " does the image contain ", " does the picture contain "))
        {
            return Intent.Existence;
        }

        if (words.Any(w => w.Kind == WordKind.Relation) && phrases.Count >= 2)
        {
            return Intent.RelationCheck;
        }

        return PredicateOf(words, phrases) switch
        {
            { Kind: WordKind.Color } => Intent.ColorCheck,
            { Kind: WordKind.Texture or WordKind.Material or WordKind.Size } => Intent.AttributeCheck,
            { Kind: WordKind.Place } => Intent.Place,
            _ => Intent.Unknown,
        };
    }

    /// <summary>The first attribute or relation word after the subject's noun (<c>is the circle red</c>).</summary>
    private static Word? PredicateOf(List<Word> words, List<NounPhrase> phrases)
    {
        if (phrases.Count == 0)
        {
            return null;
        }

        for (int i = phrases[0].End; i < words.Count; i++)
        {
            var w = words[i];
            if (w.Kind is WordKind.Color or WordKind.Texture or WordKind.Material or WordKind.Size or WordKind.Relation or WordKind.Place)
            {
                return w;
            }

            if (w.IsNoun)
            {
                return null;
            }
        }

        return null;
    }

    private static string CueOf(string p, List<Word> words)
    {
        foreach (string cue in new[] { "largest", "biggest", "smallest", "larger", "bigger", "smaller" })
        {
            if (p.Contains(" " + cue + " ", StringComparison.Ordinal) || p.Contains(" " + cue + ",", StringComparison.Ordinal))
            {
                return cue is "biggest" ? "largest" : cue is "bigger" ? "larger" : cue;
            }
        }

        if (words.FirstOrDefault(w => w.Kind == WordKind.Extreme) is { } extreme)
        {
            return extreme.Text;
        }

        if (p.Contains(" pattern", StringComparison.Ordinal) || p.Contains(" texture", StringComparison.Ordinal))
        {
            return "texture";
        }

        if (p.Contains(" made of", StringComparison.Ordinal) || p.Contains(" material", StringComparison.Ordinal))
        {
            return "material";
        }

        return Has(p, " what size", " size of", " how big", " how large") ? "size" : Has(p, " color") ? "color" : "";
    }

    private static int? WhichImage(string p, int images, int turn, bool turnPerImage)
    {
        if (images <= 1)
        {
            return images == 1 ? 0 : null;
        }

        string[] ordinals = ["first", "second", "third"];
        for (int i = 0; i < Math.Min(images, ordinals.Length); i++)
        {
            foreach (string noun in new[] { " image", " picture", " photo" })
            {
                if (p.Contains(" " + ordinals[i] + noun, StringComparison.Ordinal) && !p.Contains(" first two", StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        if (Has(p, " last image", " last picture", " final image", " last one"))
        {
            return images - 1;
        }

        if (turnPerImage && (Has(p, " this one", " this image", " this picture", " here ", " this photo", " this time") || turn < images))
        {
            return Math.Min(turn, images - 1);
        }

        return null;
    }

    /// <summary>A question that starts like a yes/no one, but not <c>can you tell me what colour ...</c>.</summary>
    private static bool IsYesNo(string p) => !Has(p, " tell me what ", " tell me which ", " tell me where ", " tell me how ")
        && YesNoStarts.Any(s => p.StartsWith(s, StringComparison.Ordinal) || p.Contains(" , " + s.Trim() + " ", StringComparison.Ordinal)
            || p.Contains(" : " + s.Trim() + " ", StringComparison.Ordinal));

    private static bool Has(string p, params string[] cues) => cues.Any(c => p.Contains(c, StringComparison.Ordinal));
}
