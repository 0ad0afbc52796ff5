using Microsoft.Playwright;

namespace VisInstruct.Tests.Report;

/// <summary>
/// The browser the page tests drive: Playwright for .NET with a Chromium that is already installed
/// (<c>VISINSTRUCT_CHROMIUM</c>, or Debian's <c>/usr/bin/chromium</c>); Playwright's own browser downloads are never
/// used. Without one the test is skipped with a reason that starts with <see cref="SkipReasonPrefix"/>, which CI
/// counts as a failure.
/// </summary>
internal static class Chromium
{
    public const string Variable = "VISINSTRUCT_CHROMIUM";

    public const string SkipReasonPrefix = "needs Chromium";

    private const string Debian = "/usr/bin/chromium";

    /// <summary>The browser binary, or the running test ends as skipped.</summary>
    public static string Executable()
    {
        string? set = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(set))
        {
            if (File.Exists(set))
            {
                return set;
            }

            Assert.Skip($"{SkipReasonPrefix}: {Variable}={set} does not exist");
        }

        if (File.Exists(Debian))
        {
            return Debian;
        }

        Assert.Skip($"{SkipReasonPrefix}: set {Variable} to a Chromium or Chrome binary, or install Debian's (apt-get install chromium; "
            + ".ci/run does)");
        throw new InvalidOperationException("unreachable: Assert.Skip throws");
    }

    /// <summary>Starts Playwright and a headless Chromium.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        string executable = Executable();
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = executable, Args = ["--no-sandbox"], Headless = true,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
