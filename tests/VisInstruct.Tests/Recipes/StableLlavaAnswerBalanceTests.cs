using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisInstruct.Rendering;
using VisInstruct.Tests.Support;

namespace VisInstruct.Tests.Recipes;

/// <summary>
/// The default offline StableLLaVA run (50 samples per ability) is varied and balanced, measured on the files it
/// writes: at least 600 distinct answer words; no answer template (an answer with its colour, shape, number, size,
/// texture, material and place words masked) above 5 % of the answers; and per question template, as the card reports
/// it from the pairs' templates and canonical answers, no answer above 60 %.
/// </summary>
public class StableLlavaAnswerBalanceTests
{
    private static readonly Regex Word = new("[a-z0-9]+(?:[-'][a-z0-9]+)*", RegexOptions.CultureInvariant);

    private static readonly Regex Row = new(@"^\| (?<template>[a-z_.]+) \| (?<pairs>\d+) \| (?<top>[^|]+) \| (?<share>\d+) % \|$",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    private static HashSet<string> SceneWordSet()
    {
        var words = new HashSet<string>(StringComparer.Ordinal)
        {
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "small", "little", "tiny", "medium", "medium-sized", "large", "big", "huge", "plain", "solid", "striped", "dotted",
            "spotted", "polka-dot", "checked", "checkered", "matte", "glossy", "shiny", "metallic", "metal", "glass",
            "top", "bottom", "left", "right", "centre", "center", "middle",
        };
        foreach (var colour in NamedColor.Palette.Concat(NamedColor.Backgrounds))
        {
            words.UnionWith(colour.Name.Split(' '));
        }

        foreach (var shape in Enum.GetValues<ShapeKind>())
        {
            words.UnionWith(ShapeNames.Name(shape).Split(' '));
            words.UnionWith(ShapeNames.Plural(shape).Split(' '));
        }

        return words;
    }

    private static List<string> Answers(string folder)
    {
        var answers = new List<string>();
        foreach (string file in new[] { "llava.json", "llava_multi.json" })
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, file)));
            foreach (var sample in doc.RootElement.EnumerateArray())
            {
                answers.AddRange(sample.GetProperty("conversations").EnumerateArray()
                    .Where(t => t.GetProperty("from").GetString() == "gpt").Select(t => t.GetProperty("value").GetString()!));
            }
        }

        return answers;
    }

    [Fact]
    public void DefaultOfflineRun_IsVariedAndBalanced()
    {
        using var temp = new TempDir();
        var result = CliRunner.Run("generate", "--out", temp.Path, "--quiet");
        Assert.Equal(0, result.ExitCode);

        var answers = Answers(temp.Path);
        Assert.True(answers.Count >= 800, $"only {answers.Count} answers");
        var tokens = answers.Select(a => Word.Matches(a.ToLowerInvariant()).Select(m => m.Value).ToList()).ToList();
        int distinct = tokens.SelectMany(t => t).Distinct(StringComparer.Ordinal).Count();
        Assert.True(distinct >= 600, $"{distinct} distinct answer words");

        var masked = SceneWordSet();
        var forms = tokens.Select(t => string.Join(' ', t.Select(w => masked.Contains(w) || w.All(char.IsAsciiDigit) ? "#" : w)))
            .GroupBy(f => f, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        double largest = (double)forms[0].Count() / answers.Count;
        Assert.True(largest <= 0.05, $"the answer template \"{forms[0].Key}\" is {largest:P1} of the answers");

        string card = File.ReadAllText(temp.File("README.md"));
        var rows = Row.Matches(card).ToList();
        Assert.True(rows.Count >= 25, $"{rows.Count} templates on the card");
        int pairs = rows.Sum(r => int.Parse(r.Groups["pairs"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(answers.Count, pairs);
        var unbalanced = rows.Where(r => int.Parse(r.Groups["share"].Value, CultureInfo.InvariantCulture) > 60)
            .Select(r => $"{r.Groups["template"].Value} ({r.Groups["top"].Value}: {r.Groups["share"].Value} %)").ToList();
        Assert.True(unbalanced.Count == 0, "templates with one answer above 60 %: " + string.Join(", ", unbalanced));
        Assert.Contains($"{answers.Count} answers use {distinct} distinct words", card, StringComparison.Ordinal);
        foreach (string template in new[] { "colour.check", "exist.object", "size.compare", "multi.more", "reasoning.more" })
        {
            Assert.Contains(rows, r => r.Groups["template"].Value == template);
        }
    }
}
