namespace Portal.Core.Logs.Kql;

/// <summary>
/// A parsed KQL query (docs/adr/0011). Binary <see cref="KqlAnd"/> and <see cref="KqlOr"/> keep structural equality,
/// so a query that is printed and parsed again compares equal to the original. No query at all (empty text) is
/// represented by a null node: it matches every document.
/// </summary>
public abstract record KqlNode;

/// <summary><c>left and right</c>: both must match.</summary>
public sealed record KqlAnd(KqlNode Left, KqlNode Right) : KqlNode;

/// <summary><c>left or right</c>: either matches. Binds looser than <c>and</c>, as in Kibana.</summary>
public sealed record KqlOr(KqlNode Left, KqlNode Right) : KqlNode;

/// <summary><c>not operand</c>.</summary>
public sealed record KqlNot(KqlNode Operand) : KqlNode;

/// <summary>Free text with no field: searched in every field (Kibana's default field <c>*</c>).</summary>
public sealed record KqlText(KqlValue Value) : KqlNode;

/// <summary><c>field:value</c>. <c>field:(a or b)</c> parses to an <see cref="KqlOr"/> of matches on the same field.</summary>
public sealed record KqlMatch(string Field, KqlValue Value) : KqlNode;

/// <summary><c>field:*</c>: the document has the field.</summary>
public sealed record KqlExists(string Field) : KqlNode;

/// <summary><c>field &gt;= value</c>: numbers compare as numbers, dates (ISO 8601 or <c>now-1h</c>) as instants.</summary>
public sealed record KqlRange(string Field, KqlRangeOperator Operator, KqlValue Value) : KqlNode;

public enum KqlRangeOperator
{
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}

/// <summary>
/// A value as typed. <see cref="Quoted"/> values are phrases and never wildcards. An unquoted value may hold several
/// words separated by single spaces and <c>*</c> wildcards; escapes (<c>\:</c>, <c>\*</c> is not supported: quote a
/// literal asterisk) are already removed from <see cref="Text"/>.
/// </summary>
public sealed record KqlValue(string Text, bool Quoted)
{
    /// <summary>An unquoted value containing <c>*</c>.</summary>
    public bool IsWildcard => !Quoted && Text.Contains('*', StringComparison.Ordinal);
}
