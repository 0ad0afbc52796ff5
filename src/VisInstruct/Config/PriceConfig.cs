namespace VisInstruct.Config;

/// <summary>One model's prices in USD (a price not given is 0).</summary>
public sealed class PriceConfig
{
    public decimal? Input { get; set; }

    public decimal? Output { get; set; }

    public decimal? Image { get; set; }

    public decimal? ImageSecond { get; set; }

    internal void Validate(ConfigCheck check, string field)
    {
        if (Input < 0 || Output < 0 || Image < 0 || ImageSecond < 0)
        {
            check.Fail(field, "prices must not be negative");
        }
    }
}
