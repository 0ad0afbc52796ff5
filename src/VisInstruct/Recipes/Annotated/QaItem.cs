namespace VisInstruct.Recipes.Annotated;

/// <summary>One procedural question and its exact answer, with the family that made it (for tests and statistics).</summary>
internal sealed record QaItem(string Family, string Question, string Answer);

/// <summary>The question families of <see cref="ProceduralQuestions"/>.</summary>
internal static class QaFamily
{
    // Conversation (plain names; a name is only used alone when it names exactly one object, counting aside).
    public const string Counting = "counting";
    public const string Existence = "existence";
    public const string Colour = "colour";
    public const string Describe = "describe";
    public const string Location = "location";
    public const string LeftRight = "left_right";
    public const string AboveBelow = "above_below";
    public const string Larger = "larger";
    public const string Activity = "activity";
    public const string Caption = "caption";

    // Complex reasoning (each answer combines two facts or more).
    public const string MoreThan = "more_than";
    public const string Total = "total";
    public const string Spread = "spread";
    public const string HalfMore = "half_more";
    public const string HalfTotal = "half_total";
    public const string NearChain = "near_chain";
    public const string LinkChain = "link_chain";
    public const string NearOthers = "near_others";
    public const string RelationColour = "relation_colour";
    public const string Purpose = "purpose";

    // Referring (every pair carries <st>name<ed> [box] mentions).
    public const string RefLocate = "ref_locate";
    public const string RefLocateAll = "ref_locate_all";
    public const string RefColour = "ref_colour";
    public const string RefDescribe = "ref_describe";
    public const string RefActivity = "ref_activity";
    public const string RefRegion = "ref_region";
    public const string RefLeftRight = "ref_left_right";
    public const string RefAboveBelow = "ref_above_below";
}
