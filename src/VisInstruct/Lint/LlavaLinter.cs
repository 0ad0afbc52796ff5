using System.Globalization;
using System.Text.Json;
using VisInstruct.Imaging;
using VisInstruct.IO;
using VisInstruct.Json;

namespace VisInstruct.Lint;

/// <summary>
/// Checks a LLaVA training file for what LLaVA's <c>train.py</c> would crash on hours into a run, or silently train
/// wrong: the same rules it applies (roles, alternation after a leading non-human turn is dropped, <c>&lt;image&gt;</c>
/// tokens against images, pretraining's two-turn form), plus missing images, unsafe paths, duplicate ids and empty
/// turns. Streams the file.
/// </summary>
public sealed class LlavaLinter
{
    public const string ImageToken = "<image>";

    private readonly LintOptions _options;
    private readonly LintReport _report;
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly Action<LintFinding>? _onFinding;

    private LlavaLinter(string file, LintOptions options, Action<LintFinding>? onFinding)
    {
        _options = options;
        _onFinding = onFinding;
        _report = new LintReport { File = file };
    }

    /// <summary>Lints <paramref name="path"/>. Invalid JSON ends the lint with an <see cref="InputFormatException"/>.</summary>
    public static LintReport Lint(string path, LintOptions? options = null, Action<LintFinding>? onFinding = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var linter = new LlavaLinter(path, options ?? new LintOptions(), onFinding);
        using var reader = JsonRecordReader.Open(path);
        linter._report.Layout = reader.Layout;
        if (reader.HadByteOrderMark)
        {
            linter.Add(LintSeverity.Error, "file.bom",
                "the file starts with a UTF-8 byte order mark; Python's json.load (as in LLaVA's train.py) refuses it",
                position: new SourcePosition(1, 1, 0));
        }

        if (reader.Layout == JsonRecordLayout.Lines && linter._options.Trainer == LintTrainer.Llava15)
        {
            linter.Add(LintSeverity.Warning, "file.jsonl",
                "this is JSON Lines; LLaVA-1.5's train.py reads one JSON array with json.load (LLaVA-NeXT reads .jsonl)",
                position: new SourcePosition(1, 1, 0));
        }

        while (reader.TryRead(out var raw))
        {
            cancellationToken.ThrowIfCancellationRequested();
            linter.CheckSample(raw);
        }

        return linter._report;
    }

    private void CheckSample(in RawJsonRecord raw)
    {
        _report.Samples++;
        using var document = JsonDocument.Parse(raw.Utf8, JsonRecordReader.DocumentOptions);
        var sample = new SampleScope(this, raw, document.RootElement);
        if (sample.Root.ValueKind != JsonValueKind.Object)
        {
            sample.Error("sample.not-object", "", $"a sample must be an object, found {JsonRecords.Describe(sample.Root)}");
            return;
        }

        CheckId(ref sample);
        int images = CheckImages(ref sample);
        CheckConversations(ref sample, images);
    }

    private void CheckId(ref SampleScope sample)
    {
        if (!sample.Root.TryGetProperty("id", out var id))
        {
            sample.Error("id.missing", "", "missing field \"id\"");
            return;
        }

        string? key = id.ValueKind switch
        {
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Number => id.GetRawText(),
            _ => null,
        };
        if (key is null)
        {
            sample.Error("id.type", "id", $"expected a string, found {JsonRecords.Describe(id)}");
            return;
        }

        if (id.ValueKind == JsonValueKind.Number)
        {
            sample.Warning("id.number", "id", "the id is a number; LLaVA accepts it, but tools that expect string ids may not");
        }
        else if (key.Trim().Length == 0)
        {
            sample.Warning("id.empty", "id", "the id is empty");
        }

        if (_ids.TryGetValue(key, out long first))
        {
            sample.Warning("id.duplicate", "id", FormattableString.Invariant($"the id \"{key}\" was already used by sample {first}"));
        }
        else
        {
            _ids[key] = sample.Index;
        }
    }

    /// <summary>Checks <c>image</c> and returns how many images the sample has.</summary>
    private int CheckImages(ref SampleScope sample)
    {
        if (!sample.Root.TryGetProperty("image", out var image))
        {
            return 0;
        }

        var paths = new List<(string Path, string Field)>();
        switch (image.ValueKind)
        {
            case JsonValueKind.String:
                paths.Add((image.GetString()!, "image"));
                break;
            case JsonValueKind.Array:
                if (_options.Trainer == LintTrainer.Llava15)
                {
                    sample.Error("image.list", "image", FormattableString.Invariant(
                        $"\"image\" is a list of {image.GetArrayLength()} path(s); LLaVA-1.5's train.py opens it as one file")
                        + " (for multi-image trainers: lint --trainer onevision)");
                }

                int i = 0;
                foreach (var item in image.EnumerateArray())
                {
                    string field = JsonLocator.Index("image", i++);
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        sample.Error("image.type", field, $"expected a string path, found {JsonRecords.Describe(item)}");
                        continue;
                    }

                    paths.Add((item.GetString()!, field));
                }

                if (i == 0)
                {
                    sample.Error("image.empty", "image", "the image list is empty; leave \"image\" out for a text-only sample");
                }

                break;
            default:
                sample.Error("image.type", "image", $"expected a path or a list of paths, found {JsonRecords.Describe(image)}");
                return image.ValueKind == JsonValueKind.Null ? 1 : 0;
        }

        foreach (var (path, field) in paths)
        {
            if (RelativePath.Problem(path) is { } problem)
            {
                sample.Error("image.path", field, problem);
                continue;
            }

            if (_options.ImageFolder is { } folder)
            {
                _report.ImagesChecked++;
                string full = Path.Combine(folder, path);
                if (!File.Exists(full))
                {
                    sample.Error("image.missing", field, $"no file {full}");
                }
                else if (ImageHeader.TryRead(full) is null)
                {
                    sample.Error("image.unreadable", field, $"{full} is not a readable JPEG, PNG, GIF, BMP or WebP image");
                }
            }
        }

        return image.ValueKind == JsonValueKind.Array ? image.GetArrayLength() : 1;
    }

    private void CheckConversations(ref SampleScope sample, int images)
    {
        if (!sample.Root.TryGetProperty("conversations", out var conversations))
        {
            sample.Error("conversations.missing", "", "missing field \"conversations\"");
            return;
        }

        if (conversations.ValueKind != JsonValueKind.Array)
        {
            sample.Error("conversations.type", "conversations", $"expected an array of turns, found {JsonRecords.Describe(conversations)}");
            return;
        }

        var roles = new List<(string Role, int Index)>();
        bool rolesValid = true;
        int tokens = 0;
        int index = 0;
        foreach (var turn in conversations.EnumerateArray())
        {
            string field = JsonLocator.Index("conversations", index);
            if (turn.ValueKind != JsonValueKind.Object)
            {
                sample.Error("turn.not-object", field,
                    $"a turn must be an object with \"from\" and \"value\", found {JsonRecords.Describe(turn)}");
                rolesValid = false;
                index++;
                continue;
            }

            string? role = CheckRole(ref sample, turn, field);
            rolesValid &= role is not null;
            if (role is not null)
            {
                roles.Add((role, index));
            }

            if (CheckValue(ref sample, turn, field) is { } value)
            {
                int count = CountTokens(value);
                tokens += count;
                if (count > 0 && role == "gpt")
                {
                    sample.Warning("image.token-in-gpt", field + ".value",
                        "an <image> token in a gpt turn becomes part of the training target");
                }
            }

            index++;
        }

        if (index == 0)
        {
            sample.Error("conversations.empty", "conversations", "the conversation has no turns");
            return;
        }

        if (rolesValid)
        {
            CheckAlternation(ref sample, roles);
        }

        CheckTokens(ref sample, images, tokens);
        if (_options.Plain)
        {
            CheckPlain(ref sample, conversations, index);
        }
    }

    private static string? CheckRole(ref SampleScope sample, JsonElement turn, string field)
    {
        if (!turn.TryGetProperty("from", out var from))
        {
            sample.Error("turn.from-missing", field, "missing field \"from\"");
            return null;
        }

        if (from.ValueKind != JsonValueKind.String || from.GetString() is not ("human" or "gpt"))
        {
            sample.Error("turn.from-invalid", field + ".from",
                $"\"from\" must be \"human\" or \"gpt\", found {JsonRecords.Describe(from)}");
            return null;
        }

        return from.GetString();
    }

    private static string? CheckValue(ref SampleScope sample, JsonElement turn, string field)
    {
        if (!turn.TryGetProperty("value", out var value))
        {
            sample.Error("turn.value-missing", field, "missing field \"value\"");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            sample.Error("turn.value-type", field + ".value", $"expected a string, found {JsonRecords.Describe(value)}");
            return null;
        }

        string text = value.GetString()!;
        if (text.Replace(ImageToken, "", StringComparison.Ordinal).Trim().Length == 0)
        {
            sample.Warning("turn.value-empty", field + ".value", text.Length == 0 ? "the turn is empty"
                : "the turn has no text besides whitespace and <image>");
        }

        return text;
    }

    private static void CheckAlternation(ref SampleScope sample, List<(string Role, int Index)> roles)
    {
        // train.py's preprocess drops the first turn when it is not from the human, then asserts strict alternation.
        int start = 0;
        if (roles[0].Role != "human")
        {
            sample.Warning("turns.first-not-human", JsonLocator.Index("conversations", roles[0].Index) + ".from",
                "the first turn is not from human; LLaVA's train.py drops it");
            start = 1;
            if (roles.Count == 1)
            {
                sample.Error("turns.alternation", "conversations", "nothing is left to train on once LLaVA drops the leading gpt turn");
                return;
            }
        }

        for (int i = start; i < roles.Count; i++)
        {
            string expected = (i - start) % 2 == 0 ? "human" : "gpt";
            if (roles[i].Role != expected)
            {
                sample.Error("turns.alternation", JsonLocator.Index("conversations", roles[i].Index) + ".from",
                    $"turns must alternate human/gpt: expected \"{expected}\" here, found \"{roles[i].Role}\" (train.py asserts this)");
                return;
            }
        }

        if (roles[^1].Role == "human")
        {
            sample.Warning("turns.ends-with-human", JsonLocator.Index("conversations", roles[^1].Index),
                "the conversation ends on a human turn, which has no answer to train on");
        }
    }

    private static void CheckTokens(ref SampleScope sample, int images, int tokens)
    {
        if (images == 0 && tokens > 0)
        {
            sample.Error("image.token-unexpected", "conversations",
                "the sample has no image but " + tokens.ToString(CultureInfo.InvariantCulture)
                + " <image> token(s); the model would look for an image that is not there");
        }
        else if (images > 0 && tokens == 0)
        {
            sample.Error("image.token-missing", "conversations", "the sample has an image but no <image> token in any turn");
        }
        else if (images > 0 && tokens != images)
        {
            sample.Error("image.token-count", "conversations",
                FormattableString.Invariant($"{tokens} <image> tokens for {images} image(s); each image needs exactly one token"));
        }
    }

    private static void CheckPlain(ref SampleScope sample, JsonElement conversations, int turns)
    {
        if (turns != 2)
        {
            sample.Error("plain.turns", "conversations",
                FormattableString.Invariant($"pretraining samples need exactly 2 turns, found {turns}"));
            return;
        }

        var first = conversations[0];
        if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("value", out var value)
            && value.ValueKind == JsonValueKind.String && !value.GetString()!.Contains(ImageToken, StringComparison.Ordinal))
        {
            sample.Error("plain.token", "conversations[0].value", "pretraining needs <image> in the first turn");
        }
    }

    private static int CountTokens(string text)
    {
        int count = 0;
        int at = 0;
        while ((at = text.IndexOf(ImageToken, at, StringComparison.Ordinal)) >= 0)
        {
            count++;
            at += ImageToken.Length;
        }

        return count;
    }

    private void Add(LintSeverity severity, string check, string message, long? index = null, string? id = null, string? field = null,
        SourcePosition? position = null)
    {
        if (severity == LintSeverity.Error)
        {
            _report.Errors++;
        }
        else
        {
            _report.Warnings++;
        }

        _report.CountsByCheck[check] = _report.CountsByCheck.GetValueOrDefault(check) + 1;
        if (_options.MaxFindingsPerCheck > 0 && _report.CountsByCheck[check] > _options.MaxFindingsPerCheck)
        {
            return;
        }

        var finding = new LintFinding(severity, check, message, index, id, field, position);
        _report.Findings.Add(finding);
        _onFinding?.Invoke(finding);
    }

    /// <summary>The sample being checked: reports findings with its index, id and the position of the field.</summary>
    private ref struct SampleScope(LlavaLinter linter, RawJsonRecord raw, JsonElement root)
    {
        private string? _id;
        private bool _idRead;

        public JsonElement Root { get; } = root;

        public long Index => raw.Index;

        public void Error(string check, string field, string message) => Report(LintSeverity.Error, check, field, message);

        public void Warning(string check, string field, string message) => Report(LintSeverity.Warning, check, field, message);

        private void Report(LintSeverity severity, string check, string field, string message)
        {
            if (!_idRead)
            {
                _idRead = true;
                _id = Root.ValueKind == JsonValueKind.Object && Root.TryGetProperty("id", out var id)
                    && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
                    ? (id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText())
                    : null;
            }

            int offset = field.Length == 0 ? 0 : JsonLocator.OffsetOf(raw.Utf8.Span, field) ?? 0;
            linter.Add(severity, check, message, raw.Index, _id, field.Length == 0 ? null : field, raw.PositionOf(offset));
        }
    }
}
