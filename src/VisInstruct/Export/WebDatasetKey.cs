using System.Globalization;
using System.Text;

namespace VisInstruct.Export;

/// <summary>
/// A WebDataset sample key. WebDataset splits a member's name at the first dot of its base name (key, then
/// extension) and groups consecutive members by key, so a key must hold no dot and be unique: it is the sample's
/// 0-based place in the export, zero-padded to 9 digits, an underscore and the id with every character other than
/// ASCII letters, digits, <c>-</c> and <c>_</c> made <c>_</c>, cut to 64 characters (<c>000000012_color_000012</c>).
/// The number makes it unique and keeps the shards in export order; the real id is in the sample's JSON.
/// </summary>
public static class WebDatasetKey
{
    public const int MaxIdPart = 64;

    public static string Of(long ordinal, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var builder = new StringBuilder(id.Length);
        foreach (char c in id)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
            if (builder.Length == MaxIdPart)
            {
                break;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{ordinal:D9}_{builder}");
    }
}
