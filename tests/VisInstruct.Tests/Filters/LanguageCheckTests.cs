using VisInstruct.Filters.Text;
using VisInstruct.Formats;
using VisInstruct.Randomness;
using VisInstruct.Recipes.StableLlava;
using VisInstruct.Rendering;

namespace VisInstruct.Tests.Filters;

public class LanguageCheckTests
{
    [Theory]
    [InlineData("en", "The red car is parked on the left side of the street, next to a small tree.")]
    [InlineData("de", "Das rote Auto steht auf der linken Seite der Straße, neben einem kleinen Baum.")]
    [InlineData("fr", "La voiture rouge est garée sur le côté gauche de la rue, à côté d'un petit arbre.")]
    [InlineData("es", "El coche rojo está aparcado en el lado izquierdo de la calle, junto a un árbol pequeño.")]
    [InlineData("it", "La macchina rossa è parcheggiata sul lato sinistro della strada, vicino a un piccolo albero.")]
    [InlineData("pt", "O carro vermelho está estacionado do lado esquerdo da rua, perto de uma pequena árvore.")]
    [InlineData("nl", "De rode auto staat aan de linkerkant van de straat, naast een kleine boom.")]
    [InlineData("sv", "Den röda bilen står på vänster sida av gatan, bredvid ett litet träd.")]
    [InlineData("pl", "Czerwony samochód stoi po lewej stronie ulicy, obok małego drzewa, i jest bardzo czysty.")]
    [InlineData("tr", "Kırmızı araba sokağın sol tarafında, küçük bir ağacın yanında park edilmiş ve çok temiz.")]
    [InlineData("id", "Mobil merah itu diparkir di sisi kiri jalan, di samping sebuah pohon kecil yang ada di sana.")]
    [InlineData("vi", "Chiếc xe màu đỏ đang đậu ở bên trái của con đường, cạnh một cái cây nhỏ.")]
    [InlineData("zh", "红色的汽车停在街道的左边，旁边有一棵小树。")]
    [InlineData("ja", "赤い車は通りの左側に止まっていて、その隣に小さな木があります。")]
    [InlineData("ko", "빨간 자동차가 거리의 왼쪽에 주차되어 있고 옆에 작은 나무가 있습니다.")]
    [InlineData("ru", "Красная машина стоит на левой стороне улицы, рядом с маленьким деревом.")]
    [InlineData("uk", "Червона машина стоїть на лівому боці вулиці, поруч із маленьким деревом.")]
    [InlineData("ar", "السيارة الحمراء متوقفة على الجانب الأيسر من الشارع بجانب شجرة صغيرة.")]
    [InlineData("hi", "लाल कार सड़क के बाईं ओर एक छोटे पेड़ के पास खड़ी है।")]
    [InlineData("el", "Το κόκκινο αυτοκίνητο είναι σταθμευμένο στην αριστερή πλευρά του δρόμου.")]
    [InlineData("he", "המכונית האדומה חונה בצד השמאלי של הרחוב ליד עץ קטן.")]
    [InlineData("th", "รถสีแดงจอดอยู่ทางด้านซ้ายของถนนข้างต้นไม้เล็กๆ")]
    public void Detects_the_language_of_a_sentence(string language, string sentence) =>
        Assert.Equal(language, LanguageCheck.Detect(sentence));

    [Theory]
    [InlineData("Yes.")]
    [InlineData("2")]
    [InlineData("<image>")]
    [InlineData("[0.12, 0.30, 0.45, 0.90]")]
    public void Says_nothing_of_text_too_short_to_tell(string text) => Assert.Null(LanguageCheck.Detect(text));

    [Fact]
    public void Flags_a_chinese_answer_in_an_english_dialogue_and_names_the_turn()
    {
        var sample = Sample(
            ("<image>\nWhat is the man on the left holding in his hand?", "He is holding a blue umbrella over his head."),
            ("<image>\nWhat colour is the car next to him?", "他旁边的汽车是红色的，停在路边。"));
        var verdict = LanguageCheck.Judge(sample);
        Assert.True(verdict.Flagged);
        Assert.Equal(LanguageCheck.WrongLanguage, verdict.Reason);
        Assert.Equal(LanguageCheck.Name, verdict.Filter);
        Assert.Equal("gpt turn 2: zh", verdict.Detail);
        Assert.InRange(verdict.Score!.Value, 0.5, 0.95);
    }

    [Fact]
    public void Short_turns_english_with_a_foreign_name_and_grounding_mentions_are_not_flagged()
    {
        var sample = Sample(
            ("<image>\nIs there a dog?", "Yes."),
            ("<image>\nHow many cups are on the table?", "3"),
            ("<image>\nWhere was this photo taken?", "This photo was taken in front of the Brandenburger Tor in 北京 at night."),
            ("Where is <st>die Katze<ed> [0.12, 0.30, 0.45, 0.90] sitting?", "It sits on the sofa near the window."));
        var verdict = LanguageCheck.Judge(sample);
        Assert.False(verdict.Flagged, verdict.Detail);
        Assert.Equal(1.0, verdict.Score);
    }

    [Fact]
    public void Expecting_german_flags_an_english_dialogue()
    {
        var sample = Sample(("<image>\nWhat is the woman in the picture doing?", "She is reading a book on a bench in the park."));
        var verdict = LanguageCheck.Judge(sample, expected: "de");
        Assert.True(verdict.Flagged);
        Assert.Equal("human turn 1: en; gpt turn 1: en", verdict.Detail);
        Assert.Equal(0.0, verdict.Score);
        var german = Sample(("<image>\nWas macht die Frau auf dem Bild?", "Sie liest ein Buch auf einer Bank im Park."));
        Assert.False(LanguageCheck.Judge(german, expected: "de").Flagged);
    }

    [Fact]
    public void The_offline_writer_dialogues_are_never_flagged()
    {
        // The template writer's dialogues for every procedural ability and kind, 2,000 and more, written without
        // drawing their images.
        var catalog = AbilityCatalog.BuiltIn();
        var composer = new SceneComposer(SceneComposer.DefaultSize, SceneComposer.DefaultSize);
        int samples = 0, judged = 0;
        var flagged = new List<string>();
        foreach (var ability in catalog.All.Where(a => a.Procedural is not null))
        {
            foreach (string kind in ability.Kinds)
            {
                for (int i = 0; i < 120; i++)
                {
                    var scenario = ProceduralScenarios.Build(ability, kind, i, new DeterministicRandom((ulong)(i * 31) + 7), composer,
                        catalog.CaptionInstructions);
                    var sample = Sample([.. scenario.TemplateTurns.Select(t => (t.Question, t.Answer))]);
                    samples++;
                    var verdict = LanguageCheck.Judge(sample);
                    judged += verdict.Score is null ? 0 : 1;
                    if (verdict.Flagged)
                    {
                        flagged.Add($"{ability.Name}/{kind}/{i}: {verdict.Detail}: "
                            + string.Join(" / ", scenario.TemplateTurns.Select(t => t.Answer)));
                    }
                }
            }
        }

        Assert.True(samples >= 2000, $"{samples} samples");
        Assert.True(judged > samples / 2, $"only {judged} of {samples} had a turn whose language was detected");
        Assert.True(flagged.Count == 0, $"{flagged.Count} flagged: " + string.Join(" | ", flagged.Take(10)));
    }

    private static LlavaSample Sample(params (string Question, string Answer)[] rounds) => new()
    {
        Id = "s1",
        Image = LlavaImage.Single("a.jpg"),
        Conversations =
            [.. rounds.SelectMany(r => new[] { new LlavaTurn(LlavaTurn.Human, r.Question), new LlavaTurn(LlavaTurn.Gpt, r.Answer) })],
    };
}
