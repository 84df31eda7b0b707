using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Sandbox.Kubernetes;
using Portal.Sandbox.Kubernetes.Runtime;
using Portal.Sandbox.Kubernetes.Store;
using Portal.Testing;

namespace Portal.Sandbox.Tests.Kubernetes;

public sealed class SandboxClusterTests : IDisposable
{
    private readonly TempDirectory _dir = new("sandbox-cluster");

    public void Dispose() => _dir.Dispose();

    private Task<SandboxCluster> StartAsync(bool seed = false) =>
        SandboxCluster.StartAsync(new SandboxClusterOptions(_dir.Path) { Port = 0, Timings = SandboxTimings.Fast, Seed = seed }, NullLoggerFactory.Instance);

    private static string CaData(string kubeconfig) =>
        File.ReadAllLines(kubeconfig).Single(l => l.TrimStart().StartsWith("certificate-authority-data:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();

    [Fact]
    public async Task StartAsync_AgainOnTheSameDirectory_KeepsObjectsTokenAndCa()
    {
        string uid, token, ca, caData, revision;
        await using (var first = await StartAsync())
        {
            first.Store.Create(ResourceTypes.Namespaces, JsonNode.Parse("""{ "metadata": { "name": "team" } }""")!.AsObject());
            var created = first.Store.Create(ResourceTypes.ConfigMaps, JsonNode.Parse("""{ "metadata": { "name": "kept", "namespace": "team" }, "data": { "k": "v" } }""")!.AsObject());
            uid = J.Uid(created);
            revision = J.Str(created, "metadata", "resourceVersion")!;
            token = File.ReadAllText(_dir.File("token"));
            ca = File.ReadAllText(_dir.File("ca.crt"));
            caData = CaData(first.KubeconfigPath);
        }

        await using var second = await StartAsync();

        var kept = second.Store.Get(ResourceTypes.ConfigMaps, "team", "kept").ShouldNotBeNull();
        J.Uid(kept).ShouldBe(uid);
        J.Str(kept, "metadata", "resourceVersion").ShouldBe(revision);
        J.Str(kept, "data", "k").ShouldBe("v");
        File.ReadAllText(_dir.File("token")).ShouldBe(token);
        File.ReadAllText(_dir.File("ca.crt")).ShouldBe(ca);
        CaData(second.KubeconfigPath).ShouldBe(caData);
        File.ReadAllText(second.KubeconfigPath).ShouldContain($"token: {token.Trim()}");
        second.Store.Revision.ShouldBeGreaterThanOrEqualTo(long.Parse(revision, System.Globalization.CultureInfo.InvariantCulture), "versions never go backwards across a restart");
    }

    [Fact]
    public async Task StartAsync_WithSeed_SeedsOnlyTheFirstTime()
    {
        await using (var first = await StartAsync(seed: true))
        {
            first.Store.List(ResourceTypes.Nodes).Select(J.Name).ShouldBe(["sandbox-node-1", "sandbox-node-2", "sandbox-node-3"]);
            first.Store.Get(ResourceTypes.Deployments, "prod", "payments-api").ShouldNotBeNull();
            first.Store.Delete(ResourceTypes.Deployments, "prod", "payments-api");
        }

        await using var second = await StartAsync(seed: true);

        second.Store.Get(ResourceTypes.Deployments, "prod", "payments-api").ShouldBeNull("a restart does not seed over what the user changed");
        second.Store.Get(ResourceTypes.Deployments, "prod", "checkout-web").ShouldNotBeNull();
    }

    [Fact]
    public async Task StartAsync_WritesAKubeconfigForItsLoopbackServer()
    {
        await using var cluster = await StartAsync();

        cluster.Server.Scheme.ShouldBe("https");
        cluster.Server.Host.ShouldBe("127.0.0.1");
        var kubeconfig = File.ReadAllText(cluster.KubeconfigPath);
        kubeconfig.ShouldContain($"server: https://127.0.0.1:{cluster.Server.Port}");
        kubeconfig.ShouldContain("current-context: sandbox");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(cluster.KubeconfigPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "it holds the token");
        }
    }
}
