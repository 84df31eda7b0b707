using System.Globalization;
using System.Text;

namespace Portal.Core.Logs.Kql;

/// <summary>
/// Prints a <see cref="KqlNode"/> as canonical KQL: lower-case keywords, parentheses only where precedence
/// (not &gt; and &gt; or) or left-associativity needs them, and exactly the escapes <see cref="KqlParser"/> removes, so
/// <c>KqlParser.Parse(KqlPrinter.Print(node)) == node</c>. Two trees have no text of their own and print as their
/// nearest equivalent: an unquoted <see cref="KqlValue"/> with empty text prints as <c>""</c>, and a
/// <see cref="KqlMatch"/> whose value is an unquoted <c>*</c> prints as <c>field:*</c>, which is <see cref="KqlExists"/>.
/// </summary>
public static class KqlPrinter
{
    private const int OrPrecedence = 1;
    private const int AndPrecedence = 2;
    private const int NotPrecedence = 3;
    private const int LeafPrecedence = 4;

    /// <summary>The query text; empty for null (match everything).</summary>
    public static string Print(KqlNode? node)
    {
        var output = new StringBuilder();
        if (node is not null)
        {
            Write(output, node);
        }

        return output.ToString();
    }

    private static void Write(StringBuilder output, KqlNode node)
    {
        switch (node)
        {
            case KqlOr or KqlAnd:
                WriteChain(output, node);
                break;
            case KqlNot not:
                output.Append("not ");
                WriteOperand(output, not.Operand, Precedence(not.Operand) < NotPrecedence);
                break;
            case KqlText text:
                WriteValue(output, text.Value);
                break;
            case KqlMatch match:
                WriteField(output, match.Field);
                output.Append(':');
                WriteValue(output, match.Value);
                break;
            case KqlExists exists:
                WriteField(output, exists.Field);
                output.Append(":*");
                break;
            case KqlRange range:
                WriteField(output, range.Field);
                output.Append(' ').Append(Operator(range.Operator)).Append(' ');
                WriteValue(output, range.Value);
                break;
            default:
                throw new ArgumentException($"Unknown KQL node {node.GetType().Name}.", nameof(node));
        }
    }

    /// <summary>
    /// <c>a or b or c</c> is a left spine of one operator: walked in a loop, so a long chain needs no deep recursion.
    /// A right operand of the same precedence keeps its parentheses: <c>a or (b or c)</c> is another tree.
    /// </summary>
    private static void WriteChain(StringBuilder output, KqlNode node)
    {
        var precedence = Precedence(node);
        var rights = new Stack<KqlNode>();
        var leftmost = node;
        while (leftmost.GetType() == node.GetType())
        {
            var (left, right) = Operands(leftmost);
            rights.Push(right);
            leftmost = left;
        }

        WriteOperand(output, leftmost, Precedence(leftmost) < precedence);
        var keyword = precedence == OrPrecedence ? " or " : " and ";
        while (rights.Count > 0)
        {
            var right = rights.Pop();
            output.Append(keyword);
            WriteOperand(output, right, Precedence(right) <= precedence);
        }
    }

    private static (KqlNode Left, KqlNode Right) Operands(KqlNode node) => node switch
    {
        KqlOr or => (or.Left, or.Right),
        KqlAnd and => (and.Left, and.Right),
        _ => throw new ArgumentException("Not a binary node.", nameof(node)),
    };

    private static void WriteOperand(StringBuilder output, KqlNode node, bool parenthesize)
    {
        if (parenthesize)
        {
            output.Append('(');
        }

        Write(output, node);
        if (parenthesize)
        {
            output.Append(')');
        }
    }

    private static int Precedence(KqlNode node) => node switch
    {
        KqlOr => OrPrecedence,
        KqlAnd => AndPrecedence,
        KqlNot => NotPrecedence,
        _ => LeafPrecedence,
    };

    private static string Operator(KqlRangeOperator op) => op switch
    {
        KqlRangeOperator.GreaterThan => ">",
        KqlRangeOperator.GreaterThanOrEqual => ">=",
        KqlRangeOperator.LessThan => "<",
        KqlRangeOperator.LessThanOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown range operator."),
    };

    /// <summary>Plain names (letters, digits, <c>_ . @ - *</c>, not a keyword) as they are; any other name quoted.</summary>
    private static void WriteField(StringBuilder output, string field)
    {
        var plain = field.Length > 0
            && KqlScanner.KeywordAt(field, 0) is null
            && field.All(c => char.IsLetterOrDigit(c) || "_.@-*".Contains(c, StringComparison.Ordinal));
        if (plain)
        {
            output.Append(field);
        }
        else
        {
            WriteQuoted(output, field);
        }
    }

    private static void WriteValue(StringBuilder output, KqlValue value)
    {
        if (value.Quoted || value.Text.Length == 0)
        {
            WriteQuoted(output, value.Text);
        }
        else
        {
            WriteUnquoted(output, value.Text);
        }
    }

    private static void WriteQuoted(StringBuilder output, string text)
    {
        output.Append('"');
        foreach (var c in text)
        {
            output.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\t' => "\\t",
                '\r' => "\\r",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        output.Append('"');
    }

    /// <summary>
    /// Special characters get a backslash, a keyword word gets one (<c>\or</c>), a space stays only between two other
    /// characters (the parser trims and folds whitespace), and any other whitespace is an escape (<c>\t</c>,
    /// <c>\u0020</c>). <c>*</c> stays a wildcard.
    /// </summary>
    private static void WriteUnquoted(StringBuilder output, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var keyword = i == 0 || char.IsWhiteSpace(text[i - 1]) ? KqlScanner.KeywordAt(text, i) : null;
            if (keyword is not null)
            {
                output.Append('\\').Append(text, i, keyword.Length);
                i += keyword.Length - 1;
            }
            else if (c == ' ' && i > 0 && i < text.Length - 1 && text[i - 1] != ' ' && text[i + 1] != ' ')
            {
                output.Append(' ');
            }
            else if (char.IsWhiteSpace(c))
            {
                output.Append(WhitespaceEscape(text, i));
            }
            else if (KqlScanner.SpecialCharacters.Contains(c, StringComparison.Ordinal))
            {
                output.Append('\\').Append(c);
            }
            else
            {
                output.Append(c);
            }
        }
    }

    private static string WhitespaceEscape(string text, int i) => text[i] switch
    {
        '\t' => "\\t",
        '\r' => "\\r",
        // \n followed by "ot" would read as the escaped keyword \not.
        '\n' when string.Compare(text, i + 1, "ot", 0, 2, StringComparison.OrdinalIgnoreCase) != 0 => "\\n",
        _ => "\\u" + ((int)text[i]).ToString("X4", CultureInfo.InvariantCulture),
    };
}
