namespace Portal.Core.Authorization;

/// <summary>Every permission Portal checks, as <c>"area.action"</c> strings. Roles map to these (see <see cref="Roles"/>).</summary>
public static class Permissions
{
    public const string EnvironmentsRead = "environments.read";
    public const string EnvironmentsCreate = "environments.create";
    public const string EnvironmentsUpdate = "environments.update";
    public const string EnvironmentsExtendTtl = "environments.extend-ttl";
    public const string EnvironmentsDestroy = "environments.destroy";

    /// <summary>Approve or reject someone else's four-eyes request (prod creation or destruction).</summary>
    public const string EnvironmentsApprove = "environments.approve";

    /// <summary>Cancel a job, or retry it from its failed step.</summary>
    public const string JobsManage = "jobs.manage";
    public const string AccessRead = "access.read";
    public const string AccessManage = "access.manage";
    public const string DeploymentsRead = "deployments.read";
    public const string DeploymentsDeploy = "deployments.deploy";
    public const string DeploymentsRollback = "deployments.rollback";

    /// <summary>Register and edit services in the catalog (decided on any environment: see <see cref="AccessDecider.DecideAnywhere"/>).</summary>
    public const string ServicesManage = "services.manage";
    public const string WorkloadsRead = "workloads.read";
    public const string WorkloadsRestart = "workloads.restart";
    public const string WorkloadsScale = "workloads.scale";
    public const string LogsRead = "logs.read";
    public const string AlarmsRead = "alarms.read";
    public const string AlarmsAcknowledge = "alarms.acknowledge";
    public const string CostsRead = "costs.read";

    /// <summary>
    /// Set team budgets. A team owns environments across tiers, so this is decided organisation-wide (only the
    /// organisation-wide Manager and PortalAdmin have it); an environment's own budget is an environment edit.
    /// </summary>
    public const string CostsManage = "costs.manage";
    public const string SecretsRead = "secrets.read";
    public const string AuditRead = "audit.read";

    /// <summary>Organisation-wide administration (role bindings on every environment, settings).</summary>
    public const string AdminManage = "admin.manage";

    /// <summary>
    /// Acting on one's own account (personal access tokens): every signed-in user may, no role needed; an access
    /// token may not. Not granted by roles, so not in <see cref="All"/>.
    /// </summary>
    public const string OwnAccount = "account.own";

    public static IReadOnlyList<string> All { get; } =
    [
        EnvironmentsRead, EnvironmentsCreate, EnvironmentsUpdate, EnvironmentsExtendTtl, EnvironmentsDestroy, EnvironmentsApprove,
        JobsManage, AccessRead, AccessManage, DeploymentsRead, DeploymentsDeploy, DeploymentsRollback, ServicesManage,
        WorkloadsRead, WorkloadsRestart, WorkloadsScale, LogsRead, AlarmsRead, AlarmsAcknowledge,
        CostsRead, CostsManage, SecretsRead, AuditRead, AdminManage,
    ];
}
