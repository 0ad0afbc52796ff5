using System.Text.Json;
using Microsoft.Playwright;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Report;

/// <summary>The report page in a real Chromium, opened from disk and through <c>view</c>.</summary>
public sealed class ReportBrowserTests
{
    private const int PageSize = 20;

    [Fact]
    public async Task From_disk_the_page_lists_every_ability_with_its_count_and_pages_and_filters_the_samples()
    {
        Chromium.Executable();
        using var temp = new TempDir();
        string report = temp.File("report");
        Assert.Equal(0, CliRunner.Run("report", ReportFixture.Dataset, "--out", report).ExitCode);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using (playwright)
        {
            await using (browser)
            {
                var (page, errors) = await OpenAsync(browser, new Uri(Path.Combine(report, "index.html")).AbsoluteUri);
                await CheckBrowserAsync(page);
                Assert.True(errors.Count == 0, string.Join('\n', errors));
            }
        }
    }

    [Fact]
    public async Task View_builds_the_report_serves_it_and_its_images_on_loopback_only_and_stops_on_sigterm()
    {
        Chromium.Executable();
        using var temp = new TempDir();
        string report = temp.File("served");
        using var view = ViewProcess.Start(ReportFixture.Dataset, "--out", report, "--port", "0");
        string url = await view.UrlAsync();
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        Assert.Contains("report: " + Path.Combine(report, "index.html"), view.Output, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        string html = await http.GetStringAsync("");
        Assert.Contains("visinstruct-index", html, StringComparison.Ordinal);
        var (_, images) = ReportFixture.Samples()[0];
        byte[] served = await http.GetByteArrayAsync("images/" + images[0]);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(ReportFixture.Dataset, images[0])), served);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("images/../manifest.json")).StatusCode);
        foreach (string climb in new[] { "/../manifest.json", "/%2e%2e/manifest.json", "/images/%2e%2e/manifest.json" })
        {
            string status = await view.RawAsync($"GET {climb} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            Assert.DoesNotContain(" 200 ", status, StringComparison.Ordinal);
        }
        Assert.Contains(" 421 ", await view.RawAsync("GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n"), StringComparison.Ordinal);

        var (playwright, browser) = await Chromium.LaunchAsync();
        using (playwright)
        {
            await using (browser)
            {
                var (page, errors) = await OpenAsync(browser, url);
                await CheckBrowserAsync(page);
                // The full-size image behind a thumbnail is served too.
                string href = await page.Locator("article.sample figure a").First.GetAttributeAsync("href") ?? "";
                Assert.Equal(200, await page.EvaluateAsync<int>("async h => (await fetch(h)).status", href));
                Assert.True(errors.Count == 0, string.Join('\n', errors));
            }
        }

        Assert.Equal(0, view.Terminate());
        Assert.Contains("stopped", view.Output, StringComparison.Ordinal);
    }

    private static async Task<(IPage Page, List<string> Errors)> OpenAsync(IBrowser browser, string url)
    {
        var page = await browser.NewPageAsync();
        // Generous: the suite runs on two loaded cores, and the figures are checked, not the speed.
        page.SetDefaultTimeout(120_000);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        page.RequestFailed += (_, request) => errors.Add("failed: " + request.Url);
        await page.GotoAsync(url);
        return (page, errors);
    }

    /// <summary>The counts, thumbnails, paging and both filters, against the dataset's own files.</summary>
    private static async Task CheckBrowserAsync(IPage page)
    {
        var samples = ReportFixture.Samples();
        var ids = samples.Select(s => s.Id).ToList();
        await WaitStatusAsync(page, $"{ids.Count} samples");

        var byAbility = ids.GroupBy(ReportFixture.Ability).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var options = await page.Locator("#group-select option").AllTextContentsAsync();
        Assert.Equal([$"all ({ids.Count})", .. byAbility.Select(g => $"{g.Key} ({g.Count()})")], options);
        foreach (var group in byAbility)
        {
            Assert.Equal(group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture),
                await page.Locator($"tr[data-group=\"{group.Key}\"] td.count").TextContentAsync());
        }

        Assert.Equal(ids.Take(PageSize), await ShownIdsAsync(page));
        await ThumbnailsLoadedAsync(page);

        // Page 6 holds samples 100-119: the second chunk.
        for (int i = 0; i < 5; i++)
        {
            await page.ClickAsync("#next");
        }

        int pages = (ids.Count + PageSize - 1) / PageSize;
        await page.WaitForFunctionAsync($"() => document.getElementById('page-info').textContent === 'page 6 of {pages}'");
        await page.WaitForFunctionAsync($"() => document.querySelector('article.sample')?.dataset.id === '{ids[100]}'");
        Assert.Equal(ids.Skip(100).Take(PageSize), await ShownIdsAsync(page));
        await ThumbnailsLoadedAsync(page);

        // One ability: its own chunks, its count, its samples in order, over two pages.
        var counting = byAbility.Single(g => g.Key == "counting").ToList();
        await page.SelectOptionAsync("#group-select", "counting");
        await WaitStatusAsync(page, $"{counting.Count} samples");
        Assert.Equal(counting.Take(PageSize), await ShownIdsAsync(page));
        await page.ClickAsync("#next");
        await page.WaitForFunctionAsync($"() => document.querySelector('article.sample')?.dataset.id === '{counting[PageSize]}'");
        Assert.Equal(counting.Skip(PageSize), await ShownIdsAsync(page));

        // Text over all samples: every sample whose id, dialogue or image prompt holds the word.
        await page.SelectOptionAsync("#group-select", "");
        string word = "octagon";
        var expected = Matching(samples, word);
        Assert.NotEmpty(expected);
        await page.FillAsync("#filter", word);
        await page.WaitForFunctionAsync("() => document.getElementById('status').dataset.done === 'true'"
            + $" && document.getElementById('status').textContent === '{expected.Count} matches'");
        Assert.Equal(expected.Take(PageSize), await ShownIdsAsync(page));
        await page.FillAsync("#filter", ids[137]);
        await WaitStatusAsync(page, "1 matches");
        Assert.Equal([ids[137]], await ShownIdsAsync(page));
    }

    private static List<string> Matching(IReadOnlyList<(string Id, IReadOnlyList<string> Images)> samples, string word)
    {
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(Path.Combine(ReportFixture.Dataset, "images", "provenance.jsonl")))
        {
            using var record = JsonDocument.Parse(line);
            var image = record.RootElement.GetProperty("image");
            prompts.TryAdd(image.GetProperty("file").GetString()!, image.GetProperty("prompt").GetString()!);
        }

        var dialogues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in new[] { "llava.json", "llava_multi.json" })
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ReportFixture.Dataset, file)));
            foreach (var sample in document.RootElement.EnumerateArray())
            {
                dialogues[sample.GetProperty("id").GetString()!] = string.Join('\n', sample.GetProperty("conversations").EnumerateArray()
                    .Select(t => t.GetProperty("value").GetString()));
            }
        }

        return [.. samples.Where(s => s.Id.Contains(word, StringComparison.OrdinalIgnoreCase)
                || dialogues[s.Id].Contains(word, StringComparison.OrdinalIgnoreCase)
                || s.Images.Any(i => i.Contains(word, StringComparison.OrdinalIgnoreCase)
                    || (prompts.TryGetValue(i, out string? p) && p.Contains(word, StringComparison.OrdinalIgnoreCase))))
            .Select(s => s.Id)];
    }

    private static async Task WaitStatusAsync(IPage page, string text) =>
        await page.WaitForFunctionAsync("t => document.getElementById('status').textContent === t", text);

    private static async Task<List<string>> ShownIdsAsync(IPage page) =>
        [.. await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('article.sample')].map(a => a.dataset.id)")];

    private static async Task ThumbnailsLoadedAsync(IPage page)
    {
        // The page loads thumbnails lazily, as they scroll into view; the test asks for all of them at once.
        await page.EvaluateAsync("() => document.querySelectorAll('img.thumb').forEach(i => i.loading = 'eager')");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('img.thumb')].every(i => i.complete)");
        var widths = await page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('img.thumb')].map(i => i.naturalWidth)");
        Assert.NotEmpty(widths);
        Assert.All(widths, w => Assert.True(w > 0));
    }
}
