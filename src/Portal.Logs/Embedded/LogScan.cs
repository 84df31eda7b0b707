using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Logs;
using Portal.Core.Logs.Kql;

namespace Portal.Logs.Embedded;

/// <summary>
/// What FTS5 cannot answer, tested on a stored document: a wildcard with a leading or inner <c>*</c> (the whole value
/// or any one word of it matches), or a range over strings (ordinal, lowercased). <see cref="Field"/> null means every
/// field, as free text. Evaluated through the SQL function <c>log_scan(doc, i)</c> over the documents in the range.
/// </summary>
internal sealed class LogScan
{
    private readonly string? _pattern;
    private readonly KqlRangeOperator? _operator;
    private readonly string? _bound;
    private readonly string? _exact;

    private LogScan(string? field, string? pattern, bool words, KqlRangeOperator? op, string? bound, string? exact = null)
    {
        _exact = exact?.ToLowerInvariant();
        Field = field;
        _pattern = pattern?.ToLowerInvariant();
        MatchesWords = words;
        _operator = op;
        _bound = bound?.ToLowerInvariant();
    }

    public string? Field { get; }

    public bool MatchesWords { get; }

    public static LogScan Wildcard(string? field, string pattern, bool words) => new(field, pattern, words, null, null);

    public static LogScan Range(string field, KqlRangeOperator op, string bound) => new(field, null, false, op, bound);

    /// <summary>The field's whole value equals <paramref name="value"/> (lowercased).</summary>
    public static LogScan Exact(string field, string value) => new(field, null, false, null, null, value);

    public bool Matches(string document)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(document) as JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }

        if (root is null)
        {
            return false;
        }

        foreach (var (flatName, node) in LogDocumentFields.Flatten(root))
        {
            foreach (var (name, value) in LogDocumentIndexer.Scalars(flatName, node))
            {
                if (Field is null ? string.Equals(name, LogDocumentIndexer.TimestampField, StringComparison.OrdinalIgnoreCase)
                    : !string.Equals(name, Field, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (LogDocumentIndexer.ScalarText(value) is { } text && Test(text.ToLowerInvariant()))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>*</c> matches any run of characters (also none); every other character itself.</summary>
    public static bool Glob(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
    {
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private bool Test(string text)
    {
        if (_exact is not null)
        {
            return string.Equals(text, _exact, StringComparison.Ordinal);
        }

        if (_pattern is not null)
        {
            return Glob(text, _pattern) || (MatchesWords && LogTokens.Words(text).Any(w => Glob(w, _pattern)));
        }

        var order = string.CompareOrdinal(text, _bound);
        return _operator switch
        {
            KqlRangeOperator.GreaterThan => order > 0,
            KqlRangeOperator.GreaterThanOrEqual => order >= 0,
            KqlRangeOperator.LessThan => order < 0,
            _ => order <= 0,
        };
    }
}
