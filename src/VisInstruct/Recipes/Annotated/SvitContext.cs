using System.Text;
using VisInstruct.Annotations;
using VisInstruct.Backends.Llm;

namespace VisInstruct.Recipes.Annotated;

/// <summary>
/// A context as sent to the model: its text, its size in tokens, and what was left out to fit a token budget.
/// </summary>
/// <param name="Text">The user message.</param>
/// <param name="Tokens">
/// Its size in o200k tokens; exact when <paramref name="TokensExact"/>, otherwise the UTF-8 byte count / 4 (rounded up),
/// an estimate.
/// </param>
/// <param name="ObjectsCut">Object lines left out to fit the budget.</param>
/// <param name="RegionsCut">Region lines left out to fit the budget.</param>
/// <param name="Cut">Whether anything was left out.</param>
/// <param name="TokensExact">Whether <paramref name="Tokens"/> was counted with the tokenizer.</param>
public sealed record ContextText(string Text, int Tokens, int ObjectsCut, int RegionsCut, bool Cut, bool TokensExact = true)
{
    /// <summary>
    /// Whether the text is still over the budget after every object and region line went (the captions alone are too long).
    /// </summary>
    public bool OverBudget { get; init; }
}

/// <summary>
/// The SVIT user message for one image, laid out as FORMATS.md section 7 decides: <c>(1) captions:</c> and the
/// captions, <c>(2) objects:</c> and <c>name: [x1, y1, x2, y2]</c> lines, <c>(3) regions:</c> and
/// <c>phrase: [x1, y1, x2, y2]</c> lines; one line each, no blank lines, no trailing newline; a header stays when its
/// section is empty. Captions, names and phrases are verbatim; boxes are normalised per side and rounded as Python does.
/// </summary>
/// <remarks>
/// <para><b>Token budget.</b> Without a budget everything is kept. With one, the captions are always kept, and when the
/// text is over the budget object and region lines are dropped, <b>smallest box area first</b> (ties: the later line in
/// its file first, then a region before an object), until it fits. The lines that stay keep their file order. Why this
/// order: Visual Genome gives many tiny boxes (a button, a letter on a sign, one leaf) and few large ones; the large
/// boxes carry what the scene is about and what every task asks about (layout, people, actions), while the small ones
/// are details a question rarely needs. File order says nothing about importance, so dropping from the end would lose
/// arbitrary lines. The rule is deterministic: the same annotations and budget give the same text. If the captions and
/// headers alone exceed the budget, every object and region line is dropped and <see cref="ContextText.OverBudget"/> is
/// set; the caller decides whether to send it.</para>
/// <para><b>Speed.</b> An o200k token is at least one UTF-8 byte, so a text of no more bytes than the budget fits
/// without counting; then <see cref="ContextText.Tokens"/> is the bytes / 4 estimate. Only a text longer in bytes than
/// the budget is counted exactly (and, if cutting is needed, each line once).</para>
/// </remarks>
public static class SvitContext
{
    public const string CaptionsHeader = "(1) captions:";
    public const string ObjectsHeader = "(2) objects:";
    public const string RegionsHeader = "(3) regions:";

    public static ContextText Build(ImageAnnotations a, int? tokenBudget = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (tokenBudget is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenBudget), tokenBudget, "a token budget must be at least 1");
        }

        var objects = a.Objects.Select(o => Line(o.Name, o.Box.Normalize(a.Width, a.Height))).ToList();
        var regions = a.Regions.Select(r => Line(r.Phrase, r.Box.Normalize(a.Width, a.Height))).ToList();
        string full = Layout(a.Captions, objects, regions);
        int bytes = Encoding.UTF8.GetByteCount(full);
        if (tokenBudget is not { } budget || bytes <= budget)
        {
            return new ContextText(full, Estimate(bytes), 0, 0, false, TokensExact: false);
        }

        int total = LocalTokenCounter.Count(full);
        if (total <= budget)
        {
            return new ContextText(full, total, 0, 0, false);
        }

        // Drop order: smallest area first; ties: later line first, then region before object.
        var candidates = new List<(double Area, int Index, bool Region, int Tokens)>(objects.Count + regions.Count);
        for (int i = 0; i < objects.Count; i++)
        {
            candidates.Add((a.Objects[i].Box.Normalize(a.Width, a.Height).Area, i, false, LocalTokenCounter.Count(objects[i] + "\n")));
        }

        for (int i = 0; i < regions.Count; i++)
        {
            candidates.Add((a.Regions[i].Box.Normalize(a.Width, a.Height).Area, i, true, LocalTokenCounter.Count(regions[i] + "\n")));
        }

        candidates.Sort((x, y) =>
        {
            int c = x.Area.CompareTo(y.Area);
            if (c != 0)
            {
                return c;
            }

            c = y.Index.CompareTo(x.Index);
            return c != 0 ? c : y.Region.CompareTo(x.Region);
        });

        var droppedObjects = new bool[objects.Count];
        var droppedRegions = new bool[regions.Count];
        int estimate = total;
        int next = 0;
        string text = full;
        while (true)
        {
            // Drop by the per-line counts until the estimate fits, then check with one exact count; line counts add up
            // almost exactly because o200k splits at newlines, so this loop rarely runs more than twice.
            while (next < candidates.Count && estimate > budget)
            {
                var c = candidates[next++];
                (c.Region ? droppedRegions : droppedObjects)[c.Index] = true;
                estimate -= c.Tokens;
            }

            text = Layout(a.Captions, Kept(objects, droppedObjects), Kept(regions, droppedRegions));
            total = LocalTokenCounter.Count(text);
            if (total <= budget || next >= candidates.Count)
            {
                break;
            }

            estimate = total;
            if (estimate <= budget)
            {
                break;
            }
        }

        int objectsCut = droppedObjects.Count(d => d);
        int regionsCut = droppedRegions.Count(d => d);
        return new ContextText(text, total, objectsCut, regionsCut, objectsCut + regionsCut > 0) { OverBudget = total > budget };
    }

    /// <summary>The layout alone, from lines already written (<c>name: [box]</c>).</summary>
    public static string Layout(IEnumerable<string> captions, IEnumerable<string> objectLines, IEnumerable<string> regionLines)
    {
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentNullException.ThrowIfNull(objectLines);
        ArgumentNullException.ThrowIfNull(regionLines);
        var sb = new StringBuilder();
        sb.Append(CaptionsHeader);
        foreach (string caption in captions)
        {
            sb.Append('\n').Append(caption);
        }

        sb.Append('\n').Append(ObjectsHeader);
        foreach (string line in objectLines)
        {
            sb.Append('\n').Append(line);
        }

        sb.Append('\n').Append(RegionsHeader);
        foreach (string line in regionLines)
        {
            sb.Append('\n').Append(line);
        }

        return sb.ToString();
    }

    /// <summary>One annotation line: <c>name: [x1, y1, x2, y2]</c> with the box as a Python list.</summary>
    public static string Line(string name, NormalizedBox box) => name + ": " + box.ToString();

    /// <summary>The bytes / 4 estimate used when a text is not counted.</summary>
    public static int Estimate(int utf8Bytes) => (utf8Bytes + 3) / 4;

    private static IEnumerable<string> Kept(List<string> lines, bool[] dropped)
    {
        for (int i = 0; i < lines.Count; i++)
        {
            if (!dropped[i])
            {
                yield return lines[i];
            }
        }
    }
}
