namespace Portal.Core.Logs.Kql;

/// <summary>
/// Parses KQL as Kibana users type it (docs/adr/0011; Kibana's grammar is kbn-es-query's <c>grammar.peggy</c>), by hand,
/// recursive descent:
/// <code>
/// query     = or
/// or        = and ("or" and)*                      left-associative
/// and       = not ("and" not)*                     left-associative
/// not       = "not" not | primary
/// primary   = "(" or ")" | literal ":" values | literal rangeop literal | literal
/// values    = "(" value-or ")" | literal           the same or/and/not/() grammar over values; "*" is exists
/// literal   = quoted phrase | unquoted value       rangeop = &lt;= | &gt;= | &lt; | &gt;
/// </code>
/// Differences from Kibana, all towards clearer errors: and/or/not are keywords wherever they stand as whole words (Kibana
/// reads <c>status:or</c> or a trailing <c>a or</c> as values); <c>not not a</c> is allowed; <c>\*</c> is refused
/// (quote a literal asterisk); nested queries <c>field:{…}</c> are not supported. Nesting (parentheses and not) is
/// capped at <see cref="MaxDepth"/> and the query at <see cref="MaxOperators"/> and/or, so nothing that walks the tree
/// can overflow the stack. The only exception thrown is <see cref="KqlSyntaxException"/>.
/// </summary>
public static class KqlParser
{
    public const int MaxDepth = 100;

    public const int MaxOperators = 1000;

    /// <summary>The query's tree, or null (match everything) for null, empty or blank text.</summary>
    /// <exception cref="KqlSyntaxException">The text is not KQL.</exception>
    public static KqlNode? Parse(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : new Grammar(text).ParseQuery();

    private sealed class Grammar(string text)
    {
        private const string Query = "a query";
        private const string Value = "a value";

        private readonly KqlScanner _scanner = new(text);
        private int _depth;
        private int _operators;

        public KqlNode ParseQuery()
        {
            var node = ParseOr(ParseQueryPrimary, Query, Query);
            _scanner.SkipWhitespace();
            if (!_scanner.AtEnd)
            {
                throw _scanner.Error(_scanner.Position, "end of query");
            }

            return node;
        }

        private KqlNode ParseOr(Func<string, KqlNode> primary, string expected, string noun)
        {
            var left = ParseAnd(primary, expected, noun);
            while (TryConsumeOperator("or"))
            {
                left = new KqlOr(left, ParseAnd(primary, $"{noun} after 'or'", noun));
            }

            return left;
        }

        private KqlNode ParseAnd(Func<string, KqlNode> primary, string expected, string noun)
        {
            var left = ParseNot(primary, expected, noun);
            while (TryConsumeOperator("and"))
            {
                left = new KqlAnd(left, ParseNot(primary, $"{noun} after 'and'", noun));
            }

            return left;
        }

        private KqlNode ParseNot(Func<string, KqlNode> primary, string expected, string noun)
        {
            _scanner.SkipWhitespace();
            var start = _scanner.Position;
            if (!_scanner.TryConsumeKeyword("not"))
            {
                return primary(expected);
            }

            Enter(start);
            var operand = ParseNot(primary, $"{noun} after 'not'", noun);
            _depth--;
            return new KqlNot(operand);
        }

        private KqlNode ParseQueryPrimary(string expected)
        {
            _scanner.SkipWhitespace();
            var start = _scanner.Position;
            if (_scanner.TryConsume('('))
            {
                return ParseGroup(start, ParseQueryPrimary, Query);
            }

            if (_scanner.AtEnd || _scanner.PeekKeyword() is not null)
            {
                throw _scanner.Error(start, expected);
            }

            var misplaced = _scanner.Current == ':' ? ":" : _scanner.PeekRangeOperator();
            if (misplaced is not null)
            {
                throw _scanner.Error(start, $"a field name before '{misplaced}'");
            }

            var literal = _scanner.ReadLiteral() ?? throw _scanner.Error(start, expected);
            _scanner.SkipWhitespace();
            if (_scanner.TryConsume(':'))
            {
                return ParseFieldValues(FieldName(literal, start, ":"));
            }

            var op = _scanner.PeekRangeOperator();
            if (op is null)
            {
                return new KqlText(literal);
            }

            var field = FieldName(literal, start, op);
            _scanner.Advance(op.Length);
            _scanner.SkipWhitespace();
            var value = _scanner.ReadLiteral() ?? throw _scanner.Error(_scanner.Position, $"a value after '{op}'");
            return new KqlRange(field, RangeOperator(op), value);
        }

        private KqlNode ParseFieldValues(string field)
        {
            _scanner.SkipWhitespace();
            var start = _scanner.Position;
            if (_scanner.TryConsume('('))
            {
                return ParseGroup(start, expected => ParseValuePrimary(field, expected), Value);
            }

            var literal = _scanner.ReadLiteral() ?? throw _scanner.Error(start, "a value after ':'");
            return Match(field, literal);
        }

        private KqlNode ParseValuePrimary(string field, string expected)
        {
            _scanner.SkipWhitespace();
            var start = _scanner.Position;
            if (_scanner.TryConsume('('))
            {
                return ParseGroup(start, nested => ParseValuePrimary(field, nested), Value);
            }

            var literal = _scanner.ReadLiteral() ?? throw _scanner.Error(start, expected);
            return Match(field, literal);
        }

        /// <summary>After '(' at <paramref name="open"/>: the inner expression and its ')'.</summary>
        private KqlNode ParseGroup(int open, Func<string, KqlNode> primary, string noun)
        {
            Enter(open);
            var inner = ParseOr(primary, $"{noun} after '('", noun);
            _scanner.SkipWhitespace();
            if (!_scanner.TryConsume(')'))
            {
                throw _scanner.Error(_scanner.Position, "')'");
            }

            _depth--;
            return inner;
        }

        private bool TryConsumeOperator(string keyword)
        {
            _scanner.SkipWhitespace();
            var start = _scanner.Position;
            if (!_scanner.TryConsumeKeyword(keyword))
            {
                return false;
            }

            if (++_operators > MaxOperators)
            {
                throw _scanner.Error(start, $"at most {MaxOperators} 'and'/'or' operators");
            }

            return true;
        }

        private void Enter(int position)
        {
            if (++_depth > MaxDepth)
            {
                throw _scanner.Error(position, $"at most {MaxDepth} levels of nesting");
            }
        }

        private string FieldName(KqlValue literal, int start, string op) =>
            literal.Text.Length > 0 ? literal.Text : throw _scanner.Error(start, $"a field name before '{op}'");

        private static KqlNode Match(string field, KqlValue value) =>
            value is { Quoted: false, Text: "*" } ? new KqlExists(field) : new KqlMatch(field, value);

        private static KqlRangeOperator RangeOperator(string op) => op switch
        {
            "<" => KqlRangeOperator.LessThan,
            "<=" => KqlRangeOperator.LessThanOrEqual,
            ">" => KqlRangeOperator.GreaterThan,
            _ => KqlRangeOperator.GreaterThanOrEqual,
        };
    }
}
