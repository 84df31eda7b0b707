using Portal.Core.Authorization;
using Portal.Core.Environments;
using static Portal.Core.Authorization.Permissions;

namespace Portal.Core.Tests.Authorization;

/// <summary>
/// Every permission against every role on a dev and a prod environment, against a table written out here from
/// issue 3's role descriptions (not computed from Roles), so a change to the roles must change this table too.
/// </summary>
public class RoleMatrixTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly EnvironmentRef Dev = new("dev", EnvironmentTier.Dev);
    private static readonly EnvironmentRef Prod = new("prod", EnvironmentTier.Prod);

    private static readonly string[] ViewerSet = [EnvironmentsRead, AccessRead, DeploymentsRead, WorkloadsRead, LogsRead, AlarmsRead, CostsRead, AuditRead];
    private static readonly string[] DeveloperDev = [.. ViewerSet, DeploymentsDeploy, DeploymentsRollback, EnvironmentsCreate, ServicesManage];
    private static readonly string[] DeveloperProd = [.. ViewerSet, ServicesManage];
    private static readonly string[] OperatorSet = [.. DeveloperDev, WorkloadsRestart, WorkloadsScale, AlarmsAcknowledge, JobsManage];
    private static readonly string[] OperatorProd = [.. DeveloperProd, DeploymentsDeploy, DeploymentsRollback, WorkloadsRestart, WorkloadsScale, AlarmsAcknowledge, JobsManage];
    private static readonly string[] OwnerExtra = [AccessManage, EnvironmentsUpdate, EnvironmentsExtendTtl, EnvironmentsDestroy, SecretsRead, EnvironmentsApprove];
    private static readonly string[] ManagerSet = [EnvironmentsRead, CostsRead, CostsManage, AlarmsRead, DeploymentsRead];

    public static TheoryData<string, string, bool> Matrix()
    {
        var expected = new Dictionary<(string Role, string Tier), string[]>
        {
            [(Roles.Viewer, "dev")] = ViewerSet,
            [(Roles.Viewer, "prod")] = ViewerSet,
            [(Roles.Developer, "dev")] = DeveloperDev,
            [(Roles.Developer, "prod")] = DeveloperProd,
            [(Roles.Operator, "dev")] = OperatorSet,
            [(Roles.Operator, "prod")] = OperatorProd,
            [(Roles.Owner, "dev")] = [.. OperatorSet, .. OwnerExtra],
            [(Roles.Owner, "prod")] = [.. OperatorProd, .. OwnerExtra],
            [(Roles.Manager, "dev")] = ManagerSet,
            [(Roles.Manager, "prod")] = ManagerSet,
            [(Roles.PortalAdmin, "dev")] = [.. Permissions.All],
            [(Roles.PortalAdmin, "prod")] = [.. Permissions.All],
        };
        var data = new TheoryData<string, string, bool>();
        foreach (var ((role, tier), allowed) in expected)
        {
            foreach (var permission in Permissions.All)
            {
                data.Add($"{role}@{tier}", permission, allowed.Contains(permission));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Decide_RoleOnEnvironment_MatchesTheTable(string roleAtTier, string permission, bool allowed)
    {
        var (role, tier) = (roleAtTier.Split('@')[0], roleAtTier.Split('@')[1]);
        var environment = tier == "dev" ? Dev : Prod;
        // Bound on the tier: it covers the environment, and creating one is decided on its tier.
        var binding = Binding(role, Roles.Find(role)!.OrganisationWide ? BindingScope.Everywhere : BindingScope.ForTier(environment.Tier));

        var decision = AccessDecider.Decide(User("u"), permission, environment, [binding], Now);

        decision.Allowed.ShouldBe(allowed, $"{role} on {tier}: {permission}");
        if (allowed)
        {
            decision.GrantedBy.ShouldBe(binding);
        }
        else
        {
            decision.Reason.ShouldStartWith("You need ");
        }
    }

    internal static PortalPrincipal User(string name, params string[] groups) => new(name, name, groups.ToHashSet());

    internal static RoleBinding Binding(string role, BindingScope scope, string subject = "u", SubjectKind kind = SubjectKind.User, DateTimeOffset? expires = null) =>
        new(Guid.NewGuid(), kind, subject, role, scope, expires, "test", Now.AddDays(-1));
}
