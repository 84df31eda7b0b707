using Portal.Core.Environments;
using static Portal.Core.Authorization.Permissions;

namespace Portal.Web.Tests.Authorization;

/// <summary>Who may call an endpoint at all.</summary>
public enum EndpointAccess
{
    /// <summary>Anyone; answers <see cref="EndpointRule.PublicStatus"/> to a caller without a session or token.</summary>
    Public,

    /// <summary>A Razor page (or Blazor's own endpoints, its hub included): signed-in users; the anonymous are sent to the sign-in page.</summary>
    Page,

    /// <summary>API, any signed-in principal; what it lists is narrowed to what the caller may see.</summary>
    SignedIn,

    /// <summary>API, the caller's own account: a session may, an access token may not (account.own).</summary>
    OwnAccount,

    /// <summary>API, <see cref="EndpointRule.Permission"/> on the target environment (the case's tier).</summary>
    Environment,

    /// <summary>API, <see cref="EndpointRule.Permission"/> organisation-wide (only bindings on all environments count).</summary>
    Organisation,

    /// <summary>API, <see cref="EndpointRule.Permission"/> on any environment (the catalog's and saved searches' rule).</summary>
    Anywhere,
}

/// <summary>How a denied call answers.</summary>
public enum Denial
{
    /// <summary>403 problem+json naming the permission; 404 when the caller may not even see the environment.</summary>
    Forbid,

    /// <summary>404 problem+json: a read of what one may not see does not tell it exists.</summary>
    Hide,
}

/// <summary>What a case sends: the path with its route values filled in, and a JSON body or none.</summary>
public sealed record EndpointCall(string Path, object? Body = null);

/// <summary>The caller of one case (user null: anonymous) and the tier of the environment it targets.</summary>
public sealed record EndpointCase(string? User, bool ViaToken, EnvironmentTier Tier);

/// <summary>
/// One endpoint's expectation: the route pattern and methods exactly as the app's <c>EndpointDataSource</c> lists
/// them, who may call it, the permission it needs, and how to fill its route and body with real objects.
/// </summary>
public sealed record EndpointRule(
    string Methods, string Pattern, EndpointAccess Access, string? Permission, Func<SweepFixture, EndpointCase, Task<EndpointCall>> Arrange)
{
    public string Key => $"{Methods} {Pattern}";

    public Denial Denial { get; init; } = Denial.Forbid;

    /// <summary>A state change: each attempt by a signed-in caller leaves exactly one audit record.</summary>
    public bool Changes { get; init; }

    /// <summary>What an anonymous caller gets from a <see cref="EndpointAccess.Public"/> endpoint.</summary>
    public int PublicStatus { get; init; } = 200;

    /// <summary>Decided on the environment the case targets, so swept on a dev and on a prod environment.</summary>
    public bool PerTier => Access == EndpointAccess.Environment;

    /// <summary>The HTTP method a case uses (the first listed; <c>*</c> reads with GET).</summary>
    public string Method => Methods == "*" ? "GET" : Methods.Split(',')[0];
}

/// <summary>
/// The expectation table: every endpoint the app maps, but static assets (each checked to allow anonymous reads).
/// <see cref="EndpointSweepTests.Table_CoversExactlyTheDiscoveredEndpoints"/> fails when an endpoint is added
/// without a row here, or a row outlives its endpoint.
/// </summary>
public static class EndpointRules
{
    private const string V1 = "/api/v1";

    public static IReadOnlyList<EndpointRule> All { get; } = Build();

    private static IReadOnlyList<EndpointRule> Build()
    {
        static Func<SweepFixture, EndpointCase, Task<EndpointCall>> Fixed(string path, object? body = null) => (_, _) => Task.FromResult(new EndpointCall(path, body));

        // Reads on the seeded environment of the tier; state changes on a fresh one, so no case takes another's target away.
        static Func<SweepFixture, EndpointCase, Task<EndpointCall>> OnSeeded(Func<string, string> path, object? body = null) =>
            (_, c) => Task.FromResult(new EndpointCall(path(SweepFixture.Seeded(c.Tier)), body));
        static Func<SweepFixture, EndpointCase, Task<EndpointCall>> OnFresh(Func<string, string> path, object? body = null) =>
            async (f, c) => new EndpointCall(path((await f.FreshEnvironmentAsync(c.Tier)).Name), body);
        static Func<SweepFixture, EndpointCase, Task<EndpointCall>> OnAlarm(string suffix, object? body = null) =>
            (_, c) => Task.FromResult(new EndpointCall($"{V1}/alarms/{Uri.EscapeDataString(SweepFixture.AlarmName(c.Tier))}{suffix}", body));
        static Func<SweepFixture, EndpointCase, Task<EndpointCall>> OnJob(string suffix, bool cancellable) =>
            async (f, c) => new EndpointCall($"{V1}/jobs/{await f.JobAsync((await f.FreshEnvironmentAsync(c.Tier)).Name, cancellable)}{suffix}");
        static Func<SweepFixture, EndpointCase, Task<EndpointCall>> OnApproval(string verb) =>
            async (f, c) => new EndpointCall($"{V1}/approvals/{await f.PendingApprovalAsync((await f.FreshEnvironmentAsync(c.Tier)).Name)}/{verb}", new { comment = "sweep" });

        var release = Guid.NewGuid();
        var grant = new { subjectKind = "user", subject = "sweep-grantee", role = "Viewer" };
        var deploy = new { service = "payments-api", version = "1.0.0" };

        return
        [
            // Public: health, the API's not-found answer, OpenAPI, sign-in and -out, error pages, ingest (its own tokens).
            new("*", "/healthz", EndpointAccess.Public, null, Fixed("/healthz")),
            new("*", "/readyz", EndpointAccess.Public, null, Fixed("/readyz")),
            new("GET", "/openapi/{documentName}.json", EndpointAccess.Public, null, Fixed("/openapi/v1.json")),
            new("GET,HEAD", "/api/{**path}", EndpointAccess.Public, null, Fixed("/api/no-such-endpoint")) { PublicStatus = 404 },
            new("POST", "/account/sign-in", EndpointAccess.Public, null, Fixed("/account/sign-in")) { PublicStatus = 302 },
            new("GET", "/account/sso", EndpointAccess.Public, null, Fixed("/account/sso")) { PublicStatus = 404 },
            new("POST", "/account/logout", EndpointAccess.Public, null, Fixed("/account/logout")) { PublicStatus = 400 },
            new("GET,POST", "/account/login", EndpointAccess.Public, null, Fixed("/account/login")),
            new("GET,POST", "/error", EndpointAccess.Public, null, Fixed("/error")),
            new("GET,POST", "/not-found", EndpointAccess.Public, null, Fixed("/not-found")),
            new("GET,HEAD", "/ingest/", EndpointAccess.Public, null, Fixed("/ingest/")) { PublicStatus = 401 },
            new("GET", "/ingest/_cluster/health", EndpointAccess.Public, null, Fixed("/ingest/_cluster/health")) { PublicStatus = 401 },
            new("POST,PUT", "/ingest/_bulk", EndpointAccess.Public, null, Fixed("/ingest/_bulk")) { PublicStatus = 401 },
            new("POST,PUT", "/ingest/{index}/_bulk", EndpointAccess.Public, null, Fixed("/ingest/logs/_bulk")) { PublicStatus = 401 },

            // Blazor's own endpoints.
            new("GET", "/_framework/opaque-redirect", EndpointAccess.Page, null, Fixed("/_framework/opaque-redirect")),
            new("*", "/_blazor/negotiate", EndpointAccess.Page, null, Fixed("/_blazor/negotiate?negotiateVersion=1")),
            new("*", "/_blazor", EndpointAccess.Page, null, Fixed("/_blazor")),
            new("*", "/_blazor/disconnect/", EndpointAccess.Page, null, Fixed("/_blazor/disconnect/")),
            new("*", "/_blazor/initializers/", EndpointAccess.Page, null, Fixed("/_blazor/initializers/")),

            // Pages: each decides what to show inside; the sweep checks only that a session is needed. The file
            // fallback (a path with an extension that no static asset matched) is a page too.
            new("GET,HEAD", "{**path:file}", EndpointAccess.Page, null, Fixed("/no-such-file.txt")),
            Page("/", "/"),
            Page("/status", "/status"),
            Page("/approvals", "/approvals"),
            Page("/workloads", "/workloads"),
            Page("/environments/{Env}/workloads", "/environments/dev/workloads"),
            Page("/environments/{Env}/pods/{PodName}", "/environments/dev/pods/web-0"),
            Page("/environments/{Env}/trail", "/environments/dev/trail"),
            Page("/alarms", "/alarms"),
            Page("/alarms/{*Name}", "/alarms/dev/payments-api/sweep-5xx"),
            Page("/investigate", "/investigate"),
            Page("/admin", "/admin"),
            Page("/services", "/services"),
            Page("/services/new", "/services/new"),
            Page("/services/{Name}", "/services/payments-api"),
            Page("/services/{Name}/edit", "/services/payments-api/edit"),
            Page("/jobs", "/jobs"),
            Page("/jobs/{Id:guid}", $"/jobs/{Guid.NewGuid()}"),
            Page("/environments", "/environments"),
            Page("/environments/new", "/environments/new"),
            Page("/environments/{Name}", "/environments/dev"),
            Page("/environments/{Name}/costs", "/environments/dev/costs"),
            Page("/deploy", "/deploy"),
            Page("/deployments", "/deployments"),
            Page("/deployments/{Env}/{Id:guid}", $"/deployments/dev/{release}"),
            Page("/costs", "/costs"),
            Page("/costs/teams/{Team}", "/costs/teams/payments"),
            Page("/costs/explain", "/costs/explain"),
            Page("/costs/idle", "/costs/idle"),
            Page("/costs/budgets", "/costs/budgets"),
            Page("/logs", "/logs"),
            Page("/cluster", "/cluster"),
            Page("/audit", "/audit"),
            Page("/profile", "/profile"),

            // Lists and views narrowed to what the caller may see.
            Api("GET", "/environments/", EndpointAccess.SignedIn, null, Fixed($"{V1}/environments/")),
            Api("GET", "/approvals/", EndpointAccess.SignedIn, null, Fixed($"{V1}/approvals/")),
            Api("GET", "/me/", EndpointAccess.SignedIn, null, Fixed($"{V1}/me/")),
            Api("GET", "/me/tokens", EndpointAccess.SignedIn, null, Fixed($"{V1}/me/tokens")),
            Api("GET", "/audit", EndpointAccess.SignedIn, null, Fixed($"{V1}/audit")),
            Api("GET", "/status", EndpointAccess.SignedIn, null, Fixed($"{V1}/status")),
            Api("GET", "/jobs/", EndpointAccess.SignedIn, null, Fixed($"{V1}/jobs/")),
            Api("GET", "/services/", EndpointAccess.SignedIn, null, Fixed($"{V1}/services/")),
            Api("GET", "/services/{name}", EndpointAccess.SignedIn, null, Fixed($"{V1}/services/payments-api")),
            Api("GET", "/services/{name}/history", EndpointAccess.SignedIn, null, Fixed($"{V1}/services/payments-api/history")),
            Api("GET", "/services/{name}/releases", EndpointAccess.SignedIn, null, Fixed($"{V1}/services/payments-api/releases")),
            Api("GET", "/logs/saved", EndpointAccess.SignedIn, null, Fixed($"{V1}/logs/saved")),
            Api("GET", "/alarms/", EndpointAccess.SignedIn, null, Fixed($"{V1}/alarms/")),
            Api("GET", "/costs/", EndpointAccess.SignedIn, null, Fixed($"{V1}/costs/")),
            Api("GET", "/costs/idle", EndpointAccess.SignedIn, null, Fixed($"{V1}/costs/idle")),
            Api("GET", "/costs/notices", EndpointAccess.SignedIn, null, Fixed($"{V1}/costs/notices")),
            Api("GET", "/costs/budgets/teams", EndpointAccess.SignedIn, null, Fixed($"{V1}/costs/budgets/teams")),

            // One's own account.
            Api("POST", "/me/tokens", EndpointAccess.OwnAccount, OwnAccount, Fixed($"{V1}/me/tokens", new { name = "sweep" })) with { Changes = true },
            Api("DELETE", "/me/tokens/{id:guid}", EndpointAccess.OwnAccount, OwnAccount, async (f, c) =>
                new EndpointCall($"{V1}/me/tokens/{(c.User is null ? Guid.NewGuid() : (await f.CreateTokenAsync(c.User, null)).Token.Id)}")) with { Changes = true },

            // Organisation-wide.
            Api("GET", "/access/", EndpointAccess.Organisation, AdminManage, Fixed($"{V1}/access/")),
            Api("POST", "/access/", EndpointAccess.Organisation, AdminManage, Fixed($"{V1}/access/", grant)) with { Changes = true },
            Api("DELETE", "/access/{id:guid}", EndpointAccess.Organisation, AdminManage, async (f, _) =>
                new EndpointCall($"{V1}/access/{await f.OrganisationBindingAsync()}")) with { Changes = true },
            Api("GET", "/users/{name}/access", EndpointAccess.Organisation, AdminManage, (_, c) =>
                Task.FromResult(new EndpointCall($"{V1}/users/{OtherThan(c.User)}/access"))) with { Denial = Denial.Hide },
            Api("PUT", "/costs/budgets/teams/{team}", EndpointAccess.Organisation, CostsManage,
                Fixed($"{V1}/costs/budgets/teams/payments", new { monthlyBudget = 900 })) with { Changes = true },

            // Anywhere: the catalog, saved searches and the log search across environments.
            Api("POST", "/services/", EndpointAccess.Anywhere, ServicesManage, (f, _) => Task.FromResult(new EndpointCall($"{V1}/services/", new
            {
                name = $"sweep-{f.Next()}", owningTeam = "sweep", description = "Swept.", imageRepository = "registry.portal.test/sweep/app", healthCheckPath = "/healthz",
            }))) with { Changes = true },
            Api("PUT", "/services/{name}", EndpointAccess.Anywhere, ServicesManage, Fixed($"{V1}/services/notifications", new
            {
                name = "notifications", owningTeam = "platform", description = "E-mail and push notifications.",
                imageRepository = "registry.portal.test/platform/notifications", healthCheckPath = "/healthz",
            })) with { Changes = true },
            Api("POST", "/logs/saved", EndpointAccess.Anywhere, LogsRead, Fixed($"{V1}/logs/saved", new { name = "sweep", state = new { query = "level:error" } })) with { Changes = true },
            Api("DELETE", "/logs/saved/{id:guid}", EndpointAccess.Anywhere, LogsRead, async (f, c) =>
                new EndpointCall($"{V1}/logs/saved/{(c.User is null ? Guid.NewGuid() : await f.SavedSearchAsync(c.User))}")) with { Changes = true },
            Api("POST", "/logs/search", EndpointAccess.Anywhere, LogsRead, Fixed($"{V1}/logs/search", new { query = "level:error" })),
            Api("GET", "/logs/fields", EndpointAccess.Anywhere, LogsRead, Fixed($"{V1}/logs/fields")),
            Env("POST", "/logs/surrounding", LogsRead, (_, c) => Task.FromResult(new EndpointCall($"{V1}/logs/surrounding", new
            {
                environment = SweepFixture.Seeded(c.Tier),
                hit = new { id = "swept", timestamp = DateTimeOffset.UtcNow, cursor = "0", source = new { message = "swept" } },
            }))),
            Api("GET", "/logs/export.csv", EndpointAccess.Anywhere, LogsRead, Fixed($"{V1}/logs/export.csv?q=level:error")),

            // On one environment.
            Env("GET", "/environments/{name}", EnvironmentsRead, OnSeeded(e => $"{V1}/environments/{e}")) with { Denial = Denial.Hide },
            Env("POST", "/environments/", EnvironmentsCreate, (f, c) =>
                Task.FromResult(new EndpointCall($"{V1}/environments/", SweepFixture.CreateRequest($"sw-new-{f.Next()}", c.Tier)))) with { Changes = true },
            Env("POST", "/environments/preview", EnvironmentsCreate, (f, c) =>
                Task.FromResult(new EndpointCall($"{V1}/environments/preview", SweepFixture.CreateRequest($"sw-new-{f.Next()}", c.Tier)))),
            Env("PATCH", "/environments/{name}", EnvironmentsUpdate, OnFresh(e => $"{V1}/environments/{e}", new { owningTeam = "changed" })) with { Changes = true },
            Env("POST", "/environments/{name}/extend", EnvironmentsExtendTtl, OnFresh(e => $"{V1}/environments/{e}/extend", new { hours = 100 })) with { Changes = true },
            Env("DELETE", "/environments/{name}", EnvironmentsDestroy, OnFresh(e => $"{V1}/environments/{e}")) with { Changes = true },
            Env("POST", "/environments/{env}/teardown", EnvironmentsDestroy, OnFresh(e => $"{V1}/environments/{e}/teardown",
                new { at = DateTimeOffset.UtcNow.AddDays(2) })) with { Changes = true },
            Env("GET", "/environments/{name}/access/", AccessRead, OnSeeded(e => $"{V1}/environments/{e}/access/")) with { Denial = Denial.Hide },
            Env("POST", "/environments/{name}/access/", AccessManage, OnFresh(e => $"{V1}/environments/{e}/access/", grant)) with { Changes = true },
            Env("DELETE", "/environments/{name}/access/{id:guid}", AccessManage, async (f, c) =>
            {
                var (name, binding) = await f.FreshEnvironmentAsync(c.Tier);
                return new EndpointCall($"{V1}/environments/{name}/access/{binding}");
            }) with { Changes = true },
            Env("POST", "/approvals/{id:guid}/approve", EnvironmentsApprove, OnApproval("approve")) with { Changes = true },
            Env("POST", "/approvals/{id:guid}/reject", EnvironmentsApprove, OnApproval("reject")) with { Changes = true },
            Env("GET", "/environments/{env}/trail", AuditRead, OnSeeded(e => $"{V1}/environments/{e}/trail")),
            Env("GET", "/environments/{env}/costs", CostsRead, OnSeeded(e => $"{V1}/environments/{e}/costs")) with { Denial = Denial.Hide },
            Env("GET", "/environments/{env}/costs/explain", CostsRead, OnSeeded(e => $"{V1}/environments/{e}/costs/explain")) with { Denial = Denial.Hide },
            Env("GET", "/jobs/{id:guid}", EnvironmentsRead, OnJob("", cancellable: false)) with { Denial = Denial.Hide },
            Env("GET", "/jobs/{id:guid}/log", EnvironmentsRead, OnJob("/log", cancellable: false)) with { Denial = Denial.Hide },
            Env("POST", "/jobs/{id:guid}/cancel", JobsManage, OnJob("/cancel", cancellable: true)) with { Changes = true },
            Env("POST", "/jobs/{id:guid}/retry", JobsManage, OnJob("/retry", cancellable: false)) with { Changes = true },
            Env("GET", "/environments/{env}/pods", WorkloadsRead, OnSeeded(e => $"{V1}/environments/{e}/pods")),
            Env("GET", "/environments/{env}/workloads", WorkloadsRead, OnSeeded(e => $"{V1}/environments/{e}/workloads")),
            Env("GET", "/environments/{env}/pods/{pod}/logs", LogsRead, OnSeeded(e => $"{V1}/environments/{e}/pods/web-0/logs")),
            Env("POST", "/environments/{env}/workloads/{name}/scale", WorkloadsScale, OnSeeded(e => $"{V1}/environments/{e}/workloads/payments-api/scale", new { replicas = 2 })) with { Changes = true },
            Env("DELETE", "/environments/{env}/pods/{pod}", WorkloadsRestart, OnSeeded(e => $"{V1}/environments/{e}/pods/web-0")) with { Changes = true },
            Env("POST", "/environments/{env}/deployments/", DeploymentsDeploy, OnFresh(e => $"{V1}/environments/{e}/deployments/", deploy)) with { Changes = true },
            Env("POST", "/environments/{env}/deployments/preview", DeploymentsDeploy, OnSeeded(e => $"{V1}/environments/{e}/deployments/preview", deploy)),
            Env("GET", "/environments/{env}/deployments/", DeploymentsRead, OnSeeded(e => $"{V1}/environments/{e}/deployments/")) with { Denial = Denial.Hide },
            Env("GET", "/environments/{env}/deployments/{id:guid}", DeploymentsRead, OnSeeded(e => $"{V1}/environments/{e}/deployments/{release}")) with { Denial = Denial.Hide },
            Env("GET", "/environments/{env}/deployments/{id:guid}/diff", DeploymentsRead, OnSeeded(e => $"{V1}/environments/{e}/deployments/{release}/diff")) with { Denial = Denial.Hide },
            Env("GET", "/environments/{env}/deployments/{id:guid}/rollout", DeploymentsRead, OnSeeded(e => $"{V1}/environments/{e}/deployments/{release}/rollout")) with { Denial = Denial.Hide },
            Env("POST", "/environments/{env}/deployments/{id:guid}/rollback", DeploymentsRollback, OnFresh(e => $"{V1}/environments/{e}/deployments/{release}/rollback")) with { Changes = true },
            Env("POST", "/services/{name}/promote", DeploymentsDeploy, async (f, c) =>
                new EndpointCall($"{V1}/services/payments-api/promote", new { from = "test", to = (await f.FreshEnvironmentAsync(c.Tier)).Name })) with { Changes = true },
            Env("GET", "/alarms/{id}", AlarmsRead, OnAlarm("")) with { Denial = Denial.Hide },
            Env("GET", "/alarms/{id}/investigate", AlarmsRead, OnAlarm("/investigate")) with { Denial = Denial.Hide },
            Env("POST", "/alarms/{id}/ack", AlarmsAcknowledge, OnAlarm("/ack")) with { Changes = true },
            Env("POST", "/alarms/{id}/assign", AlarmsAcknowledge, OnAlarm("/assign", new { assignee = "oncall" })) with { Changes = true },
            Env("POST", "/alarms/{id}/notes", AlarmsRead, OnAlarm("/notes", new { text = "swept" })) with { Changes = true },
            Env("POST", "/alarms/{id}/snooze", AlarmsAcknowledge, OnAlarm("/snooze", new { until = DateTimeOffset.UtcNow.AddHours(1) })) with { Changes = true },
            Env("DELETE", "/alarms/{id}/snooze", AlarmsAcknowledge, OnAlarm("/snooze")) with { Changes = true },
            Env("PUT", "/alarms/{id}/runbook", AlarmsAcknowledge, OnAlarm("/runbook", new { url = "https://wiki.portal.test/runbooks/sweep" })) with { Changes = true },
        ];
    }

    private static EndpointRule Page(string pattern, string path) =>
        new("GET,POST", pattern, EndpointAccess.Page, null, (_, _) => Task.FromResult(new EndpointCall(path)));

    private static EndpointRule Api(string methods, string pattern, EndpointAccess access, string? permission, Func<SweepFixture, EndpointCase, Task<EndpointCall>> arrange) =>
        new(methods, V1 + pattern, access, permission, arrange);

    private static EndpointRule Env(string methods, string pattern, string permission, Func<SweepFixture, EndpointCase, Task<EndpointCall>> arrange) =>
        Api(methods, pattern, EndpointAccess.Environment, permission, arrange);

    /// <summary>Another demo user than the caller (asking about oneself is always allowed).</summary>
    private static string OtherThan(string? user) => user == "viewer" ? "manager" : "viewer";
}
