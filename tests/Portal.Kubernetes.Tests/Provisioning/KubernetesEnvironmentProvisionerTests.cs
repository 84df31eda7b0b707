using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Core.Authorization;
using Portal.Core.Environments;
using Portal.Core.Provisioning;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Provisioning;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;
using Xunit;
using RoleBinding = Portal.Core.Authorization.RoleBinding;

namespace Portal.Kubernetes.Tests.Provisioning;

/// <summary>Provisioning against the sandbox cluster over HTTPS: every object exists with the right content, and destroy removes them.</summary>
public sealed class KubernetesEnvironmentProvisionerTests : IAsyncLifetime
{
    private readonly TempDirectory _templates = new("manifests");
    private RunningSandbox _sandbox = null!;
    private KubernetesRestClient _client = null!;
    private KubernetesEnvironmentProvisioner _provisioner = null!;

    private static readonly PortalEnvironment Environment = new()
    {
        Name = "pr-7",
        DisplayName = "PR 7",
        Tier = EnvironmentTier.Dev,
        Cluster = "sandbox",
        Namespace = "pr-7",
        OwningTeam = "Payments Team",
        CostCentre = "CC_9",
        Labels = new Dictionary<string, string> { ["app"] = "shop" },
        Quota = new EnvironmentQuota("2", "4Gi", 20),
        CreatedBy = "alice",
    };

    private static readonly IReadOnlyList<RoleBinding> Bindings =
    [
        Binding(SubjectKind.User, "alice", Roles.Owner, "pr-7"),
        Binding(SubjectKind.Group, "payments-devs", Roles.Developer, "pr-7"),
        Binding(SubjectKind.User, "bob", Roles.Viewer, "pr-7"),
        Binding(SubjectKind.User, "mallory", Roles.Owner, "other-env"),
    ];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_templates.Path, "all"));
        Directory.CreateDirectory(Path.Combine(_templates.Path, "dev"));
        Directory.CreateDirectory(Path.Combine(_templates.Path, "prod"));
        await File.WriteAllTextAsync(Path.Combine(_templates.Path, "all", "settings.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: portal-settings
            data:
              environment: "{{ environment }}"
              team: "{{team}}"
            """);
        await File.WriteAllTextAsync(Path.Combine(_templates.Path, "dev", "debug.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: debug-{{ namespace }}
            data:
              tier: "{{ tier }}"
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: second
            """);
        await File.WriteAllTextAsync(Path.Combine(_templates.Path, "prod", "only-prod.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: only-prod
            """);

        _sandbox = await RunningSandbox.StartAsync();
        _client = _sandbox.Client();
        _provisioner = new KubernetesEnvironmentProvisioner(
            new Clients(_client),
            Options.Create(new ProvisioningOptions { ManifestsDirectory = _templates.Path }),
            Options.Create(new EnvironmentPolicyOptions()),
            TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _templates.Dispose();
    }

    [Fact]
    public async Task ApplyAsync_EveryPart_CreatesEveryObjectWithItsContent()
    {
        await ApplyAllAsync();

        var ns = await GetAsync("/api/v1/namespaces/pr-7");
        Labels(ns).ShouldBe(new Dictionary<string, string>
        {
            ["app"] = "shop",
            ["app.kubernetes.io/managed-by"] = "portal",
            ["kubernetes.io/metadata.name"] = "pr-7",
            ["portal.dev/cost-centre"] = "cc_9",
            ["portal.dev/environment"] = "pr-7",
            ["portal.dev/team"] = "payments-team",
            ["portal.dev/tier"] = "dev",
        }, ignoreOrder: true);

        var quota = await GetAsync("/api/v1/namespaces/pr-7/resourcequotas/portal-quota");
        quota.GetProperty("spec").GetProperty("hard").ToString().ShouldBe("""{"requests.cpu":"2","requests.memory":"4Gi","pods":"20"}""");

        var limits = (await GetAsync("/api/v1/namespaces/pr-7/limitranges/portal-limits")).GetProperty("spec").GetProperty("limits")[0];
        limits.GetProperty("type").GetString().ShouldBe("Container");
        limits.GetProperty("defaultRequest").GetProperty("cpu").GetString().ShouldBe("100m");
        limits.GetProperty("default").GetProperty("memory").GetString().ShouldBe("512Mi");
        limits.GetProperty("max").GetProperty("cpu").GetString().ShouldBe("4");

        (await RoleBindingAsync("portal-owner")).ShouldBe(("admin", "User:alice"));
        (await RoleBindingAsync("portal-developer")).ShouldBe(("edit", "Group:payments-devs"));
        (await RoleBindingAsync("portal-viewer")).ShouldBe(("view", "User:bob"));
        (await RoleBindingAsync("portal-operator")).ShouldBe(("edit", ""));

        var deny = (await GetAsync("/apis/networking.k8s.io/v1/namespaces/pr-7/networkpolicies/portal-default-deny")).GetProperty("spec");
        deny.GetProperty("podSelector").ToString().ShouldBe("{}");
        deny.GetProperty("policyTypes").ToString().ShouldBe("""["Ingress"]""");
        deny.TryGetProperty("ingress", out _).ShouldBeFalse();
        var same = (await GetAsync("/apis/networking.k8s.io/v1/namespaces/pr-7/networkpolicies/portal-allow-same-environment")).GetProperty("spec");
        same.GetProperty("ingress").ToString().ShouldBe("""[{"from":[{"podSelector":{}}]}]""");
        var ingress = (await GetAsync("/apis/networking.k8s.io/v1/namespaces/pr-7/networkpolicies/portal-allow-ingress-controller")).GetProperty("spec");
        ingress.GetProperty("ingress").ToString().ShouldBe("""[{"from":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}}}]}]""");

        var settings = await GetAsync("/api/v1/namespaces/pr-7/configmaps/portal-settings");
        settings.GetProperty("data").ToString().ShouldBe("""{"environment":"pr-7","team":"payments-team"}""");
        Labels(settings)["portal.dev/environment"].ShouldBe("pr-7");
        (await GetAsync("/api/v1/namespaces/pr-7/configmaps/debug-pr-7")).GetProperty("data").GetProperty("tier").GetString().ShouldBe("dev");
        await GetAsync("/api/v1/namespaces/pr-7/configmaps/second");
        (await StatusAsync("/api/v1/namespaces/pr-7/configmaps/only-prod")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ApplyAsync_RunTwice_SucceedsAndLeavesOneOfEach()
    {
        await ApplyAllAsync();
        await ApplyAllAsync();

        var list = await GetAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/pr-7/rolebindings");
        list.GetProperty("items").GetArrayLength().ShouldBe(4);
        (await GetAsync("/apis/networking.k8s.io/v1/namespaces/pr-7/networkpolicies")).GetProperty("items").GetArrayLength().ShouldBe(3);
    }

    [Fact]
    public async Task Plan_EveryPart_RendersYamlThatParsesBackToWhatIsApplied()
    {
        var plan = _provisioner.Plan(Environment, Bindings);

        plan.Select(p => $"{p.Part}:{p.Kind}/{p.Name}").ShouldBe(
        [
            "namespace:Namespace/pr-7", "resource-quota:ResourceQuota/portal-quota", "limit-range:LimitRange/portal-limits",
            "role-bindings:RoleBinding/portal-viewer", "role-bindings:RoleBinding/portal-developer", "role-bindings:RoleBinding/portal-operator",
            "role-bindings:RoleBinding/portal-owner", "network-policies:NetworkPolicy/portal-default-deny",
            "network-policies:NetworkPolicy/portal-allow-same-environment", "network-policies:NetworkPolicy/portal-allow-ingress-controller",
            "extra-manifests:ConfigMap/portal-settings", "extra-manifests:ConfigMap/debug-pr-7", "extra-manifests:ConfigMap/second",
        ]);
        var quota = YamlJson.Parse(plan[1].Yaml)!;
        quota["spec"]!["hard"]!["pods"]!.GetValue<string>().ShouldBe("20");
        quota["metadata"]!["namespace"]!.GetValue<string>().ShouldBe("pr-7");
    }

    [Fact]
    public async Task UsageAsync_PodsRequestResources_ReportsWhatTheQuotaCounts()
    {
        await ApplyAllAsync();
        _sandbox.Create(ResourceTypes.Deployments, """
            { "metadata": { "name": "web", "namespace": "pr-7" },
              "spec": { "replicas": 2, "selector": { "matchLabels": { "app": "web" } },
                        "template": { "metadata": { "labels": { "app": "web" } },
                                      "spec": { "containers": [ { "name": "app", "image": "web:1", "resources": { "requests": { "cpu": "250m", "memory": "256Mi" } } } ] } } } }
            """);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        ResourceUsage usage;
        do
        {
            usage = await _provisioner.UsageAsync(Environment, CancellationToken.None);
            await Task.Delay(100);
        }
        while (usage.Pods < 2 && DateTime.UtcNow < deadline);

        usage.ShouldBe(new ResourceUsage(500, 512L * 1024 * 1024, 2));
    }

    [Fact]
    public async Task DeleteAsync_EveryPartInReverse_RemovesTheNamespaceAndIsIdempotent()
    {
        await ApplyAllAsync();
        var log = new List<string>();

        foreach (var part in ProvisioningParts.All.Reverse())
        {
            await _provisioner.DeleteAsync(Environment, part, m => { log.Add(m); return Task.CompletedTask; }, CancellationToken.None);
        }

        (await StatusAsync("/api/v1/namespaces/pr-7")).ShouldBe(HttpStatusCode.NotFound);
        log.ShouldContain("Namespace pr-7 is gone.");
        await _provisioner.DeleteAsync(Environment, ProvisioningParts.Namespace, m => { log.Add(m); return Task.CompletedTask; }, CancellationToken.None);
        log.Last().ShouldBe("Namespace pr-7 was already gone.");
    }

    [Fact]
    public async Task ApplyAsync_ClusterRefuses_ThrowsAStepFailureInWords()
    {
        var badQuota = Environment with { Quota = new EnvironmentQuota("2", "4Gi", 20), Namespace = "does-not-exist" };

        var ex = await Should.ThrowAsync<Portal.Core.Jobs.JobStepException>(() =>
            _provisioner.ApplyAsync(badQuota, ProvisioningParts.ResourceQuota, Bindings, _ => Task.CompletedTask, CancellationToken.None));

        ex.Message.ShouldStartWith("Could not apply ResourceQuota portal-quota:");
        ex.Message.ShouldContain("does-not-exist");
    }

    [Fact]
    public async Task ApplyAndDeleteAsync_NamespaceOfSomeoneElse_RefusedAndLeftAlone()
    {
        _sandbox.Create(ResourceTypes.Namespaces, """{ "metadata": { "name": "ingress-nginx", "labels": { "team": "platform" } } }""");
        var intruder = Environment with { Name = "ingress-nginx", Namespace = "ingress-nginx" };

        var apply = await Should.ThrowAsync<Portal.Core.Jobs.JobStepException>(() =>
            _provisioner.ApplyAsync(intruder, ProvisioningParts.NetworkPolicies, Bindings, _ => Task.CompletedTask, CancellationToken.None));
        var delete = await Should.ThrowAsync<Portal.Core.Jobs.JobStepException>(() =>
            _provisioner.DeleteAsync(intruder, ProvisioningParts.Namespace, _ => Task.CompletedTask, CancellationToken.None));

        apply.Message.ShouldContain("will not take it over");
        delete.Message.ShouldContain("label is missing");
        (await StatusAsync("/api/v1/namespaces/ingress-nginx")).ShouldBe(HttpStatusCode.OK);
        (await GetAsync("/apis/networking.k8s.io/v1/namespaces/ingress-nginx/networkpolicies")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Plan_SecretAmongExtraManifests_ShowsKeysNotValues()
    {
        using var templates = new TempDirectory("secret-manifests");
        Directory.CreateDirectory(Path.Combine(templates.Path, "all"));
        await File.WriteAllTextAsync(Path.Combine(templates.Path, "all", "pull.yaml"), """
            apiVersion: v1
            kind: Secret
            metadata:
              name: registry-pull
            stringData:
              token: s3cr3t-value
            """);
        var provisioner = new KubernetesEnvironmentProvisioner(new Clients(_client), Options.Create(new ProvisioningOptions { ManifestsDirectory = templates.Path }),
            Options.Create(new EnvironmentPolicyOptions()), TimeProvider.System);

        var secret = provisioner.Plan(Environment, Bindings, ProvisioningParts.ExtraManifests).ShouldHaveSingleItem();

        secret.Yaml.ShouldNotContain("s3cr3t-value");
        YamlJson.Parse(secret.Yaml)!["stringData"]!["token"]!.GetValue<string>().ShouldBe("(hidden)");
    }

    [Fact]
    public void Plan_ProtectedTier_DevelopersGetViewOperatorsEdit()
    {
        var prod = Environment with { Tier = EnvironmentTier.Prod };

        var bindings = _provisioner.Plan(prod, Bindings, ProvisioningParts.RoleBindings).ToDictionary(p => p.Name, p => YamlJson.Parse(p.Yaml)!["roleRef"]!["name"]!.GetValue<string>());

        bindings.ShouldBe(new Dictionary<string, string> { ["portal-viewer"] = "view", ["portal-developer"] = "view", ["portal-operator"] = "edit", ["portal-owner"] = "admin" });
    }

    private async Task ApplyAllAsync()
    {
        foreach (var part in ProvisioningParts.All)
        {
            await _provisioner.ApplyAsync(Environment, part, Bindings, _ => Task.CompletedTask, CancellationToken.None);
        }
    }

    private async Task<(string Role, string Subjects)> RoleBindingAsync(string name)
    {
        var binding = await GetAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/pr-7/rolebindings/{name}");
        var subjects = binding.TryGetProperty("subjects", out var s) && s.ValueKind == JsonValueKind.Array
            ? string.Join(",", s.EnumerateArray().Select(x => $"{x.GetProperty("kind").GetString()}:{x.GetProperty("name").GetString()}"))
            : "";
        binding.GetProperty("roleRef").GetProperty("kind").GetString().ShouldBe("ClusterRole");
        return (binding.GetProperty("roleRef").GetProperty("name").GetString()!, subjects);
    }

    private static Dictionary<string, string> Labels(JsonElement obj) =>
        obj.GetProperty("metadata").GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _sandbox.Http().GetAsync(path.TrimStart('/'));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var response = await _sandbox.Http().GetAsync(path.TrimStart('/'));
        return response.StatusCode;
    }

    private static RoleBinding Binding(SubjectKind kind, string subject, string role, string environment) =>
        new(Guid.NewGuid(), kind, subject, role, BindingScope.ForEnvironment(environment), null, "test", DateTimeOffset.UtcNow);

    private sealed class Clients(KubernetesRestClient client) : IKubernetesClients
    {
        public Task<KubernetesRestClient> ClientForAsync(string cluster, CancellationToken ct) => Task.FromResult(client);
    }
}
