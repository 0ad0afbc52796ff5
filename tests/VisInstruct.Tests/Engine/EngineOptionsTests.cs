using VisInstruct.Engine;

namespace VisInstruct.Tests.Engine;

public class EngineOptionsTests
{
    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var options = new EngineOptions { OutputDirectory = "out" };
        Assert.Equal(EngineOptions.DefaultDefaultConcurrency, options.DefaultConcurrency);
        Assert.Equal(16, options.DefaultConcurrency);
        Assert.Equal(0.05, options.MaxFailureRatio);
        Assert.Equal(TimeSpan.FromMinutes(2), options.StallWarning);
        Assert.Equal(4096, options.FlushEvery);
        Assert.Equal(TimeSpan.FromSeconds(1), options.FlushInterval);
        Assert.Equal(16, options.ConcurrencyFor("llm"));
    }

    [Fact]
    public void ZeroConcurrencyIsRefusedWhenTheOptionsAreBuilt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new EngineOptions { OutputDirectory = "out", DefaultConcurrency = 0 });
        Assert.Equal(nameof(EngineOptions.DefaultConcurrency), ex.ParamName);
        Assert.Contains("EngineOptions.DefaultConcurrency must be at least 1", ex.Message, StringComparison.Ordinal);

        var valid = new EngineOptions { OutputDirectory = "out" };
        Assert.Throws<ArgumentOutOfRangeException>(() => valid with { DefaultConcurrency = -1 });
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => valid with { Concurrency = new Dictionary<string, int> { ["llm"] = 0 } });
        Assert.Equal("Concurrency[llm]", ex.ParamName);
    }

    public static TheoryData<string, Func<EngineOptions, EngineOptions>> Invalid() => new()
    {
        { "MaxFailureRatio", o => o with { MaxFailureRatio = 1.5 } },
        { "MaxFailureRatio", o => o with { MaxFailureRatio = double.NaN } },
        { "DryRunItems", o => o with { DryRunItems = 0 } },
        { "MaxRequests", o => o with { MaxRequests = -1 } },
        { "MaxCost", o => o with { MaxCost = -0.01m } },
        { "StallWarning", o => o with { StallWarning = TimeSpan.Zero } },
        { "ItemLimit", o => o with { ItemLimit = -1 } },
        { "FlushEvery", o => o with { FlushEvery = 0 } },
        { "FlushInterval", o => o with { FlushInterval = TimeSpan.FromSeconds(-1) } },
        { "OutputDirectory", o => o with { OutputDirectory = " " } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void OutOfRangeSettingsAreRefusedByName(string setting, Func<EngineOptions, EngineOptions> change)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => change(new EngineOptions { OutputDirectory = "out" }));
        Assert.Equal(setting, ex.ParamName);
    }

    [Fact]
    public void TheLimitsThemselvesAreAccepted()
    {
        var options = new EngineOptions
        {
            OutputDirectory = "out",
            DefaultConcurrency = 1,
            MaxFailureRatio = 1,
            MaxRequests = 0,
            MaxCost = 0,
            ItemLimit = 0,
            DryRunItems = 1,
            FlushEvery = 1,
        };
        Assert.Equal(1, options.DefaultConcurrency);
        Assert.Equal(0, options.MaxRequests);
    }
}
