using System.Globalization;
using System.Text;

namespace Portal.Core.Logs.Kql;

/// <summary>
/// The lexical half of <see cref="KqlParser"/>: whitespace, keywords, range operators and literals (quoted phrases and
/// unquoted values with their escapes), read from a cursor over the query text. Every failure is a
/// <see cref="KqlSyntaxException"/>.
/// </summary>
internal sealed class KqlScanner(string text)
{
    /// <summary>Characters that end an unquoted value unless escaped with '\' (Kibana's SpecialCharacter minus '*').</summary>
    internal const string SpecialCharacters = "\\():<>\"{}";

    private static readonly string[] Keywords = ["and", "or", "not"];

    public int Position { get; private set; }

    public bool AtEnd => Position >= text.Length;

    public char Current => text[Position];

    public void SkipWhitespace()
    {
        while (Position < text.Length && char.IsWhiteSpace(text[Position]))
        {
            Position++;
        }
    }

    public bool TryConsume(char c)
    {
        if (AtEnd || text[Position] != c)
        {
            return false;
        }

        Position++;
        return true;
    }

    /// <summary>The keyword (lower case) starting at the cursor, or null: a whole word and, or, not in any case.</summary>
    public string? PeekKeyword() => KeywordAt(text, Position);

    public bool TryConsumeKeyword(string keyword)
    {
        if (!string.Equals(PeekKeyword(), keyword, StringComparison.Ordinal))
        {
            return false;
        }

        Position += keyword.Length;
        return true;
    }

    /// <summary>The range operator at the cursor ("&lt;=", "&gt;=", "&lt;", "&gt;"), or null.</summary>
    public string? PeekRangeOperator()
    {
        if (AtEnd || (Current != '<' && Current != '>'))
        {
            return null;
        }

        var equals = Position + 1 < text.Length && text[Position + 1] == '=';
        return Current + (equals ? "=" : "");
    }

    public void Advance(int count) => Position += count;

    /// <summary>A quoted phrase or an unquoted value at the cursor; null when neither starts here.</summary>
    public KqlValue? ReadLiteral()
    {
        if (AtEnd)
        {
            return null;
        }

        return Current == '"' ? ReadQuoted() : ReadUnquoted();
    }

    /// <summary>The error at <paramref name="position"/>; <paramref name="found"/> overrides the description of what is there.</summary>
    public KqlSyntaxException Error(int position, string expected, string? found = null) =>
        new(position, expected, $"Expected {expected} at position {position}, found {found ?? Describe(position)}.");

    /// <summary>
    /// A keyword is the word and, or, not (any case) at <paramref name="position"/>, followed by the end, whitespace or a
    /// character that cannot continue an unquoted value. Escaped (<c>\or</c>), or part of a longer word, it is a value.
    /// </summary>
    internal static string? KeywordAt(string text, int position)
    {
        foreach (var keyword in Keywords)
        {
            if (position + keyword.Length <= text.Length
                && string.Compare(text, position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (position + keyword.Length == text.Length || EndsWord(text[position + keyword.Length])))
            {
                return keyword;
            }
        }

        return null;
    }

    private static bool EndsWord(char c) => char.IsWhiteSpace(c) || (c != '\\' && SpecialCharacters.Contains(c, StringComparison.Ordinal));

    private KqlValue ReadQuoted()
    {
        var start = Position;
        Position++;
        var value = new StringBuilder();
        while (!AtEnd)
        {
            var c = text[Position];
            if (c == '"')
            {
                Position++;
                return new KqlValue(value.ToString(), Quoted: true);
            }

            if (c == '\\' && Position + 1 < text.Length)
            {
                var escaped = QuotedEscape(text[Position + 1]);
                if (escaped is not null)
                {
                    value.Append(escaped.Value);
                    Position += 2;
                    continue;
                }

                if (text[Position + 1] == 'u' && TryReadUnicode(Position, out var unicode))
                {
                    value.Append(unicode);
                    Position += 6;
                    continue;
                }
            }

            // As in Kibana, a backslash that escapes nothing inside quotes is a literal backslash.
            value.Append(c);
            Position++;
        }

        throw new KqlSyntaxException(
            Position,
            "a closing '\"'",
            $"Expected a closing '\"' at position {Position} for the phrase opened at position {start}, found end of query.");
    }

    private static char? QuotedEscape(char c) => c switch
    {
        '"' => '"',
        '\\' => '\\',
        't' => '\t',
        'r' => '\r',
        'n' => '\n',
        _ => null,
    };

    private KqlValue? ReadUnquoted()
    {
        var value = new StringBuilder();
        var pendingSpace = false;
        var atWordStart = true;
        while (!AtEnd)
        {
            var c = text[Position];
            if (char.IsWhiteSpace(c))
            {
                // A run of whitespace inside a value is one space; at its ends it is dropped.
                Position++;
                pendingSpace = value.Length > 0;
                atWordStart = true;
                continue;
            }

            if ((atWordStart && PeekKeyword() is not null) || (c != '\\' && SpecialCharacters.Contains(c, StringComparison.Ordinal)))
            {
                break;
            }

            if (pendingSpace)
            {
                value.Append(' ');
                pendingSpace = false;
            }

            atWordStart = false;
            if (c == '\\')
            {
                ReadUnquotedEscape(value);
            }
            else
            {
                value.Append(c);
                Position++;
            }
        }

        return value.Length == 0 ? null : new KqlValue(value.ToString(), Quoted: false);
    }

    private void ReadUnquotedEscape(StringBuilder value)
    {
        var start = Position;
        if (Position + 1 >= text.Length)
        {
            throw Error(start, "a character to escape after '\\'", "end of query");
        }

        var next = text[Position + 1];
        var keyword = KeywordPrefix(Position + 1);
        if (keyword > 0)
        {
            // \and, \or, \not: the keyword as typed, as a value (checked before \n so that \not is "not").
            value.Append(text, Position + 1, keyword);
            Position += 1 + keyword;
            return;
        }

        if (next == '*')
        {
            throw Error(start, "a quoted phrase for a literal '*'", "'\\*'");
        }

        if (next == 'u')
        {
            if (!TryReadUnicode(Position, out var unicode))
            {
                throw Error(start, "four hex digits after '\\u'", $"'{text.Substring(start, Math.Min(6, text.Length - start))}'");
            }

            value.Append(unicode);
            Position += 6;
            return;
        }

        char? escaped = next switch
        {
            't' => '\t',
            'r' => '\r',
            'n' => '\n',
            _ when SpecialCharacters.Contains(next, StringComparison.Ordinal) => next,
            _ => null,
        };
        if (escaped is null)
        {
            // The escapes: \\ \( \) \: \< \> \" \{ \} \t \r \n \uXXXX \and \or \not.
            throw Error(start, "a known escape after '\\'", $"'\\{next}'");
        }

        value.Append(escaped.Value);
        Position += 2;
    }

    private int KeywordPrefix(int position)
    {
        foreach (var keyword in Keywords)
        {
            if (position + keyword.Length <= text.Length
                && string.Compare(text, position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return keyword.Length;
            }
        }

        return 0;
    }

    /// <summary>\uXXXX at <paramref name="backslash"/>.</summary>
    private bool TryReadUnicode(int backslash, out char value)
    {
        value = '\0';
        return backslash + 6 <= text.Length
            && text[backslash + 1] == 'u'
            && TryParseHex(text.AsSpan(backslash + 2, 4), out value);
    }

    private static bool TryParseHex(ReadOnlySpan<char> digits, out char value)
    {
        // AllowHexSpecifier alone admits hex digits only (no sign, no whitespace); four of them always fit.
        var parsed = ushort.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code);
        value = (char)code;
        return parsed;
    }

    private string Describe(int position)
    {
        if (position >= text.Length)
        {
            return "end of query";
        }

        var keyword = KeywordAt(text, position);
        if (keyword is not null)
        {
            return $"'{text.Substring(position, keyword.Length)}'";
        }

        var c = text[position];
        if (c is '<' or '>')
        {
            var op = position + 1 < text.Length && text[position + 1] == '=' ? c + "=" : c.ToString();
            return $"'{op}'";
        }

        if (!char.IsLetterOrDigit(c))
        {
            return $"'{c}'";
        }

        var end = position;
        while (end < text.Length && end - position < 20 && char.IsLetterOrDigit(text[end]))
        {
            end++;
        }

        return $"'{text[position..end]}'";
    }
}
