using System.Diagnostics;
using Portal.Testing;
using YamlDotNet.RepresentationModel;

namespace Portal.Web.Tests.Deploy;

/// <summary>Renders deploy/overlays/* with the real `kubectl kustomize` and checks what a cluster would receive.</summary>
public class KustomizeOverlayTests
{
    [Theory]
    [InlineData("dev", "portal-dev", 2, 1)]
    [InlineData("prod", "portal-prod", 3, 2)]
    public async Task Overlay_RendersDeploymentServiceIngressAndBudget(string overlay, string ns, int replicas, int minAvailable)
    {
        var objects = await RenderAsync(overlay);

        objects.Select(o => Scalar(o, "kind")).ShouldBeSubsetOf(["ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "Ingress", "ClusterRole", "ClusterRoleBinding"]);
        objects.Where(o => !Scalar(o, "kind")!.StartsWith("Cluster", StringComparison.Ordinal)).ShouldAllBe(o => Scalar(o, "metadata", "namespace") == ns);

        // The portal reads its own cluster with its service account; each installation binds its own account.
        var binding = Single(objects, "ClusterRoleBinding");
        Scalar(binding, "metadata", "name").ShouldBe($"portal-{overlay}");
        Scalar(binding, "roleRef", "name").ShouldBe(Scalar(Single(objects, "ClusterRole"), "metadata", "name"));

        var deployment = Single(objects, "Deployment");
        int.Parse(Scalar(deployment, "spec", "replicas")!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(replicas);
        replicas.ShouldBeGreaterThanOrEqualTo(2);

        var pdb = Single(objects, "PodDisruptionBudget");
        Scalar(pdb, "spec", "minAvailable").ShouldBe(minAvailable.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Single(objects, "Service").ShouldNotBeNull();
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Overlay_PortalContainer_IsProbedLimitedAndNonRoot(string overlay)
    {
        var deployment = Single(await RenderAsync(overlay), "Deployment");
        var pod = Node(deployment, "spec", "template", "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)Node(pod, "containers")).Children[0];

        Scalar(container, "readinessProbe", "httpGet", "path").ShouldBe("/readyz");
        Scalar(container, "livenessProbe", "httpGet", "path").ShouldBe("/healthz");
        Scalar(container, "resources", "requests", "cpu").ShouldNotBeNull();
        Scalar(container, "resources", "requests", "memory").ShouldNotBeNull();
        Scalar(container, "resources", "limits", "cpu").ShouldNotBeNull();
        Scalar(container, "resources", "limits", "memory").ShouldNotBeNull();
        Scalar(pod, "securityContext", "runAsNonRoot").ShouldBe("true");
        Scalar(container, "securityContext", "allowPrivilegeEscalation").ShouldBe("false");
        Scalar(container, "securityContext", "readOnlyRootFilesystem").ShouldBe("true");
        ((YamlSequenceNode)Node(container, "ports")).Children.Cast<YamlMappingNode>()
            .ShouldContain(p => Scalar(p, "containerPort") == "8080");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Overlay_ConnectionString_ComesFromASecret(string overlay)
    {
        var deployment = Single(await RenderAsync(overlay), "Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)Node(deployment, "spec", "template", "spec", "containers")).Children[0];
        var env = ((YamlSequenceNode)Node(container, "env")).Children.Cast<YamlMappingNode>().ToList();

        var connection = env.Single(e => Scalar(e, "name") == "Database__ConnectionString");
        Scalar(connection, "valueFrom", "secretKeyRef", "name").ShouldBe("portal-database");
        connection.Children.ContainsKey(new YamlScalarNode("value")).ShouldBeFalse("no literal connection string in manifests");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Overlay_Logs_SearchElasticsearchWithAnApiKeyFromASecret(string overlay)
    {
        var rendered = await RenderAsync(overlay);
        var config = Single(rendered, "ConfigMap");
        Scalar(config, "data", "Logs__Backend").ShouldBe("Elasticsearch", "replicas cannot share the embedded store");
        Scalar(config, "data", "Logs__Elasticsearch__Url").ShouldNotBeNull().ShouldStartWith("https://");
        Scalar(config, "data", "Logs__Elasticsearch__Authentication__Mode").ShouldBe("ApiKey");

        var container = (YamlMappingNode)((YamlSequenceNode)Node(Single(rendered, "Deployment"), "spec", "template", "spec", "containers")).Children[0];
        var key = ((YamlSequenceNode)Node(container, "env")).Children.Cast<YamlMappingNode>().Single(e => Scalar(e, "name") == "Logs__Elasticsearch__Authentication__ApiKey");
        Scalar(key, "valueFrom", "secretKeyRef", "name").ShouldBe("portal-logs");
    }

    [Theory]
    [InlineData("dev", "dev")]
    [InlineData("prod", "prod")]
    public async Task Overlay_Aws_AlarmsFromTheEnvironmentsAccount_ThroughIrsaAndARole(string overlay, string environment)
    {
        var rendered = await RenderAsync(overlay);
        var config = Single(rendered, "ConfigMap");
        Scalar(config, "data", "Aws__Accounts__0__Name").ShouldNotBeNullOrEmpty();
        Scalar(config, "data", "Aws__Accounts__0__Region").ShouldNotBeNull().ShouldMatch("^[a-z]{2}-[a-z]+-[0-9]$");
        Scalar(config, "data", "Aws__Accounts__0__RoleArn").ShouldNotBeNull().ShouldStartWith("arn:aws:iam::");
        Scalar(config, "data", "Aws__Accounts__0__Environments__0").ShouldBe(environment);

        var account = Single(rendered, "ServiceAccount");
        Scalar(account, "metadata", "annotations", "eks.amazonaws.com/role-arn").ShouldNotBeNull().ShouldStartWith("arn:aws:iam::");
        rendered.SelectMany(o => o.AllNodes.OfType<YamlScalarNode>()).Where(n => n.Value?.StartsWith("AKIA", StringComparison.Ordinal) == true)
            .ShouldBeEmpty("no access key in a manifest");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Overlay_Settings_SignInWithOidcBehindTheProxy(string overlay)
    {
        var config = Single(await RenderAsync(overlay), "ConfigMap");

        Scalar(config, "data", "SignIn__Mode").ShouldBe("Oidc");
        Scalar(config, "data", "SignIn__Oidc__Authority").ShouldNotBeNull().ShouldStartWith("https://");
        Scalar(config, "data", "SignIn__Oidc__ClientId").ShouldNotBeNullOrEmpty();
        Scalar(config, "data", "ASPNETCORE_FORWARDEDHEADERS_ENABLED").ShouldBe("true");
        Scalar(config, "data", "Database__Provider").ShouldBe("PostgreSql");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Overlay_Ingress_PinsTheBlazorCircuitToOneReplica(string overlay)
    {
        var ingress = Single(await RenderAsync(overlay), "Ingress");

        Scalar(ingress, "metadata", "annotations", "nginx.ingress.kubernetes.io/affinity").ShouldBe("cookie");
        Scalar(ingress, "metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-read-timeout").ShouldNotBeNull();
    }

    private static async Task<List<YamlMappingNode>> RenderAsync(string overlay)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("kustomize");
        info.ArgumentList.Add(RepositoryPaths.Combine("deploy", "overlays", overlay));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, await stderr);

        var stream = new YamlStream();
        stream.Load(new StringReader(await stdout));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Single(List<YamlMappingNode> objects, string kind) => objects.Single(o => Scalar(o, "kind") == kind);

    private static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }

    private static string? Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            node = next;
        }

        return (node as YamlScalarNode)?.Value;
    }
}
