using System.Globalization;
using System.Text;

namespace Portal.Logs.Embedded;

/// <summary>
/// The tokens the embedded store feeds to FTS5 and asks it for. Every token is made of <c>[a-z0-9_]</c> only, so
/// FTS5's tokenizer (ascii, <c>_</c> as a token character) takes it as one token: text is lowercased and any other
/// character is written as <c>_xx</c> per UTF-8 byte (<c>_</c> itself as <c>_5f</c>). The code is prefix-free, so the
/// encoding of a prefix is a prefix of the encoding, and <c>__</c> never occurs inside an encoded part: it separates a
/// field's name from its value. Kinds, by first letter: <c>e</c> environment, <c>x</c> field present, <c>k1</c> to
/// <c>k4</c> keyword (see <see cref="Keywords"/>), <c>f</c> one analyzed word of a field, <c>n</c> number (sortable hex), <c>z</c> every row,
/// <c>y</c> no row. Words in the <c>text</c> column are encoded words with no kind.
/// </summary>
internal static class LogTokens
{
    /// <summary>Present in every row: "match all", and the left side of a unary NOT.</summary>
    public const string AllRows = "z";

    /// <summary>Present in no row: "match nothing".</summary>
    public const string NoRows = "y";

    /// <summary>Longer values get no keyword token, as Elasticsearch's dynamic mapping's <c>ignore_above: 256</c>.</summary>
    public const int KeywordMaxLength = 256;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    public static string Environment(string environment) => "e" + EncodeName(environment);

    public static string Exists(string field) => "x" + EncodeName(field);

    /// <summary>
    /// A value's keyword tokens, as Elasticsearch's <c>index_prefixes</c> does it: one per cut length (8, 16, 32, 64
    /// characters, labelled 1 to 4) up to the value's length, holding the value's first that-many characters, or the
    /// whole value closed by <c>__</c> when it is no longer. A prefix of length L is then a prefix query in the space of
    /// the smallest cut of at least L characters, which holds few distinct terms however many distinct values there are.
    /// </summary>
    public static IEnumerable<string> Keywords(string field, string value)
    {
        for (var i = 0; i < KeywordCuts.Length && (i == 0 || value.Length > KeywordCuts[i - 1]); i++)
        {
            yield return KeywordToken(field, value, i);
        }
    }

    /// <summary>
    /// The token of the whole value: exact up to <see cref="KeywordPrefixLength"/> characters; beyond, the token of
    /// its first characters, which also longer values sharing them carry (see <see cref="IsCut"/>).
    /// </summary>
    public static string KeywordExact(string field, string value) => KeywordToken(field, value, CutFor(value.Length));

    /// <summary>
    /// What a prefix query on the whole value asks for: a token prefix (<paramref name="stem"/> of up to
    /// <see cref="KeywordPrefixLength"/> characters), or beyond that the cut token (see <see cref="IsCut"/>).
    /// </summary>
    public static string KeywordPrefix(string field, string stem) => IsCut(stem)
        ? KeywordToken(field, stem, KeywordCuts.Length - 1)
        : "k" + (char)('1' + CutFor(stem.Length)) + EncodeName(field) + "__" + Encode(stem);

    /// <summary>The longest prefix a keyword token holds.</summary>
    public const int KeywordPrefixLength = 64;

    /// <summary>True when a value is longer than keyword tokens hold: matching it needs a check of the stored value.</summary>
    public static bool IsCut(string value) => value.Length > KeywordPrefixLength;

    private static readonly int[] KeywordCuts = [8, 16, 32, KeywordPrefixLength];

    private static int CutFor(int length)
    {
        var i = 0;
        while (i < KeywordCuts.Length - 1 && KeywordCuts[i] < length)
        {
            i++;
        }

        return i;
    }

    private static string KeywordToken(string field, string value, int cut)
    {
        var head = "k" + (char)('1' + cut) + EncodeName(field) + "__";
        var length = KeywordCuts[cut];
        if (value.Length <= length)
        {
            return head + Encode(value) + "__";
        }

        return head + Encode(value[..(char.IsHighSurrogate(value[length - 1]) ? length - 1 : length)]);
    }

    public static string FieldWord(string field, string word) => "f" + EncodeName(field) + "__" + Encode(word);

    public static string Number(string field, double value) => NumberPrefix(field) + Sortable(value).ToString("x16", CultureInfo.InvariantCulture);

    public static string NumberPrefix(string field) => "n" + EncodeName(field) + "__";

    public static string TextWord(string word) => Encode(word);

    /// <summary><see cref="Encode"/> for names, which repeat: remembered (up to a bound).</summary>
    public static string EncodeName(string name)
    {
        if (Names.TryGetValue(name, out var encoded))
        {
            return encoded;
        }

        encoded = Encode(name);
        if (Names.Count < 10_000)
        {
            Names[name] = encoded;
        }

        return encoded;
    }

    /// <summary>Lowercases and escapes <paramref name="text"/> to <c>[a-z0-9_]</c>.</summary>
    public static string Encode(string text)
    {
        if (IsPlain(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var lower = Rune.ToLowerInvariant(rune);
            var v = lower.Value;
            if (v is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                builder.Append((char)v);
                continue;
            }

            var n = lower.EncodeToUtf8(utf8);
            for (var i = 0; i < n; i++)
            {
                builder.Append('_').Append(HexDigit(utf8[i] >> 4)).Append(HexDigit(utf8[i] & 0xf));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A rough Elasticsearch standard analyzer: the runs of letters and digits, lowercased, in order (duplicates kept,
    /// for phrases).
    /// </summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text, i) || char.IsSurrogate(text[i]) && IsLetterOrDigitPair(text, i));
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return words;
    }

    /// <summary>True when <paramref name="text"/> is exactly one analyzed word (letters and digits only).</summary>
    public static bool IsOneWord(string text) => text.Length > 0 && Words(text) is [var only] && only.Length == text.Length;

    /// <summary>
    /// The double as an unsigned integer whose order is the numbers' order (sign bit flipped for positives, all bits
    /// for negatives); -0 is 0.
    /// </summary>
    public static ulong Sortable(double value)
    {
        if (value == 0)
        {
            value = 0;
        }

        var bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    /// <summary>
    /// The fewest hex prefixes that together cover exactly [<paramref name="low"/>, <paramref name="high"/>]: each is
    /// (the prefix's hex digits, whether more digits follow). A range of numbers becomes an OR of FTS5 prefix queries.
    /// </summary>
    public static List<(string Digits, bool IsPrefix)> Cover(ulong low, ulong high)
    {
        var blocks = new List<(string, bool)>();
        while (low <= high)
        {
            // The largest block (16^k values) aligned at low that does not pass high.
            var k = 0;
            while (k < 16)
            {
                var next = k + 1;
                var size = next == 16 ? 0UL : 1UL << (4 * next);
                var aligned = next == 16 ? low == 0 : low % size == 0;
                var fits = next == 16 ? high == ulong.MaxValue : low + size - 1 <= high && low + size - 1 >= low;
                if (!aligned || !fits)
                {
                    break;
                }

                k = next;
            }

            var digits = 16 - k;
            var hex = low.ToString("x16", CultureInfo.InvariantCulture)[..digits];
            blocks.Add((hex, k > 0));
            if (k == 16)
            {
                break;
            }

            var step = 1UL << (4 * k);
            if (low > ulong.MaxValue - step)
            {
                break;
            }

            low += step;
            if (low == 0)
            {
                break;
            }
        }

        return blocks;
    }

    private static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (c is not (>= 'a' and <= 'z' or >= '0' and <= '9'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLetterOrDigitPair(string text, int i)
    {
        var start = char.IsHighSurrogate(text[i]) ? i : i - 1;
        return start >= 0 && start + 1 < text.Length && char.IsSurrogatePair(text[start], text[start + 1])
            && Rune.IsLetterOrDigit(new Rune(text[start], text[start + 1]));
    }

    private static char HexDigit(int v) => (char)(v < 10 ? '0' + v : 'a' + v - 10);
}
