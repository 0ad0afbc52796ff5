using VisInstruct.Report;

namespace VisInstruct.Tests.Report;

public sealed class ReportFiguresTests
{
    [Fact]
    public void Normalised_boxes_are_found_and_pixel_or_inverted_boxes_are_not()
    {
        var boxes = BoxGrid.Find("The cup [0.12, 0.30, 0.45, 0.9] is left of [0.5,0.5,0.75,0.6]; pixels [12, 30, 45, 90]; "
            + "bad [0.5, 0.2, 0.4, 0.3].");
        Assert.Equal([(0.12, 0.30, 0.45, 0.9), (0.5, 0.5, 0.75, 0.6)], boxes);
        var grid = new BoxGrid();
        grid.AddSample(["a [0.0, 0.0, 0.1, 0.1]", "b [0.9, 0.9, 1.0, 1.0] c [0.40, 0.40, 0.60, 0.60]"]);
        grid.AddSample(["no boxes here"]);
        Assert.Equal(3, grid.Boxes);
        Assert.Equal(1, grid.Samples);
        Assert.Equal(1, grid.Centres[1, 1]);
        Assert.Equal(1, grid.Centres[19, 19]);
        Assert.Equal(1, grid.Centres[10, 10]);
        Assert.Equal(2, grid.Sizes[2, 2]);
        Assert.Equal(1, grid.Sizes[4, 4]);
    }

    [Fact]
    public void Openings_are_the_first_words_without_the_image_token_and_the_top_ones_survive_pruning()
    {
        Assert.Equal("what is the", OpeningTally.Opening("<image>\nWhat is   the colour, here?", 3));
        Assert.Equal("how many", OpeningTally.Opening("How many?", 3));
        Assert.Null(OpeningTally.Opening("<image>", 3));
        var tally = new OpeningTally(words: 2, capacity: 10);
        for (int i = 0; i < 100; i++)
        {
            tally.Add("What colour is it?");
            tally.Add($"Rare{i} question");
            if (i % 2 == 0)
            {
                tally.Add("How many are there?");
            }
        }

        Assert.True(tally.Pruned);
        Assert.Equal([("what colour", 100L), ("how many", 50L)], tally.Top(2));
    }

    [Fact]
    public void Histograms_bin_by_width_with_an_open_last_bin()
    {
        var histogram = new Histogram("h", "words", 10, 4);
        foreach (long v in new long[] { 0, 9, 10, 25, 31, 400 })
        {
            histogram.Add(v);
        }

        Assert.Equal([2L, 1, 1, 2], histogram.Bins);
        Assert.Equal(["0-9", "10-19", "20-29", "30+"], Enumerable.Range(0, 4).Select(histogram.Label));
        Assert.Equal(400, histogram.Max);
        Assert.Equal(475 / 6.0, histogram.Mean, 9);
        Assert.Equal(4, DatasetStatistics.Words(" two\nwords and\tthree "));
    }

    [Fact]
    public void The_server_serves_the_report_and_the_image_folder_only()
    {
        using var temp = new Support.TempDir();
        temp.Write("report/index.html", "<html></html>");
        temp.Write("report/data/all-000000.js", "x");
        temp.Write("report/.hidden", "secret");
        temp.Write("images/coco/1.jpg", "jpg");
        temp.Write("secret.txt", "secret");
        string report = temp.File("report"), images = temp.File("images");
        Assert.Equal(temp.File("report", "index.html"), ReportFiles.Resolve(report, images, "/"));
        Assert.Equal(temp.File("report", "data", "all-000000.js"), ReportFiles.Resolve(report, images, "/data/all-000000.js"));
        Assert.Equal(temp.File("images", "coco", "1.jpg"), ReportFiles.Resolve(report, images, "/images/coco/1.jpg"));
        Assert.Null(ReportFiles.Resolve(report, null, "/images/coco/1.jpg"));
        foreach (string refused in new[] { "/../secret.txt", "/images/../secret.txt", "/images/../../secret.txt", "/.hidden",
            "//etc/passwd",
            "/data/../../secret.txt", "/missing.html", "/data\\..\\..\\secret.txt" })
        {
            Assert.Null(ReportFiles.Resolve(report, images, refused));
        }
    }
}
