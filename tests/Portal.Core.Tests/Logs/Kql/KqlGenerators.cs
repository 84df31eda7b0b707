using FsCheck;
using FsCheck.Fluent;
using Portal.Core.Logs.Kql;

namespace Portal.Core.Tests.Logs.Kql;

/// <summary>
/// FsCheck generators of KQL trees and texts. Trees cover every node kind to depth 6, field names from a safe alphabet
/// (dots, underscores, '@', sometimes a keyword or a name that needs quotes), unquoted values of one to four words
/// joined by single spaces whose characters include everything that needs escaping and whose words include the
/// keywords, and quoted values of any printable characters. Left out, because the printer cannot express them (see
/// <see cref="KqlPrinter"/>): unquoted values with empty text, and a match on the unquoted value <c>*</c> (that is
/// <see cref="KqlExists"/>).
/// </summary>
internal static class KqlGenerators
{
    private const string UnquotedAlphabet = "abcxyzABZ019-_./@#=!?,;'é日€:()\\\"<>{}*\t\n";

    private const string QuotedAlphabet = "abz AZ09\"\\:()*<>{}tnu\t\n\r'é日\u00a0";

    private const string FieldAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789_";

    private static readonly string[] Keywords = ["and", "or", "not", "AND", "Or", "nOT"];

    private static readonly string[] KqlTokens =
    [
        "(", ")", ":", "<", ">", "<=", ">=", "\"", "\\", "*", "{", "}", " ", "  ", "\t", "\n", "and", "or", "not", "AND",
        "Not", "a", "b", "status", "f.x", "@timestamp", "500", "\\u00", "\\u0041", "\\:", "\\*", "\\or", "\\n", "\\",
        "é", "\u00a0", "-", "/",
    ];

    public static Gen<KqlNode> Node =>
        Gen.Choose(0, 6).SelectMany(NodeOfDepth);

    public static Gen<string> FieldName =>
        Gen.Frequency(
            (12, SafeFieldName),
            (1, Gen.Elements(Keywords)),
            (1, NonEmptyString("ab .:()\"\\<>*é\t".ToCharArray(), 6)));

    /// <summary>One to four words of one to five atoms (a character or a keyword), joined by single spaces.</summary>
    public static Gen<string> UnquotedText =>
        Gen.Choose(1, 4).SelectMany(words => Gen.ArrayOf(Word, words)).Select(words => string.Join(' ', words));

    public static Gen<string> QuotedText =>
        Gen.Choose(0, 12).SelectMany(length => Gen.ArrayOf(Gen.Elements(QuotedAlphabet.ToCharArray()), length))
            .Select(chars => new string(chars));

    /// <summary>Any non-empty text, whitespace of every kind anywhere: the printer escapes what the parser would fold.</summary>
    public static Gen<string> AnyUnquotedText =>
        NonEmptyString(" \t\n\r\u00a0\u2003\u000bab:()\\\"*<>{}é".ToCharArray(), 10)
            .SelectMany(text => Gen.Elements(text, text.Replace("a", "not ", StringComparison.Ordinal), text.Replace("b", "\nOT", StringComparison.Ordinal)));

    /// <summary>Texts made of KQL's own tokens: mostly almost-queries, often wrong in interesting places.</summary>
    public static Gen<string> KqlLikeText =>
        Gen.Choose(0, 30).SelectMany(count => Gen.ArrayOf(Gen.Elements(KqlTokens), count)).Select(string.Concat);

    /// <summary>A printed tree with one to three edits (a token inserted, a stretch deleted or replaced): near misses.</summary>
    public static Gen<string> EditedQueryText =>
        Gen.Choose(1, 3).SelectMany(edits => Node.Select(KqlPrinter.Print).SelectMany(text => Edit(text, edits)));

    /// <summary>Any UTF-16 text, lone surrogates included.</summary>
    public static Gen<string> AnyText =>
        Gen.Choose(0, 40).SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 0xFFFF).Select(code => (char)code), length))
            .Select(chars => new string(chars));

    private static Gen<string> SafeFieldName =>
        Gen.Choose(1, 4)
            .SelectMany(segments => Gen.ArrayOf(NonEmptyString(FieldAlphabet.ToCharArray(), 8), segments))
            .Select(segments => string.Join('.', segments))
            .SelectMany(name => Gen.Elements(name, "@" + name));

    private static Gen<string> Word =>
        Gen.Frequency(
            (1, Gen.Elements(Keywords)),
            (6, Gen.Choose(1, 5).SelectMany(atoms => Gen.ArrayOf(Atom, atoms)).Select(string.Concat)));

    private static Gen<string> Atom =>
        Gen.Frequency(
            (8, Gen.Elements(UnquotedAlphabet.ToCharArray()).Select(c => c.ToString())),
            (1, Gen.Elements(Keywords)));

    private static Gen<KqlValue> Value =>
        Gen.OneOf(
            UnquotedText.Select(text => new KqlValue(text, Quoted: false)),
            QuotedText.Select(text => new KqlValue(text, Quoted: true)));

    private static Gen<KqlNode> Leaf =>
        Gen.OneOf(
            Value.Select(value => (KqlNode)new KqlText(value)),
            FieldName.SelectMany(name => Value.Where(value => value is not { Quoted: false, Text: "*" })
                .Select(value => (KqlNode)new KqlMatch(name, value))),
            FieldName.Select(name => (KqlNode)new KqlExists(name)),
            FieldName.SelectMany(name => Gen.Elements(Enum.GetValues<KqlRangeOperator>())
                .SelectMany(op => Value.Select(value => (KqlNode)new KqlRange(name, op, value)))));

    private static Gen<KqlNode> NodeOfDepth(int depth)
    {
        if (depth == 0)
        {
            return Leaf;
        }

        var child = Gen.Choose(0, depth - 1).SelectMany(NodeOfDepth);
        return Gen.Frequency(
            (1, Leaf),
            (2, child.SelectMany(left => child.Select(right => (KqlNode)new KqlAnd(left, right)))),
            (2, child.SelectMany(left => child.Select(right => (KqlNode)new KqlOr(left, right)))),
            (1, child.Select(operand => (KqlNode)new KqlNot(operand))));
    }

    private static Gen<string> Edit(string text, int edits)
    {
        if (edits == 0)
        {
            return Gen.Constant(text);
        }

        var edited =
            from position in Gen.Choose(0, text.Length)
            from length in Gen.Choose(0, Math.Min(3, text.Length - position))
            from token in Gen.Elements(KqlTokens)
            from kind in Gen.Choose(0, 2)
            select kind switch
            {
                0 => text.Insert(position, token),
                1 => text.Remove(position, length),
                _ => text.Remove(position, length).Insert(position, token),
            };
        return edited.SelectMany(next => Edit(next, edits - 1));
    }

    private static Gen<string> NonEmptyString(char[] alphabet, int maxLength) =>
        Gen.Choose(1, maxLength).SelectMany(length => Gen.ArrayOf(Gen.Elements(alphabet), length)).Select(chars => new string(chars));
}
