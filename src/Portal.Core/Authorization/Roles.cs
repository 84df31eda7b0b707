using static Portal.Core.Authorization.Permissions;

namespace Portal.Core.Authorization;

/// <summary>The built-in roles, as data. Each environment role includes the one below it.</summary>
public static class Roles
{
    public const string Viewer = "Viewer";
    public const string Developer = "Developer";
    public const string Operator = "Operator";
    public const string Owner = "Owner";
    public const string Manager = "Manager";
    public const string PortalAdmin = "PortalAdmin";

    private static readonly Grant[] ViewerGrants =
    [
        new(EnvironmentsRead), new(AccessRead), new(DeploymentsRead), new(WorkloadsRead), new(LogsRead), new(AlarmsRead), new(CostsRead), new(AuditRead),
    ];

    private static readonly Grant[] DeveloperGrants =
    [
        .. ViewerGrants, new(DeploymentsDeploy, NonProtectedOnly: true), new(DeploymentsRollback, NonProtectedOnly: true),
        new(EnvironmentsCreate, NonProtectedOnly: true), new(ServicesManage),
    ];

    private static readonly Grant[] OperatorGrants =
    [
        .. DeveloperGrants.Where(g => g.Permission is not (DeploymentsDeploy or DeploymentsRollback)),
        new(DeploymentsDeploy), new(DeploymentsRollback), new(WorkloadsRestart), new(WorkloadsScale), new(AlarmsAcknowledge),
        new(JobsManage),
    ];

    private static readonly Grant[] OwnerGrants =
    [
        .. OperatorGrants, new(AccessManage), new(EnvironmentsUpdate), new(EnvironmentsExtendTtl), new(EnvironmentsDestroy), new(SecretsRead),
        new(EnvironmentsApprove),
    ];

    public static IReadOnlyList<RoleDefinition> All { get; } =
    [
        new(Viewer, false, 1, "Read everything in the environment, its logs included, except secrets.", ViewerGrants),
        new(Developer, false, 2, "Viewer, plus deploy, roll back and create environments outside prod, and register services in the catalog.", DeveloperGrants),
        new(Operator, false, 3, "Developer, plus restart, scale, roll back, acknowledge alarms, cancel and retry jobs, and deploy to prod (with approval).", OperatorGrants),
        new(Owner, false, 4, "Operator, plus manage access, change, extend and destroy the environment, approve others' prod requests, and read secrets.", OwnerGrants),
        new(Manager, true, 5, "Status and costs of every environment, and team budgets; no logs, no other actions.",
            [new(EnvironmentsRead), new(CostsRead), new(CostsManage), new(AlarmsRead), new(DeploymentsRead)]),
        new(PortalAdmin, true, 6, "Everything, everywhere.", [.. Permissions.All.Select(p => new Grant(p))]),
    ];

    public static RoleDefinition? Find(string? name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
}
