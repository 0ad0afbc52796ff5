using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Report;

public sealed class ReportRunFactsTests
{
    [Fact]
    public void An_annotated_run_shows_its_card_failures_quality_figures_and_box_heat_maps()
    {
        using var temp = new TempDir();
        temp.Write("svit/manifest.json", """
            {"tool": "visinstruct", "version": "0.1.0", "recipe": "svit", "seed": "7", "complete": true,
             "counts": {"items": 5, "done": 3, "failed": 1, "dropped": 2, "pending": 0},
             "failures": [{"stage": "grounding", "kind": "box_mismatch", "status": "dropped", "count": 2},
                          {"stage": "llm", "kind": "timeout", "status": "failed", "count": 1}],
             "timings": {"written": "2026-12-01T10:00:00Z", "last_run_seconds": 12.5, "last_run_items": 5},
             "usage": [{"backend": "openai", "model": "gpt-4o-mini", "requests": 9, "cache_hits": 1, "errors": 1,
                        "input_tokens": 1200, "output_tokens": 800, "images": 0}],
             "counters": {"answer:colour.name=red": 3, "grounding_boxes": 6, "grounding_boxes_passed": 4, "verify_dropped:count": 1},
             "cost_usd": 0.0123}
            """);
        // One record a line (JSON Lines), written with ' for " to keep the lines short.
        temp.Write("svit/failures.jsonl", string.Join('\n',
            "{'key': '1_referring_qa', 'status': 'dropped', 'stage': 'grounding', 'kind': 'box_mismatch', "
                + "'message': 'box [0.1, 0.1, 0.2, 0.2] names no object', 'attempts': 1}",
            "{'key': '2_referring_qa', 'status': 'dropped', 'stage': 'grounding', 'kind': 'box_mismatch', 'message': 'second', "
                + "'attempts': 1}",
            "{'key': '3_conversation', 'status': 'failed', 'stage': 'llm', 'kind': 'timeout', "
                + "'message': 'the server did not answer', 'attempts': 3}",
            "").Replace('\'', '"'));
        temp.Write("svit/stats.json", """{"dedup": {"questions_removed": 17, "near_duplicates": 3}, "grounding": {"iou_mean": 0.81}}""");
        temp.Write("svit/llava.json", """
            [{"id": "1_referring_qa_0", "image": "vg/1.jpg", "conversations": [
               {"from": "human", "value": "<image>\nWhat is in [0.10, 0.20, 0.30, 0.40]?"},
               {"from": "gpt", "value": "A cup; the saucer is at [0.5, 0.5, 0.9, 0.95]."}]},
             {"id": "1_referring_qa_1", "image": "vg/1.jpg", "conversations": [
               {"from": "human", "value": "<image>\nIs [0.0, 0.0, 1.0, 1.0] the whole picture?"}, {"from": "gpt", "value": "Yes."},
               {"from": "human", "value": "And [0.25, 0.25, 0.75, 0.75]?"}, {"from": "gpt", "value": "The middle."}]},
             {"id": "2_detail_description", "image": "vg/2.jpg", "conversations": [
               {"from": "human", "value": "<image>\nDescribe the image in detail."},
               {"from": "gpt", "value": "A kitchen with 12 [sic] cups."}]}]
            """);
        var result = CliRunner.Run("report", temp.File("svit"));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("3 image references without a file", result.Out, StringComparison.Ordinal);
        string html = File.ReadAllText(temp.File("svit", "report", "index.html"));

        Assert.Contains("<td>recipe</td><td>svit</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>seed</td><td>7</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>cost_usd</td><td>0.0123</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>gpt-4o-mini</td><td class=\"n\">9</td>", html, StringComparison.Ordinal);
        Assert.Contains("Counts per task", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"group\">referring_qa</td><td class=\"n count\">2</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"group\">detail_description</td><td class=\"n count\">1</td>", html, StringComparison.Ordinal);
        // Failures by stage and kind, counted from the manifest, with the first message from failures.jsonl.
        Assert.Contains("<td>dropped</td><td>grounding</td><td>box_mismatch</td><td class=\"n\">2</td>"
            + "<td>1_referring_qa: box [0.1, 0.1, 0.2, 0.2] names no object</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>failed</td><td>llm</td><td>timeout</td><td class=\"n\">1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>grounding_boxes_passed</td><td class=\"n\">4</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("answer:colour.name", html, StringComparison.Ordinal);
        Assert.Contains("<td>dedup.questions_removed</td><td class=\"n\">17</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>grounding.iou_mean</td><td class=\"n\">0.81</td>", html, StringComparison.Ordinal);
        // Four normalised boxes in two samples; "12 [sic]" is no box.
        Assert.Contains("4 normalised boxes [x1, y1, x2, y2] in 2 samples.", html, StringComparison.Ordinal);
        Assert.Contains("<td>Rounds per sample (question-answer rounds)</td><td class=\"n\">3</td><td class=\"n\">1.3</td>", html,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_manifest_is_named_with_its_line()
    {
        using var temp = new TempDir();
        temp.Write("run/llava.json", "[]");
        temp.Write("run/manifest.json", "{\"recipe\": \"svit\",\n \"seed\": }");
        var result = CliRunner.Run("report", temp.File("run"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(temp.File("run", "manifest.json"), result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("run", "report")));
    }
}
