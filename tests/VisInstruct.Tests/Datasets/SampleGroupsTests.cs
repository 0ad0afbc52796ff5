using VisInstruct.Datasets;
using VisInstruct.Formats;

namespace VisInstruct.Tests.Datasets;

public class SampleGroupsTests
{
    private static LlavaSample Sample(string id, string? image = null) => new()
    {
        Id = id, Image = image is null ? null : LlavaImage.Single(image),
        Conversations = [new LlavaTurn(LlavaTurn.Human, "Q?"), new LlavaTurn(LlavaTurn.Gpt, "A.")],
    };

    [Theory]
    [InlineData("stablellava", "color_000012", "color")]
    [InlineData("stablellava", "art_style_000003", "art_style")]
    [InlineData("stablellava", "multi_turn_000001", "multi_turn")]
    [InlineData("svit", "1_referring_qa_3", "referring_qa")]
    [InlineData("svit", "2354786_detail_description", "detail_description")]
    [InlineData("llava-instruct", "000000000009_complex_reasoning_0", "complex_reasoning")]
    [InlineData("llava-instruct", "000000000009_detail_description", "detail_description")]
    public void ThisToolsIds_GiveTheirUnit(string recipe, string id, string group) =>
        Assert.Equal(group, SampleGroups.Of(Sample(id, "images/x.jpg"), recipe));

    [Theory]
    [InlineData("000000033471", "coco/train2017/000000033471.jpg", "coco")]
    [InlineData("2354786", "gqa/images/2354786.jpg", "gqa")]
    [InlineData("71357", "ocr_vqa/images/71357.jpg", "ocr_vqa")]
    [InlineData("0a0bc91825468c45", "textvqa/train_images/0a0bc91825468c45.jpg", "textvqa")]
    [InlineData("1", "vg/VG_100K/1.jpg", "vg")]
    [InlineData("1", "./vg/VG_100K_2/1.jpg", "vg")]
    [InlineData("x", "x.jpg", "images")]
    public void PlainLlava665kFiles_GroupByImageSource(string id, string image, string group) =>
        Assert.Equal(group, SampleGroups.Of(Sample(id, image), recipe: null));

    [Fact]
    public void TextOnlySamples_AndUnmatchedIds_FallBackToTheSource()
    {
        Assert.Equal(SampleGroups.TextOnly, SampleGroups.Of(Sample("i6IyJda_0"), recipe: null));
        Assert.Equal("coco", SampleGroups.Of(Sample("not-an-ability-id", "coco/a.jpg"), "stablellava"));
    }
}
