using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Portal.Kubernetes.Cache;
using Portal.Kubernetes.Connection;
using Portal.Kubernetes.Model;
using Portal.Kubernetes.Rest;
using Portal.Kubernetes.Tests.Sandbox;
using Portal.Testing;

namespace Portal.Kubernetes.Tests.Connection;

/// <summary>Portal's HTTP stack against the sandbox's real TLS endpoint, with the kubeconfig the sandbox wrote.</summary>
public sealed class ClusterHttpTests : IAsyncLifetime
{
    private RunningSandbox _sandbox = default!;

    public async Task InitializeAsync() => _sandbox = await RunningSandbox.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static byte[] SelfSignedCaPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=some-other-cluster-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        return Encoding.ASCII.GetBytes(ca.ExportCertificatePem());
    }

    private static Task<KubeList<Namespace>> ListNamespacesAsync(KubernetesRestClient client) =>
        client.ListPageAsync(ResourcePath.Namespaces(), KubernetesJson.Default.KubeListNamespace, 10, null, null, CancellationToken.None);

    [Fact]
    public async Task CreateClient_SandboxKubeconfig_TrustsItsCaAndSendsItsToken()
    {
        var connection = _sandbox.Connection;
        connection.CertificateAuthority.ShouldNotBeNull();
        connection.Credentials.ShouldBeOfType<ClusterCredentials.Token>();
        var client = _sandbox.Client(connection);

        (await client.VersionAsync(CancellationToken.None)).ShouldBe("v1.32.0-portal-sandbox");
        (await ListNamespacesAsync(client)).Items.Select(n => n.Metadata.Name).ShouldBe([RunningSandbox.Ns]);
    }

    [Fact]
    public async Task CreateClient_CaOfAnotherCluster_RefusesTheServer()
    {
        var client = _sandbox.Client(_sandbox.Connection with { CertificateAuthority = SelfSignedCaPem() });

        var error = await Should.ThrowAsync<HttpRequestException>(() => ListNamespacesAsync(client));

        error.InnerException.ShouldBeOfType<AuthenticationException>();
        ClusterErrors.Describe(error).ShouldBe("the cluster's TLS certificate is not trusted");
    }

    [Fact]
    public async Task CreateClient_NoCaInTheKubeconfig_UsesTheSystemStoreWhichDoesNotKnowTheSandbox()
    {
        var client = _sandbox.Client(_sandbox.Connection with { CertificateAuthority = null });

        (await Should.ThrowAsync<HttpRequestException>(() => ListNamespacesAsync(client))).InnerException.ShouldBeOfType<AuthenticationException>();
    }

    [Fact]
    public async Task CreateClient_ServerNameThatTheCertificateDoesNotCarry_IsRefused()
    {
        var client = _sandbox.Client(_sandbox.Connection with { TlsServerName = "api.other-cluster.example" });

        (await Should.ThrowAsync<HttpRequestException>(() => ListNamespacesAsync(client))).InnerException.ShouldBeOfType<AuthenticationException>();
    }

    [Fact]
    public async Task CreateClient_ServerNameTheCertificateCarries_IsAccepted()
    {
        var client = _sandbox.Client(_sandbox.Connection with { TlsServerName = "localhost" });

        (await ListNamespacesAsync(client)).Items.ShouldNotBeEmpty();
    }

    [Fact]
    public void ValidateServer_TlsServerName_IsTheNameCheckedInsteadOfTheUrlsHost()
    {
        // As when the kubeconfig's server is an IP the certificate does not name, with tls-server-name naming it.
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(_sandbox.Directory, "server.pfx"), null);
        var connection = _sandbox.Connection;
        var byIp = SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors;

        ClusterHttp.ValidateServer(connection with { TlsServerName = "localhost" }, certificate, byIp).ShouldBeTrue();
        ClusterHttp.ValidateServer(connection with { TlsServerName = "kubernetes.default.svc" }, certificate, SslPolicyErrors.RemoteCertificateChainErrors).ShouldBeFalse();
        ClusterHttp.ValidateServer(connection, certificate, byIp).ShouldBeFalse("without tls-server-name the URL's host must match");
        ClusterHttp.ValidateServer(connection with { CertificateAuthority = SelfSignedCaPem(), TlsServerName = "localhost" }, certificate, byIp).ShouldBeFalse("the name is not enough: the CA must sign it");
    }

    [Fact]
    public async Task CreateClient_InsecureSkipTlsVerify_TrustsAnyCertificate()
    {
        var client = _sandbox.Client(_sandbox.Connection with { CertificateAuthority = SelfSignedCaPem(), InsecureSkipTlsVerify = true });

        (await ListNamespacesAsync(client)).Items.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task CreateClient_WrongToken_IsUnauthorized()
    {
        var client = _sandbox.Client(_sandbox.Connection with { Credentials = new ClusterCredentials.Token("not-the-token", null) });

        var error = await Should.ThrowAsync<KubernetesApiException>(() => ListNamespacesAsync(client));

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        error.Reason.ShouldBe("Unauthorized");
        ClusterErrors.Describe(error).ShouldBe("the cluster refused Portal's credentials (401 Unauthorized)");
    }

    [Fact]
    public async Task CreateClient_TokenFile_IsReadAgainForEveryRequest()
    {
        var tokenFile = Path.Combine(_sandbox.Directory, "rotating-token");
        await File.WriteAllTextAsync(tokenFile, "expired-token\n");
        var client = _sandbox.Client(_sandbox.Connection with { Credentials = new ClusterCredentials.Token(null, tokenFile) });
        (await Should.ThrowAsync<KubernetesApiException>(() => ListNamespacesAsync(client))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        await File.WriteAllTextAsync(tokenFile, await File.ReadAllTextAsync(Path.Combine(_sandbox.Directory, "token")) + "\n");

        (await ListNamespacesAsync(client)).Items.ShouldNotBeEmpty("the rotated token is used without a new client");
    }

    [Fact]
    public async Task CreateClient_ServerUrlWithAPath_KeepsThePathOnEveryRequest()
    {
        // Rancher and other proxies serve a cluster's API under a prefix: https://rancher.example/k8s/clusters/c-m-1.
        var seen = new List<string>();
        var (app, url) = await LoopbackServer.StartAsync(a => a.Run(async http =>
        {
            seen.Add(http.Request.Path.Value!);
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(http.Request.Path.Value!.EndsWith("/version", StringComparison.Ordinal)
                ? """{ "gitVersion": "v1.31.4" }"""
                : """{ "kind": "NamespaceList", "apiVersion": "v1", "metadata": {}, "items": [ { "metadata": { "name": "default" } } ] }""");
        }));
        await using var _ = app;
        var connection = new ClusterConnection("rancher", new Uri($"{url}/k8s/clusters/c-m-1"), null, false, null, null, new ClusterCredentials.None());
        using var http = ClusterHttp.CreateClient(connection, new ExecCredentialProvider(TimeProvider.System));
        var client = new KubernetesRestClient(http);

        (await client.VersionAsync(CancellationToken.None)).ShouldBe("v1.31.4");
        (await ListNamespacesAsync(client)).Items.ShouldHaveSingleItem();

        seen.ShouldBe(["/k8s/clusters/c-m-1/version", "/k8s/clusters/c-m-1/api/v1/namespaces"]);
    }

    [Fact]
    public void CreateHandler_GuardsTheSocketsHandler()
    {
        using var handler = ClusterHttp.CreateHandler(_sandbox.Connection, new ExecCredentialProvider(TimeProvider.System));

        HandlerChain.Of(handler).ShouldBe("CredentialHandler > ConnectionErrorHandler > SocketsHttpHandler");
    }

    [Fact]
    public async Task CreateClient_EveryConnectionReset_IsAlwaysCannotBeReached()
    {
        // Reset the moment it is accepted, a TLS connect comes out of SocketsHttpHandler as a bare SocketException about
        // one time in eleven (93 of 1,000 here); 300 resets make sure some do, and each must still read as "cannot be
        // reached", never "could not be used". Without ConnectionErrorHandler this fails on the first bare one.
        await using var proxy = FaultProxy.Start("127.0.0.1", _sandbox.Connection.Server.Port);
        proxy.Mode = FaultMode.Refuse;
        var client = _sandbox.Client(_sandbox.Connection with { Server = new Uri($"https://127.0.0.1:{proxy.Port}") });

        var described = new HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            var error = await Should.ThrowAsync<HttpRequestException>(() => client.VersionAsync(CancellationToken.None));
            described.Add(ClusterErrors.Describe(error));
        }

        described.ShouldAllBe(d => d.StartsWith("the cluster cannot be reached (", StringComparison.Ordinal));
        proxy.AcceptedConnections.ShouldBeGreaterThanOrEqualTo(300);
    }
}
