using System.Text.Json;

namespace VisInstruct.Json;

/// <summary>
/// Parses one record in place (see <see cref="JsonRecordReader.TryRead{T}(JsonRecordParser{T}, out RawJsonRecord, out T)"/>).
/// The reader is on the record's first token; the parser reads at most to the record's last token (never past it) and
/// returns what the record gives. <c>record.PositionOf((int)reader.TokenStartIndex)</c> is the place of the reader's
/// token (the record's bytes start where the reader's do), and <c>record.Index</c> is the record's index.
/// <para>
/// The reader may stop short of the record's end (the window of the file ends inside it: a read returns false, a
/// <c>TrySkip</c> fails): what the parser returns or throws then is dropped and it is called again on the same record,
/// whole. So a parser must have no side effects, and must use <c>TrySkip</c> (<c>Skip</c> throws on a partial window,
/// which costs the record a second pass). A parser's error is reported only for a record that is valid JSON and
/// valid UTF-8.
/// </para>
/// </summary>
internal delegate T JsonRecordParser<out T>(ref Utf8JsonReader reader, in RawJsonRecord record);
