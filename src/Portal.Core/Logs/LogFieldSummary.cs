namespace Portal.Core.Logs;

/// <summary>
/// One field in Discover's sidebar, from a sample of hits: its type, how many sampled documents carry a (non-null) value
/// and its most frequent values.
/// </summary>
public sealed record LogFieldSummary(string Name, LogFieldType Type, int DocumentCount, IReadOnlyList<LogFieldValueCount> TopValues);

/// <summary>A value as <see cref="LogDocumentFields.Display"/> shows it, the sampled documents holding it, and their share of the sample.</summary>
public sealed record LogFieldValueCount(string Value, int Count, double Share);
