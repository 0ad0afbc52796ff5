namespace VisInstruct.Mix;

/// <summary>
/// Gives every written record an id no earlier record has: an id keeps its value the first time it is written
/// (sources in input order, records in file order, copies in order) and becomes <c>ID~2</c>, <c>ID~3</c>, ... (the
/// first of these not written yet) every later time, whether the repeat is a source's own repeated id (LLaVA-665K has
/// some), the same id in two sources, or a copy made by a weight above 1. Holds 8 bytes of hash per id written.
/// </summary>
internal sealed class UniqueIds
{
    private readonly HashSet<ulong> _written = [];

    /// <summary>How many ids were given a suffix.</summary>
    public long Renamed { get; private set; }

    public string Assign(string id)
    {
        if (_written.Add(ContentDigest.OfId(id)))
        {
            return id;
        }

        Renamed++;
        for (int n = 2; ; n++)
        {
            string candidate = FormattableString.Invariant($"{id}~{n}");
            if (_written.Add(ContentDigest.OfId(candidate)))
            {
                return candidate;
            }
        }
    }
}
