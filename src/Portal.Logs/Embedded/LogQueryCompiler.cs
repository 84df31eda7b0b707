using System.Globalization;
using Portal.Core.Logs;
using Portal.Core.Logs.Kql;

namespace Portal.Logs.Embedded;

/// <summary>
/// A query compiled for the embedded store: <see cref="Match"/> is one FTS5 expression (null: every row); the rest,
/// if any, is <see cref="Where"/>, SQL over the row (<c>log_fts.rowid</c>, and <c>l.doc</c> when
/// <see cref="NeedsDocument"/>) whose parameters are in <see cref="Parameters"/> and whose scans are
/// <c>log_scan(l.doc, index into <see cref="Scans"/>)</c>. FTS subqueries in <see cref="Where"/> are bounded by the
/// parameters <c>$lo</c> and <c>$hi</c>, the search's rowid range.
/// </summary>
internal sealed record CompiledLogQuery(string? Match, string? Where, bool NeedsDocument, IReadOnlyList<LogScan> Scans, IReadOnlyDictionary<string, object> Parameters);

/// <summary>
/// Compiles the KQL AST so that every subtree FTS5 can express becomes part of one <c>MATCH</c> (AND, OR, NOT, phrases,
/// prefixes, column filters), with the meaning the Elasticsearch back end gives it (Kibana's): free text matches any
/// of its words in any field, a quoted one the phrase within one field; <c>field:value</c> any of the value's words
/// among the field's words (also numerically when the value is a number), <c>field.keyword:value</c> the whole
/// value; numeric ranges become prefix queries over sortable number tokens, so they stay inside FTS5 too. Only
/// <c>@timestamp</c> ranges (rowid bounds), leading or inner wildcards and ranges over strings (scans of the
/// documents in the range) become SQL around it. Case-insensitive throughout.
/// </summary>
internal sealed class LogQueryCompiler
{
    private const string KeywordSuffix = ".keyword";

    private readonly IReadOnlyList<string> _knownFields;
    private readonly DateTimeOffset _now;
    private readonly List<LogScan> _scans = [];
    private readonly Dictionary<string, object> _parameters = [];

    private LogQueryCompiler(IReadOnlyList<string> knownFields, DateTimeOffset now)
    {
        _knownFields = knownFields;
        _now = now;
    }

    /// <param name="knownFields">The field names the store has seen: for field-name wildcards and free-text phrases.</param>
    /// <exception cref="LogBackendException">InvalidQuery: a time the <c>@timestamp</c> field cannot be compared with.</exception>
    public static CompiledLogQuery Compile(KqlNode? query, IReadOnlyList<string> knownFields, DateTimeOffset now)
    {
        var compiler = new LogQueryCompiler(knownFields, now);
        if (query is null)
        {
            return new CompiledLogQuery(null, null, false, [], compiler._parameters);
        }

        var part = compiler.Node(query);
        return new CompiledLogQuery(part.Fts, part.Sql, compiler._scans.Count > 0, compiler._scans, compiler._parameters);
    }

    /// <summary>A compiled subtree: rows matching <see cref="Fts"/> (null: all) and <see cref="Sql"/> (null: true).</summary>
    private sealed record Part(string? Fts, string? Sql);

    private static string Terms(string token) => $"(terms : \"{token}\")";

    private static string TermsPrefix(string token) => $"(terms : \"{token}\" *)";

    private static string Phrase(IEnumerable<string> tokens) => $"(terms : \"{string.Join(' ', tokens)}\")";

    private static string Any(IReadOnlyCollection<string> expressions) => expressions.Count switch
    {
        0 => Terms(LogTokens.NoRows),
        1 => expressions.First(),
        _ => "(" + string.Join(" OR ", expressions) + ")",
    };

    private Part Node(KqlNode node) => node switch
    {
        KqlAnd and => And(Node(and.Left), Node(and.Right)),
        KqlOr or => Or(Node(or.Left), Node(or.Right)),
        KqlNot not => Not(Node(not.Operand)),
        KqlText text => Text(text.Value),
        KqlMatch match => EachField(match.Field, (field, keyword) => Match(field, keyword, match.Value)),
        KqlExists exists => EachField(exists.Field, (field, _) => new Part(Terms(LogTokens.Exists(field)), null)),
        KqlRange range => EachField(range.Field, (field, keyword) => Range(field, keyword, range.Operator, range.Value)),
        _ => throw new LogBackendException(LogBackendFailure.InvalidQuery, $"The query has a part the embedded store does not know ({node.GetType().Name})."),
    };

    private static Part And(Part left, Part right) => new(
        left.Fts is null ? right.Fts : right.Fts is null ? left.Fts : $"({left.Fts} AND {right.Fts})",
        left.Sql is null ? right.Sql : right.Sql is null ? left.Sql : $"({left.Sql} AND {right.Sql})");

    private Part Or(Part left, Part right) => left.Sql is null && right.Sql is null
        ? new Part(left.Fts is null || right.Fts is null ? null : $"({left.Fts} OR {right.Fts})", null)
        : new Part(null, $"({AsSql(left)} OR {AsSql(right)})");

    private Part Not(Part operand) => operand.Sql is null
        ? new Part(operand.Fts is null ? Terms(LogTokens.NoRows) : $"({Terms(LogTokens.AllRows)} NOT {operand.Fts})", null)
        : new Part(null, $"(NOT {AsSql(operand)})");

    /// <summary>The part as one SQL condition on the row: its FTS side as membership in that MATCH's rows.</summary>
    private string AsSql(Part part)
    {
        if (part.Fts is null)
        {
            return part.Sql ?? "1";
        }

        var name = Parameter(part.Fts);
        var fts = $"+log_fts.rowid IN (SELECT rowid FROM log_fts WHERE log_fts MATCH {name} AND rowid BETWEEN $lo AND $hi)";
        return part.Sql is null ? fts : $"({fts} AND {part.Sql})";
    }

    private string Parameter(object value)
    {
        var name = "$p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters[name] = value;
        return name;
    }

    private Part Scan(LogScan scan, string? prefilter)
    {
        _scans.Add(scan);
        return new Part(prefilter, $"log_scan(l.doc, {(_scans.Count - 1).ToString(CultureInfo.InvariantCulture)})");
    }

    /// <summary>
    /// The query's field as the fields it names: <c>.keyword</c> stripped (and flagged), a name with <c>*</c>
    /// expanded over the fields the store has seen; the parts for each are ORed.
    /// </summary>
    private Part EachField(string field, Func<string, bool, Part> compile)
    {
        var keyword = field.EndsWith(KeywordSuffix, StringComparison.OrdinalIgnoreCase) && field.Length > KeywordSuffix.Length;
        var name = keyword ? field[..^KeywordSuffix.Length] : field;
        if (!name.Contains('*', StringComparison.Ordinal))
        {
            return compile(name, keyword);
        }

        var pattern = name.ToLowerInvariant();
        var parts = _knownFields.Where(f => LogScan.Glob(f.ToLowerInvariant(), pattern))
            .Distinct(StringComparer.OrdinalIgnoreCase).Select(f => compile(f, keyword)).ToList();
        return parts.Count == 0 ? new Part(Terms(LogTokens.NoRows), null) : parts.Aggregate(Or);
    }

    private Part Text(KqlValue value)
    {
        if (value.IsWildcard)
        {
            var pattern = value.Text.Trim();
            if (pattern.Trim('*').Length == 0)
            {
                return new Part(Terms(LogTokens.AllRows), null);
            }

            var stem = pattern[..^1];
            return pattern.EndsWith('*') && !stem.Contains('*', StringComparison.Ordinal) && LogTokens.IsOneWord(stem)
                ? new Part($"(text : \"{LogTokens.TextWord(stem)}\" *)", null)
                : Scan(LogScan.Wildcard(null, pattern, words: true), null);
        }

        var words = LogTokens.Words(value.Text);
        if (!value.Quoted || words.Count == 1)
        {
            return new Part(Any([.. words.Distinct(StringComparer.Ordinal).Select(w => $"(text : \"{LogTokens.TextWord(w)}\")")]), null);
        }

        // A phrase is adjacent words within one field: the field phrase over every field the store has seen.
        var phrases = words.Count == 0 ? [] : _knownFields
            .Where(f => !string.Equals(f, LogDocumentIndexer.TimestampField, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(f => Phrase(words.Select(w => LogTokens.FieldWord(f, w))))
            .ToList();
        return new Part(Any(phrases), null);
    }

    private Part Match(string field, bool keyword, KqlValue value)
    {
        if (string.Equals(field, LogDocumentIndexer.TimestampField, StringComparison.OrdinalIgnoreCase))
        {
            if (value.IsWildcard && value.Text.Trim('*').Length == 0)
            {
                return new Part(Terms(LogTokens.Exists(field)), null);
            }

            var at = Time(value.Text, roundUp: false);
            return And(Rowid(">=", EmbeddedLogWriter.Id(at, 0)), Rowid("<=", EmbeddedLogWriter.Id(at, -1)));
        }

        if (value.IsWildcard)
        {
            return Wildcard(field, keyword, value.Text.Trim());
        }

        if (keyword)
        {
            return Keyword(field, value.Text);
        }

        var alternatives = new List<string>();
        var words = LogTokens.Words(value.Text);
        if (value.Quoted && words.Count > 1)
        {
            alternatives.Add(Phrase(words.Select(w => LogTokens.FieldWord(field, w))));
        }
        else
        {
            alternatives.AddRange(words.Distinct(StringComparer.Ordinal).Select(w => Terms(LogTokens.FieldWord(field, w))));
        }

        if (LogDocumentIndexer.TryNumber(value.Text.Trim(), out var number))
        {
            alternatives.Add(Terms(LogTokens.Number(field, number)));
        }

        return new Part(Any(alternatives), null);
    }

    private Part Wildcard(string field, bool keyword, string pattern)
    {
        if (pattern.Trim('*').Length == 0)
        {
            return new Part(Terms(LogTokens.Exists(field)), null);
        }

        var stem = pattern[..^1];
        if (pattern.EndsWith('*') && !stem.Contains('*', StringComparison.Ordinal))
        {
            // Keyword tokens hold a value's first characters: a longer prefix is that token plus a check of the value.
            var prefix = LogTokens.IsCut(stem)
                ? And(new Part(Terms(LogTokens.KeywordPrefix(field, stem)), null), Scan(LogScan.Wildcard(field, pattern, words: false), null))
                : new Part(TermsPrefix(LogTokens.KeywordPrefix(field, stem)), null);
            return !keyword && LogTokens.IsOneWord(stem) ? Or(prefix, new Part(TermsPrefix(LogTokens.FieldWord(field, stem)), null)) : prefix;
        }

        return Scan(LogScan.Wildcard(field, pattern, words: !keyword), Terms(LogTokens.Exists(field)));
    }

    /// <summary>The whole value, as <c>field.keyword:value</c>; none past ignore_above, as Elasticsearch.</summary>
    private Part Keyword(string field, string value)
    {
        if (value.Length > LogTokens.KeywordMaxLength)
        {
            return new Part(Terms(LogTokens.NoRows), null);
        }

        var token = new Part(Terms(LogTokens.KeywordExact(field, value)), null);
        return LogTokens.IsCut(value) ? And(token, Scan(LogScan.Exact(field, value), null)) : token;
    }

    private Part Range(string field, bool keyword, KqlRangeOperator op, KqlValue value)
    {
        if (string.Equals(field, LogDocumentIndexer.TimestampField, StringComparison.OrdinalIgnoreCase))
        {
            // Elasticsearch's rounding of date math: gt and lte round up, gte and lt down.
            var roundUp = op is KqlRangeOperator.GreaterThan or KqlRangeOperator.LessThanOrEqual;
            var at = Time(value.Text, roundUp);
            return op switch
            {
                KqlRangeOperator.GreaterThan => Rowid(">", EmbeddedLogWriter.Id(at, -1)),
                KqlRangeOperator.GreaterThanOrEqual => Rowid(">=", EmbeddedLogWriter.Id(at, 0)),
                KqlRangeOperator.LessThan => Rowid("<", EmbeddedLogWriter.Id(at, 0)),
                _ => Rowid("<=", EmbeddedLogWriter.Id(at, -1)),
            };
        }

        if (!keyword && LogDocumentIndexer.TryNumber(value.Text.Trim(), out var number))
        {
            var bound = LogTokens.Sortable(number);
            var (low, high) = op switch
            {
                KqlRangeOperator.GreaterThan => (bound == ulong.MaxValue ? 1UL : bound + 1, bound == ulong.MaxValue ? 0UL : ulong.MaxValue),
                KqlRangeOperator.GreaterThanOrEqual => (bound, ulong.MaxValue),
                KqlRangeOperator.LessThan => (bound == 0 ? 1UL : 0UL, bound == 0 ? 0UL : bound - 1),
                _ => (0UL, bound),
            };
            if (low > high)
            {
                return new Part(Terms(LogTokens.NoRows), null);
            }

            var prefix = LogTokens.NumberPrefix(field);
            return new Part(Any([.. LogTokens.Cover(low, high).Select(b => b.IsPrefix ? TermsPrefix(prefix + b.Digits) : Terms(prefix + b.Digits))]), null);
        }

        return Scan(LogScan.Range(field, op, value.Text), Terms(LogTokens.Exists(field)));
    }

    private Part Rowid(string op, long bound) => new(null, $"log_fts.rowid {op} {Parameter(bound)}");

    private long Time(string text, bool roundUp)
    {
        if (!LogTimeRange.TryParse(text, _now, roundUp, out var at, out var error))
        {
            throw new LogBackendException(LogBackendFailure.InvalidQuery, $"'{text}' is not a time for {LogDocumentIndexer.TimestampField}{(error is null ? "" : ": " + error)}.");
        }

        return Math.Max(0, at.ToUnixTimeMilliseconds());
    }
}
