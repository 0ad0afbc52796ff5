namespace VisInstruct.Filters.Text;

/// <summary>
/// Short lists of frequent function words for the Latin-script languages <see cref="LanguageCheck"/> tells apart,
/// and letters that mark one of them. A word in several lists counts for each of them in part.
/// </summary>
internal static class LanguageStopwords
{
    public static IReadOnlyDictionary<string, string[]> Lists { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["en"] =
        [
            "the", "of", "and", "to", "a", "i", "in", "is", "it", "that", "this", "with", "for", "on", "are", "was", "as", "be", "by",
            "at", "or", "from", "there", "what", "which", "its", "an", "has", "have", "can", "you", "they", "not", "but", "their",
            "these", "those", "some", "any", "how", "many", "where", "does", "do", "appears", "image", "picture", "shows", "left",
            "right", "next", "near", "behind", "color", "colour", "between", "object", "objects",
        ],
        ["de"] =
        [
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen", "dem", "den", "des", "mit", "auf", "für", "sich",
            "auch", "es", "zu", "von", "im", "wie", "oder", "aber", "wird", "sind", "bei", "nach", "noch", "nur", "dass", "kann",
            "ich", "sie", "wir", "zum", "zur", "über", "unter", "hier", "diese", "dieser", "welche", "welcher", "vor", "neben",
            "links", "rechts", "bild", "gibt", "viele",
        ],
        ["fr"] =
        [
            "le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "que", "qui", "dans", "pour", "pas", "sur", "au",
            "aux", "avec", "ce", "cette", "il", "elle", "ils", "sont", "ne", "se", "en", "par", "plus", "mais", "ou", "où",
            "son", "sa", "ses", "leur", "nous", "vous", "y", "quelle", "quel", "combien", "gauche", "droite", "à", "côté",
            "être", "été", "image",
        ],
        ["es"] =
        [
            "el", "la", "los", "las", "de", "del", "y", "que", "en", "un", "una", "es", "por", "con", "para", "no", "se", "lo",
            "al", "su", "sus", "como", "más", "pero", "hay", "está", "están", "son", "muy", "también", "este", "esta", "estos",
            "qué", "cuál", "cuántos", "dónde", "izquierda", "derecha", "imagen", "sobre", "entre", "ya", "le", "les", "fue",
        ],
        ["it"] =
        [
            "il", "lo", "la", "gli", "le", "di", "del", "della", "dei", "delle", "e", "è", "che", "un", "una", "uno", "per",
            "con", "non", "sono", "nel", "nella", "alla", "al", "da", "dal", "si", "come", "più", "ma", "anche", "questo",
            "questa", "quale", "quanti", "dove", "sinistra", "destra", "immagine", "ci", "sul", "sulla", "tra", "cosa",
        ],
        ["pt"] =
        [
            "o", "os", "a", "as", "de", "do", "da", "dos", "das", "e", "é", "que", "um", "uma", "em", "no", "na", "nos", "nas",
            "para", "com", "não", "por", "se", "mais", "como", "mas", "ao", "seu", "sua", "são", "está", "estão", "há", "também",
            "este", "esta", "isso", "qual", "quantos", "onde", "esquerda", "direita", "imagem", "muito", "pelo", "pela",
        ],
        ["nl"] =
        [
            "de", "het", "een", "en", "van", "is", "dat", "die", "niet", "op", "te", "zijn", "met", "voor", "er", "maar", "om",
            "ook", "aan", "als", "bij", "nog", "wordt", "door", "naar", "dit", "deze", "wat", "welke", "hoeveel", "waar",
            "links", "rechts", "afbeelding", "naast", "achter", "heeft", "zijn", "kan", "geen", "uit", "wel", "hier",
        ],
        ["sv"] =
        [
            "och", "att", "det", "som", "en", "ett", "är", "på", "av", "för", "med", "till", "den", "inte", "har", "de", "om",
            "ett", "men", "var", "sig", "så", "kan", "från", "eller", "hur", "många", "vilken", "vilket", "var", "finns",
            "bilden", "vänster", "höger", "bredvid", "bakom", "också", "när", "där", "här", "detta", "denna",
        ],
        ["pl"] =
        [
            "i", "w", "z", "na", "się", "nie", "to", "jest", "że", "do", "jak", "co", "ale", "o", "po", "tak", "od", "za",
            "są", "przez", "dla", "oraz", "czy", "tym", "ten", "ta", "te", "który", "która", "które", "jego", "jej", "ich",
            "ile", "gdzie", "lewej", "prawej", "obrazie", "obok", "przed", "może", "bardzo", "już", "tylko",
        ],
        ["tr"] =
        [
            "ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "ne", "var", "yok", "gibi", "olan", "en",
            "ama", "şu", "o", "mi", "mı", "mu", "mü", "kadar", "sonra", "her", "ya", "hangi", "kaç", "nerede", "sol", "sağ",
            "resimde", "görüntüde", "yanında", "arkasında", "rengi", "nedir", "vardır", "değil", "ise", "olduğu",
        ],
        ["id"] =
        [
            "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "ada", "akan", "pada", "juga",
            "ke", "karena", "oleh", "atau", "saya", "mereka", "kami", "adalah", "sebagai", "bisa", "sudah", "telah", "apa",
            "berapa", "mana", "gambar", "kiri", "kanan", "samping", "belakang", "warna", "sebuah", "seorang", "banyak",
        ],
        ["vi"] =
        [
            "của", "và", "là", "có", "không", "những", "được", "trong", "một", "các", "này", "cho", "với", "người", "đã",
            "để", "từ", "khi", "như", "về", "đến", "thì", "cũng", "nhưng", "bên", "trái", "phải", "hình", "ảnh", "màu",
            "gì", "bao", "nhiêu", "đâu", "nào", "đang", "rất", "nhiều", "sẽ", "còn",
        ],
    };

    /// <summary>Letters that mark one Latin-script language (a word holding one counts half a hit for it).</summary>
    public static IReadOnlyDictionary<char, string> MarkLetters { get; } = Marks();

    private static Dictionary<char, string> Marks()
    {
        var marks = new Dictionary<char, string>();
        void Add(string letters, string language)
        {
            foreach (char c in letters)
            {
                marks[c] = language;
            }
        }

        Add("ßäöü", "de");
        Add("ñ¿¡", "es");
        Add("çèêëîïûùœ", "fr");
        Add("ãõ", "pt");
        Add("ąęłśźżćń", "pl");
        Add("ğşı", "tr");
        Add("å", "sv");
        Add("ăâđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ", "vi");
        return marks;
    }
}
