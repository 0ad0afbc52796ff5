namespace VisInstruct.Json;

/// <summary>How the records of a file are laid out.</summary>
public enum JsonRecordLayout
{
    /// <summary>One JSON array whose elements are the records.</summary>
    Array,

    /// <summary>JSON Lines: one record per line.</summary>
    Lines,

    /// <summary>One JSON object whose chosen keys hold arrays: their elements are the records (COCO's files).</summary>
    Object,
}
