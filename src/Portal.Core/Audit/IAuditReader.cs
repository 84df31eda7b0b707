namespace Portal.Core.Audit;

/// <summary>Port: reads the audit trail. There is no way to change or delete a record through the app.</summary>
public interface IAuditReader
{
    /// <summary>
    /// Records matching <paramref name="query"/>, newest first, limited to <paramref name="environments"/>
    /// (null: every environment) and, when <paramref name="includeOrganisationWide"/>, records with no environment.
    /// </summary>
    Task<AuditPage> QueryAsync(AuditQuery query, IReadOnlyCollection<string>? environments, bool includeOrganisationWide, CancellationToken ct);
}
