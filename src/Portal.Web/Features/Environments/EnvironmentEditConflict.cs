using Portal.Core.Audit;

namespace Portal.Web.Features.Environments;

/// <summary>
/// Explains an edit refused because the environment changed after the form was opened: who changed it (the audit
/// trail's latest successful change of it) and which fields, so the person knows what they are about to reload over.
/// </summary>
internal static class EnvironmentEditConflict
{
    public static async Task<string> DescribeAsync(PortalEnvironment edited, PortalEnvironment? latest, IAuditReader audit, CancellationToken ct)
    {
        if (latest is null || latest.Version == edited.Version)
        {
            return "";
        }

        var last = (await audit.QueryAsync(
            new AuditQuery { Environment = edited.Name, Action = "environments.", Outcome = AuditOutcome.Succeeded, Take = 1 }, [edited.Name], false, ct)).Records;
        var who = last.Count == 1 ? $" by {last[0].Actor} at {last[0].At:HH:mm:ss} UTC" : "";
        var fields = ChangedFields(edited, latest);
        var what = fields.Count == 0 ? "" : $" ({string.Join(", ", fields)})";
        return $"{edited.Name} was changed{who}{what} after you opened this form, so your changes were not saved. Load the latest version (now version {latest.Version}) and make them again.";
    }

    /// <summary>The fields a person can edit whose values differ, named as the form names them.</summary>
    public static IReadOnlyList<string> ChangedFields(PortalEnvironment a, PortalEnvironment b)
    {
        var fields = new List<string>();
        Add(fields, "display name", a.DisplayName != b.DisplayName);
        Add(fields, "owning team", a.OwningTeam != b.OwningTeam);
        Add(fields, "cost centre", a.CostCentre != b.CostCentre);
        Add(fields, "monthly budget", a.MonthlyBudget != b.MonthlyBudget);
        Add(fields, "labels", !SameLabels(a.Labels, b.Labels));
        Add(fields, "quota", a.Quota != b.Quota);
        Add(fields, "deploy approval", a.RequireDeployApproval != b.RequireDeployApproval);
        Add(fields, "automatic rollback", a.AutoRollback != b.AutoRollback);
        Add(fields, "expiry", a.ExpiresAt != b.ExpiresAt);
        return fields;
    }

    /// <summary>The same keys with the same values, whatever their order.</summary>
    public static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(l => b.TryGetValue(l.Key, out var v) && v == l.Value);

    private static void Add(List<string> fields, string name, bool changed)
    {
        if (changed)
        {
            fields.Add(name);
        }
    }
}
