namespace Portal.Core.Logs.Kql;

/// <summary>
/// The only exception <see cref="KqlParser"/> throws: where in the query (0-based character offset) the parse failed
/// and what it expected there, e.g. "a value after ':'".
/// </summary>
public sealed class KqlSyntaxException(int position, string expected, string message) : Exception(message)
{
    public int Position { get; } = position;

    public string Expected { get; } = expected;
}
