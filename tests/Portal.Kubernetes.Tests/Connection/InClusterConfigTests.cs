using Portal.Kubernetes.Connection;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;
using Portal.Testing;

namespace Portal.Kubernetes.Tests.Connection;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly TempDirectory _serviceAccount = new("serviceaccount");

    public void Dispose() => _serviceAccount.Dispose();

    private static Func<string, string?> Env(string? host, string? port) => name => name switch
    {
        "KUBERNETES_SERVICE_HOST" => host,
        "KUBERNETES_SERVICE_PORT" => port,
        _ => null,
    };

    private void Mount(string token, string ca, string? ns = "team")
    {
        File.WriteAllText(_serviceAccount.File("token"), token);
        File.WriteAllText(_serviceAccount.File("ca.crt"), ca);
        if (ns is not null)
        {
            File.WriteAllText(_serviceAccount.File("namespace"), ns + "\n");
        }
    }

    [Fact]
    public async Task Load_MountedServiceAccountOfTheSandbox_ConnectsToIt()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        Mount(File.ReadAllText(Path.Combine(sandbox.Directory, "token")), File.ReadAllText(Path.Combine(sandbox.Directory, "ca.crt")));

        var connection = InClusterConfig.Load(_serviceAccount.Path, Env("127.0.0.1", sandbox.Cluster.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        connection.Namespace.ShouldBe("team");
        connection.Credentials.ShouldBe(new ClusterCredentials.Token(null, _serviceAccount.File("token")));
        var page = await sandbox.Client(connection).ListPageAsync(ResourcePath.Namespaces(), KubernetesJson.Default.KubeListNamespace, 10, null, null, CancellationToken.None);
        page.Items.Select(n => n.Metadata.Name).ShouldContain("team");
    }

    [Fact]
    public void Load_IPv6ServiceHost_IsBracketedInTheUrl()
    {
        Mount("t", "ca");

        InClusterConfig.Load(_serviceAccount.Path, Env("fd00::1", "443")).Server.ShouldBe(new Uri("https://[fd00::1]:443"));
    }

    [Fact]
    public void Load_NoNamespaceFile_LeavesTheNamespaceUnset()
    {
        Mount("t", "ca", ns: null);

        InClusterConfig.Load(_serviceAccount.Path, Env("10.96.0.1", "443")).Namespace.ShouldBeNull();
    }

    [Fact]
    public void Load_OutsideACluster_SaysWhy() =>
        Should.Throw<KubeconfigException>(() => InClusterConfig.Load(_serviceAccount.Path, Env(null, null))).Message
            .ShouldContain("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");

    [Fact]
    public void Load_WithoutTheMountedToken_SaysWhatIsMissing() =>
        Should.Throw<KubeconfigException>(() => InClusterConfig.Load(_serviceAccount.Path, Env("10.96.0.1", "443"))).Message
            .ShouldContain("the service-account token or ca.crt is missing");
}
