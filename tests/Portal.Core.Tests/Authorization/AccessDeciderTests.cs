using Portal.Core.Authorization;
using Portal.Core.Environments;
using static Portal.Core.Tests.Authorization.RoleMatrixTests;

namespace Portal.Core.Tests.Authorization;

public class AccessDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly EnvironmentRef Dev = new("dev", EnvironmentTier.Dev);
    private static readonly EnvironmentRef Dev2 = new("dev-2", EnvironmentTier.Dev);
    private static readonly EnvironmentRef Prod = new("prod", EnvironmentTier.Prod);

    [Fact]
    public void Decide_Anonymous_Denied() =>
        AccessDecider.Decide(PortalPrincipal.Anonymous, Permissions.EnvironmentsRead, Dev, [Binding(Roles.PortalAdmin, BindingScope.Everywhere)], Now)
            .Reason.ShouldBe("You are not signed in.");

    [Fact]
    public void Decide_BindingOnOneEnvironment_DoesNotReachAnother()
    {
        var binding = Binding(Roles.Owner, BindingScope.ForEnvironment("dev"));

        AccessDecider.Decide(User("u"), Permissions.EnvironmentsRead, Dev, [binding], Now).Allowed.ShouldBeTrue();
        AccessDecider.Decide(User("u"), Permissions.EnvironmentsRead, Dev2, [binding], Now).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void Decide_BindingOnANamedEnvironment_NeverEntitlesCreatingIt() =>
        AccessDecider.Decide(User("u"), Permissions.EnvironmentsCreate, new EnvironmentRef("pr-1", EnvironmentTier.Dev),
            [Binding(Roles.Owner, BindingScope.ForEnvironment("pr-1"))], Now).Allowed.ShouldBeFalse();

    [Fact]
    public void Decide_TierBinding_CoversEveryEnvironmentOfThatTierOnly()
    {
        var binding = Binding(Roles.Operator, BindingScope.ForTier(EnvironmentTier.Dev));

        AccessDecider.Decide(User("u"), Permissions.WorkloadsRestart, Dev2, [binding], Now).Allowed.ShouldBeTrue();
        AccessDecider.Decide(User("u"), Permissions.WorkloadsRestart, Prod, [binding], Now).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void Decide_GroupBinding_AppliesToMembersOnly()
    {
        var binding = Binding(Roles.Developer, BindingScope.Everywhere, subject: "developers", kind: SubjectKind.Group);

        AccessDecider.Decide(User("ann", "developers"), Permissions.LogsRead, Dev, [binding], Now).Allowed.ShouldBeTrue();
        AccessDecider.Decide(User("bob", "sre"), Permissions.LogsRead, Dev, [binding], Now).Allowed.ShouldBeFalse();
        AccessDecider.Decide(User("developers"), Permissions.LogsRead, Dev, [binding], Now).Allowed.ShouldBeFalse("a user named like a group is not a member");
    }

    [Fact]
    public void Decide_UserBinding_IgnoresCaseOfTheUserName() =>
        AccessDecider.Decide(User("Ann"), Permissions.EnvironmentsRead, Dev, [Binding(Roles.Viewer, BindingScope.Everywhere, subject: "ann")], Now).Allowed.ShouldBeTrue();

    [Fact]
    public void Decide_TimeBoxedBinding_StopsAtItsEnd()
    {
        var binding = Binding(Roles.Operator, BindingScope.ForEnvironment("prod"), expires: Now.AddHours(4));

        AccessDecider.Decide(User("u"), Permissions.WorkloadsScale, Prod, [binding], Now.AddHours(3)).Allowed.ShouldBeTrue();
        AccessDecider.Decide(User("u"), Permissions.WorkloadsScale, Prod, [binding], Now.AddHours(4)).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void Decide_SeveralBindings_NamesTheLeastRoleThatGrants()
    {
        var viewer = Binding(Roles.Viewer, BindingScope.Everywhere);
        var owner = Binding(Roles.Owner, BindingScope.ForEnvironment("dev"));

        AccessDecider.Decide(User("u"), Permissions.EnvironmentsRead, Dev, [owner, viewer], Now).GrantedBy.ShouldBe(viewer);
    }

    [Fact]
    public void Decide_DeveloperDeployingToProd_SaysOperatorIsNeeded() =>
        AccessDecider.Decide(User("u"), Permissions.DeploymentsDeploy, Prod, [Binding(Roles.Developer, BindingScope.Everywhere)], Now)
            .Reason.ShouldBe("You need Operator on prod (deployments.deploy).");

    [Fact]
    public void Decide_OrganisationWideQuestion_CountsOnlyBindingsOnAll()
    {
        var perEnvironment = Binding(Roles.PortalAdmin, BindingScope.ForTier(EnvironmentTier.Dev));
        var everywhere = Binding(Roles.PortalAdmin, BindingScope.Everywhere);

        AccessDecider.Decide(User("u"), Permissions.AdminManage, null, [perEnvironment], Now).Allowed.ShouldBeFalse();
        AccessDecider.Decide(User("u"), Permissions.AdminManage, null, [everywhere], Now).Allowed.ShouldBeTrue();
        AccessDecider.Decide(User("u"), Permissions.AdminManage, null, [], Now).Reason.ShouldBe("You need PortalAdmin on the organisation (admin.manage).");
    }

    [Fact]
    public void Decide_ScopedToken_OnlyItsEnvironments()
    {
        var token = new PortalPrincipal("u", "u", new HashSet<string>(), new HashSet<string> { "dev" }, ViaToken: true);
        var admin = Binding(Roles.PortalAdmin, BindingScope.Everywhere);

        AccessDecider.Decide(token, Permissions.EnvironmentsUpdate, Dev, [admin], Now).Allowed.ShouldBeTrue();
        AccessDecider.Decide(token, Permissions.EnvironmentsUpdate, Prod, [admin], Now).Reason.ShouldBe("This access token is not scoped to prod.");
        AccessDecider.Decide(token, Permissions.AdminManage, null, [admin], Now).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void Decide_TokenNeverGoesBeyondItsUser()
    {
        var token = new PortalPrincipal("u", "u", new HashSet<string>(), null, ViaToken: true);

        AccessDecider.Decide(token, Permissions.EnvironmentsDestroy, Dev, [Binding(Roles.Viewer, BindingScope.Everywhere)], Now).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void Decide_OwnAccount_SignedInYesTokenNo()
    {
        AccessDecider.Decide(User("u"), Permissions.OwnAccount, null, [], Now).Allowed.ShouldBeTrue();
        var token = new PortalPrincipal("u", "u", new HashSet<string>(), null, ViaToken: true);
        AccessDecider.Decide(token, Permissions.OwnAccount, null, [], Now).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void Effective_ListsEachPermissionWithItsBinding()
    {
        var binding = Binding(Roles.Manager, BindingScope.Everywhere);

        var effective = AccessDecider.Effective(User("u"), Prod, [binding], Now);

        effective.Select(d => d.Permission).ShouldBe([Permissions.EnvironmentsRead, Permissions.DeploymentsRead, Permissions.AlarmsRead, Permissions.CostsRead, Permissions.CostsManage], ignoreOrder: true);
        effective.ShouldAllBe(d => d.GrantedBy == binding);
    }
}

public class AccessDeciderAnywhereTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly PortalPrincipal User = new("u", "U", new HashSet<string>());

    [Fact]
    public void DecideAnywhere_DeveloperOnOneEnvironment_MayRegisterServices() =>
        AccessDecider.DecideAnywhere(User, Permissions.ServicesManage, [RoleMatrixTests.Binding(Roles.Developer, BindingScope.ForEnvironment("dev-alice"))], Now)
            .Allowed.ShouldBeTrue();

    [Fact]
    public void DecideAnywhere_ViewerEverywhere_DeniedNamingTheLeastRole()
    {
        var decision = AccessDecider.DecideAnywhere(User, Permissions.ServicesManage, [RoleMatrixTests.Binding(Roles.Viewer, BindingScope.Everywhere)], Now);

        decision.Allowed.ShouldBeFalse();
        decision.Reason.ShouldBe("You need Developer on at least one environment (services.manage).");
    }

    [Fact]
    public void DecideAnywhere_ExpiredBinding_DoesNotCount() =>
        AccessDecider.DecideAnywhere(User, Permissions.ServicesManage, [RoleMatrixTests.Binding(Roles.Owner, BindingScope.Everywhere, expires: Now.AddMinutes(-1))], Now)
            .Allowed.ShouldBeFalse();

    [Fact]
    public void DecideAnywhere_EnvironmentScopedToken_Denied()
    {
        var token = User with { TokenEnvironments = new HashSet<string> { "dev" } };

        AccessDecider.DecideAnywhere(token, Permissions.ServicesManage, [RoleMatrixTests.Binding(Roles.PortalAdmin, BindingScope.Everywhere)], Now)
            .Reason.ShouldContain("scoped to environments");
    }
}
